#pragma once
// `virtctl vnc VMI`: virt-api's VNC stream offered on a local TCP port
// (pkg/virtctl/vnc). The WebSocket is opened first ("Can't access VMI NAME:
// ..." when virt-api refuses); then kvsim listens on 127.0.0.1 (--address
// with --proxy-only), on --port or a port the system picks. --proxy-only
// prints {"port":N} and waits for a viewer; otherwise it runs remote-viewer
// or vncviewer on that port. One viewer connection is proxied, bytes both ways.
#include <string>

#include "sim/client/kubeconfig.hpp"

namespace kvsim::sim::client {

struct VncOptions {
  bool proxy_only = false;
  int port = 0;                        // 0: the system picks
  std::string address = "127.0.0.1";  // with --proxy-only only
};

int run_vnc(const KubeConfig& config, const std::string& ns, const std::string& name, const VncOptions& options);

}  // namespace kvsim::sim::client
