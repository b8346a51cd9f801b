#pragma once
// The shell's way to virt-api and the API server: virtctl's verbs
// (sim/client/virtctl_verbs.hpp) run against the simulated cluster in
// process, through the same virt-api routes the HTTPS endpoint serves, and
// read refusals as client-go would have read them off the wire. So `start vm1`
// typed in the shell and `kubectl virt start vm1` behave and print alike.
#include "sim/client/kubevirt_api.hpp"
#include "sim/cluster/cluster.hpp"
#include "sim/commands/executor.hpp"

namespace kvsim::sim::commands {

class InProcessKubeVirtApi final : public client::KubeVirtApi {
 public:
  explicit InProcessKubeVirtApi(cluster::Cluster& cluster) : cluster_(cluster) {}
  client::ApiResult subresource(const std::string& method, const std::string& ns, const std::string& resource,
                                const std::string& name, const std::string& sub, const std::string& body) override;
  client::ApiResult kubevirt_version() override;
  client::ApiResult get(const std::string& api_version, const std::string& resource, const std::string& ns,
                        const std::string& name) override;
  client::ApiResult create(const std::string& api_version, const std::string& resource, const std::string& ns,
                           const models::Json& object) override;

 private:
  cluster::Cluster& cluster_;
};

// Runs virtctl's `VERB ARGS...` in process (the shell's start, stop, pause, guestosinfo ...),
// in the default namespace unless -n says otherwise.
Outcome virtctl_verb(cluster::Cluster& cluster, const std::string& verb, const std::vector<std::string>& args);

}  // namespace kvsim::sim::commands
