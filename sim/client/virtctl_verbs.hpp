#pragma once
// virtctl's verbs that are one or two API calls (KubeVirt v1.5 pkg/virtctl):
// start, stop, restart, migrate, pause, unpause, guestosinfo, userlist,
// fslist, expose, version. Argument checks, the requests and the messages are
// virtctl's ("VM vm1 was scheduled to start", "Error starting VirtualMachine
// ..."). Written once against KubeVirtApi: `kvsim virtctl` runs them over
// HTTPS, kvsim's shell in process. console and vnc are streams (virtctl_cli).
#include <string>
#include <vector>

#include "sim/client/kubevirt_api.hpp"

namespace kvsim::sim::client {

struct VerbResult {
  std::string output;  // stdout
  std::string error;   // the one line virtctl prints on stderr when it fails (exit 1)
  bool ok() const { return error.empty(); }
};

// `args`: the verb and its arguments and flags (`stop vm1 --grace-period 0 --force`).
// `default_ns`: the namespace when no -n is given (the kubeconfig context's).
// nullopt-like: `handled` false when the verb is not one of these.
VerbResult run_virtctl_verb(KubeVirtApi& api, const std::vector<std::string>& args, const std::string& default_ns,
                            bool& handled);

// The verbs run_virtctl_verb knows, for help texts.
const std::vector<std::string>& virtctl_verb_names();

// client-go/version.Info as virtctl prints it with %#v.
std::string go_version_info(const models::Json& info);

}  // namespace kvsim::sim::client
