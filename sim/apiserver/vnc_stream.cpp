#include "sim/apiserver/vnc_stream.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "models/kubevirt.hpp"
#include "sim/apiserver/status.hpp"
#include "sim/hypervisor/libvirt_hypervisor.hpp"
#include "sim/kubevirt/virt_handler.hpp"

namespace kvsim::sim::apiserver {
namespace {

using models::VirtualMachineInstance;

class VncStream final : public Stream {
 public:
  VncStream(int fd, std::shared_ptr<Outbox> outbox) : fd_(fd), outbox_(std::move(outbox)) {}
  ~VncStream() override {
    if (fd_ >= 0) ::close(fd_);
  }

  bool poll() override {
    if (fd_ < 0 || outbox_->peer_gone()) return end();
    flush();
    char buf[16384];
    for (int rounds = 0; rounds < 64; ++rounds) {  // bounded: the main loop has a simulation to step
      const auto n = ::recv(fd_, buf, sizeof buf, 0);
      if (n > 0) {
        outbox_->send(std::string(buf, static_cast<std::size_t>(n)));
        continue;
      }
      if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) return end();
      break;
    }
    return fd_ >= 0;
  }

  void input(const std::string& bytes) override {
    pending_ += bytes;
    flush();
  }

 private:
  void flush() {
    while (fd_ >= 0 && !pending_.empty()) {
      const auto n = ::send(fd_, pending_.data(), pending_.size(), MSG_NOSIGNAL);
      if (n > 0) {
        pending_.erase(0, static_cast<std::size_t>(n));
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;  // the rest on the next poll
      end();
    }
  }
  bool end() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    outbox_->close();
    return false;
  }

  int fd_;
  std::shared_ptr<Outbox> outbox_;
  std::string pending_;  // viewer bytes the server has not taken yet
};

// The path a viewer's frames take in a real cluster, named for this VMI.
std::string frame_path(cluster::Cluster& cluster, const VirtualMachineInstance& vmi) {
  std::string pod = "virt-launcher-" + vmi.metadata.name;
  for (const auto& o : cluster.store().owned_by(vmi.metadata.uid))
    if (o->kind == "Pod" && !o->metadata.being_deleted()) pod = o->metadata.name;
  return fmt::format("virt-api -> virt-handler on {} -> virt-launcher pod {} (unix socket virt-vnc) -> QEMU's VNC server "
                     "of domain {}_{}",
                     vmi.status.nodeName, pod, vmi.metadata.namespace_, vmi.metadata.name);
}

}  // namespace

std::string vnc_server_of(cluster::Cluster& cluster, const std::string& ns, const std::string& name, Response& why) {
  auto vmi = cluster.store().get<VirtualMachineInstance>(ns, name);
  if (!vmi) {
    why = status_response(404, "NotFound", fmt::format("virtualmachineinstance.kubevirt.io \"{}\" not found", name));
    return {};
  }
  auto* handler = cluster.virt_handler(vmi->status.nodeName);
  auto* real = handler ? dynamic_cast<hypervisor::LibvirtHypervisor*>(&handler->hypervisor()) : nullptr;
  if (!real) {
    why = status_response(
        501, "NotImplemented",
        fmt::format("kvsim's simulated guest draws no framebuffer, so VMI {} has no VNC server to stream (hybrid mode, "
                    "with a libvirt backend, streams the real one). In a cluster the frames would come {}",
                    name, frame_path(cluster, *vmi)));
    return {};
  }
  std::string error;
  const auto address = real->vnc_address(kubevirt::VirtHandler::domain_name(*vmi), error);
  if (!error.empty()) why = status_response(500, "InternalError", "Internal error occurred: dialing virt-handler: " + error);
  return error.empty() ? address : std::string();
}

std::unique_ptr<Stream> open_vnc_stream(const std::string& address, std::shared_ptr<Outbox> outbox) {
  const auto colon = address.rfind(':');
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<std::uint16_t>(std::atoi(address.substr(colon + 1).c_str())));
  int fd = -1;
  if (colon != std::string::npos && ::inet_pton(AF_INET, address.substr(0, colon).c_str(), &sa.sin_addr) == 1) {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    // A local connect: done at once (blocking), then non-blocking reads on each poll.
    if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
      ::close(fd);
      fd = -1;
    }
    if (fd >= 0) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  }
  return std::make_unique<VncStream>(fd, std::move(outbox));
}

}  // namespace kvsim::sim::apiserver
