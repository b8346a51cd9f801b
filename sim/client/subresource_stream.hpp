#pragma once
// A WebSocket stream of one of virt-api's streaming subresources (console,
// vnc), as client-go's AsyncSubresourceHelper opens it: wss://SERVER/apis/
// subresources.kubevirt.io/v1/namespaces/NS/virtualmachineinstances/NAME/SUB
// with the bearer token and subprotocol plain.kubevirt.io, raw bytes in
// binary frames both ways. The session runs on the caller's thread; local
// bytes may be sent from any thread.
#include <functional>
#include <memory>
#include <string>

#include "sim/client/kubeconfig.hpp"

namespace kvsim::sim::client {

// An HTTP answer instead of the upgrade (a Status: "VMI is not running"...).
struct StreamRefusal {
  int status = 0;
  std::string content_type, body;
};

class SubresourceStream {
 public:
  // nullptr with `refused` set (the server answered without upgrading) or `error` set (no answer).
  static std::unique_ptr<SubresourceStream> open(const KubeConfig& config, const std::string& ns,
                                                 const std::string& name, const std::string& sub,
                                                 StreamRefusal& refused, std::string& error);
  ~SubresourceStream();

  // Runs until the stream ends: bytes from the server go to `on_data` (on this thread).
  // Returns "" when stop() ended it, else how it ended ("closed by the server", an error).
  std::string run(const std::function<void(const std::string&)>& on_data);
  // Thread-safe: queue bytes for the server / end the session.
  void send(std::string bytes);
  void stop();

 private:
  struct Impl;
  explicit SubresourceStream(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kvsim::sim::client
