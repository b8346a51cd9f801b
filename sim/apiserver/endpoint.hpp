#pragma once
// The Kubernetes API endpoint of a running kvsim, whole: the TLS identity and
// token made for this run, the transport, the handler, and the kubeconfig
// written for kubectl. The front ends (kvsim serve, the TUI, the shell, a lab)
// own one and call serve() between simulation steps.
#include <chrono>
#include <memory>
#include <string>

#include "sim/apiserver/handler.hpp"

namespace kvsim::sim::apiserver {

class Transport;

// The default port: fixed, and documented in the README. kubectl caches
// discovery per host:port for 6 hours; the KUBECACHEDIR that banner() exports
// is named after the discovery documents, so a kvsim that serves other kinds
// never reads a stale cache.
inline constexpr int kDefaultPort = 16443;

struct EndpointOptions {
  std::string address = "127.0.0.1";
  int port = kDefaultPort;  // 0: any free port
  bool allow_remote = false;  // required to bind anything but loopback
  std::string kubeconfig_out;  // empty: default_kubeconfig_path(port)
  std::string ns = "default";  // the kubeconfig context's namespace
  bool log_requests = false;   // one line per request on stderr
};

class Endpoint {
 public:
  // Throws std::runtime_error with a sentence for the user (port taken,
  // address not local without allow_remote, kubeconfig not writable).
  Endpoint(cluster::Cluster& cluster, EndpointOptions options);
  ~Endpoint();

  int port() const;
  std::string url() const;
  const std::string& kubeconfig_path() const { return kubeconfig_path_; }
  std::string cache_dir() const;
  // What to tell the user: where the API is, and the line to paste in another terminal.
  std::string banner() const;
  std::string export_line() const;
  // Answers what the network queued (waiting up to `wait` for it), between steps.
  void serve(std::chrono::milliseconds wait = std::chrono::milliseconds(0));
  std::size_t open_streams() const;
  // From any thread: ends a serve() that is waiting, now.
  void wake();

 private:
  EndpointOptions options_;
  Handler handler_;
  std::unique_ptr<Transport> transport_;
  std::string kubeconfig_path_;
};

}  // namespace kvsim::sim::apiserver
