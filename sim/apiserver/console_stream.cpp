#include "sim/apiserver/console_stream.hpp"

#include "models/kubevirt.hpp"
#include "sim/commands/console_commands.hpp"
#include "sim/guest/tty_line.hpp"
#include "sim/hypervisor/libvirt_hypervisor.hpp"
#include "sim/kubevirt/virt_handler.hpp"

namespace kvsim::sim::apiserver {
namespace {

using models::VirtualMachineInstance;

hypervisor::LibvirtHypervisor* real_backend(cluster::Cluster& cluster, const VirtualMachineInstance& vmi) {
  auto* handler = cluster.virt_handler(vmi.status.nodeName);
  return handler ? dynamic_cast<hypervisor::LibvirtHypervisor*>(&handler->hypervisor()) : nullptr;
}

class ConsoleStream final : public Stream {
 public:
  ConsoleStream(cluster::Cluster& cluster, const VirtualMachineInstance& vmi, std::shared_ptr<Outbox> outbox)
      : cluster_(cluster), outbox_(std::move(outbox)), domain_(kubevirt::VirtHandler::domain_name(vmi)) {
    attachment_ = std::make_shared<commands::ConsoleAttachment>();
    attachment_->ns = vmi.metadata.namespace_;
    attachment_->name = vmi.metadata.name;
    attachment_->uid = vmi.metadata.uid;
    if (auto* real = real_backend(cluster, vmi)) {
      // A real serial console shows only what the guest prints from now on.
      attachment_->real = true;
      attachment_->offset = real->console_end(domain_);
    }
  }

  bool poll() override {
    if (outbox_->peer_gone()) return false;
    auto vmi = cluster_.store().get<VirtualMachineInstance>(attachment_->ns, attachment_->name);
    if (!vmi || vmi->metadata.uid != attachment_->uid || vmi->status.phase != "Running" ||
        !cluster_.node_host_up(vmi->status.nodeName))
      return end();
    if (attachment_->real) {
      auto* real = real_backend(cluster_, *vmi);
      std::string error;
      const auto out = real ? real->console_read(domain_, attachment_->offset, error) : std::string();
      if (!real || !error.empty()) return end();
      if (!out.empty()) outbox_->send(out);
    }
    return true;
  }

  void input(const std::string& bytes) override {
    if (!attachment_) return;
    if (attachment_->real) {
      auto vmi = cluster_.store().get<VirtualMachineInstance>(attachment_->ns, attachment_->name);
      auto* real = vmi ? real_backend(cluster_, *vmi) : nullptr;
      std::string error;
      if (!real || !real->console_send(domain_, bytes, error)) end();
      return;
    }
    bool closed = false;
    const auto echo = [this] { return attachment_ && attachment_->login.state() != guest::LoginSession::State::Password; };
    const auto on_line = [this, &closed](const std::string& line) -> std::string {
      if (closed || !attachment_) return {};
      auto out = commands::console_input(cluster_, attachment_, line);
      if (!out.ok() || !attachment_) closed = true;  // the VMI went away under the console
      return out.output;
    };
    const auto on_interrupt = [this]() -> std::string {
      if (!attachment_) return {};
      auto vmi = cluster_.store().get<VirtualMachineInstance>(attachment_->ns, attachment_->name);
      if (!vmi) return {};
      const auto seen = commands::seen_guest(cluster_, *vmi);
      return attachment_->login.interrupt(seen.os, seen.view);
    };
    const auto out = tty_.feed(bytes, echo, on_line, on_interrupt);
    if (!out.empty()) outbox_->send(out);
    if (closed) end();
  }

 private:
  bool end() {
    attachment_.reset();
    outbox_->close();
    return false;
  }

  cluster::Cluster& cluster_;
  std::shared_ptr<Outbox> outbox_;
  std::string domain_;
  std::shared_ptr<commands::ConsoleAttachment> attachment_;
  guest::TtyLine tty_;
};

}  // namespace

std::string console_unavailable(cluster::Cluster& cluster, const std::string& ns, const std::string& name) {
  auto vmi = cluster.store().get<VirtualMachineInstance>(ns, name);
  auto* real = vmi ? real_backend(cluster, *vmi) : nullptr;
  return real ? real->console_unavailable(kubevirt::VirtHandler::domain_name(*vmi)) : std::string();
}

std::unique_ptr<Stream> open_console_stream(cluster::Cluster& cluster, const std::string& ns, const std::string& name,
                                            std::shared_ptr<Outbox> outbox) {
  // A VMI gone since the check leaves a stream that ends at its first poll.
  VirtualMachineInstance gone;
  gone.metadata.namespace_ = ns;
  gone.metadata.name = name;
  auto vmi = cluster.store().get<VirtualMachineInstance>(ns, name);
  return std::make_unique<ConsoleStream>(cluster, vmi ? *vmi : gone, std::move(outbox));
}

}  // namespace kvsim::sim::apiserver
