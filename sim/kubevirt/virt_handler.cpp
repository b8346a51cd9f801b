#include "sim/kubevirt/virt_handler.hpp"

#include <fmt/format.h>

#include "sim/engine/clock.hpp"

namespace kvsim::sim::kubevirt {

using hypervisor::DomainState;
using hypervisor::StopReason;
using models::VirtualMachineInstance;

VirtHandler::VirtHandler(controllers::Context& ctx, std::string node)
    : Component(ctx, "virt-handler/" + node, node), node_(std::move(node)) {
  hypervisor_ = std::make_unique<hypervisor::SimHypervisor>(
      reactor_, ctx.profile.domain_start, ctx.profile.guest_shutdown,
      [this](const hypervisor::DomainEvent& e) { on_domain(e); });
}

void VirtHandler::start() {
  Component::start();
  if (!watch_id_)
    watch_id_ = watch({&VirtualMachineInstance::kind_info(), {}, std::nullopt, node_},
                      [this](const api::WatchEvent& e) { enqueue(controllers::key_of(*e.object), ctx_.profile.handler_sync_latency); });
  for (const auto& o : ctx_.store.on_node(VirtualMachineInstance::kind_info(), node_))
    enqueue(controllers::key_of(*o), ctx_.profile.handler_sync_latency);
  heartbeat();
}

void VirtHandler::lost() { reactor_.lost(); }

std::string VirtHandler::domain_name(const VirtualMachineInstance& vmi) {
  return vmi.metadata.namespace_ + "_" + vmi.metadata.name;
}

void VirtHandler::heartbeat() {
  if (auto node = ctx_.store.get<models::Node>("", node_)) {
    auto next = std::static_pointer_cast<models::Node>(node->clone());
    const bool was = node->metadata.labels.count("kubevirt.io/schedulable") &&
                     node->metadata.labels.at("kubevirt.io/schedulable") == "true";
    next->metadata.labels["kubevirt.io/schedulable"] = "true";
    next->metadata.annotations["kubevirt.io/heartbeat"] = models::to_rfc3339(models::Timestamp{engine::now()});
    next->metadata.resourceVersion.clear();
    api::Cause c = cause("label kubevirt.io/schedulable=true", "virt-handler heartbeat");
    c.quiet = was;
    ctx_.store.update(next, c);
  }
  // wait.JitterUntil(heartbeat, 1 min, jitter 1.2): period + rand * 1.2 * period.
  const double period = ctx_.profile.virt_handler_heartbeat;
  reactor_.post(period + ctx_.rng.uniform() * 1.2 * period, [this] { heartbeat(); });
}

void VirtHandler::reconcile(const std::string& key) {
  const auto [ns, name] = controllers::split_key(key);
  auto vmi = ctx_.store.get<VirtualMachineInstance>(ns, name);
  if (!vmi || vmi->status.nodeName != node_) return;
  const auto domain = domain_name(*vmi);
  vmi_of_domain_[domain] = key;
  auto& hv = *hypervisor_;
  const auto state = hv.state(domain);
  if (vmi->is_final()) {
    if (hv.defined(domain) && state != DomainState::Running) hv.undefine(domain);
    return;
  }
  if (vmi->metadata.being_deleted()) {
    if (state == DomainState::Running) {
      const double grace = static_cast<double>(vmi->spec.terminationGracePeriodSeconds.value_or(30));
      if (grace == 0) hv.destroy(domain);
      else hv.shutdown(domain, grace);
      event(*vmi, "Normal", "ShuttingDown", "Signaled Graceful Shutdown");
    } else if (vmi->status.phase == "Scheduled" && state != DomainState::Running && !hv.defined(domain)) {
      auto next = std::static_pointer_cast<VirtualMachineInstance>(vmi->clone());
      next->status.phase = "Failed";
      next->metadata.resourceVersion.clear();
      ctx_.store.update(next, cause("phase Scheduled -> Failed", "deleted before its domain started"));
    }
    return;
  }
  if (vmi->status.phase == "Scheduled" && !hv.defined(domain)) {
    // virt-launcher defines the domain through its own libvirt (virtqemud), then starts it.
    const auto& memory = vmi->spec.domain.resources.requests;
    hypervisor::DomainConfig config{domain,
                                    memory.count("memory") ? static_cast<double>(memory.at("memory").units_ceil()) / 1048576.0 : 0,
                                    vmi->spec.domain.cpu && vmi->spec.domain.cpu->cores ? *vmi->spec.domain.cpu->cores : 1};
    hv.define(config);
    reactor_.post(ctx_.profile.domain_define, [this, domain] { hypervisor_->start(domain); });
    event(*vmi, "Normal", "Created", "VirtualMachineInstance defined.");
  }
}

void VirtHandler::on_domain(const hypervisor::DomainEvent& e) {
  auto it = vmi_of_domain_.find(e.domain);
  if (it == vmi_of_domain_.end()) return;
  const auto [ns, name] = controllers::split_key(it->second);
  auto vmi = ctx_.store.get<VirtualMachineInstance>(ns, name);
  if (!vmi || vmi->status.nodeName != node_) return;
  auto next = std::static_pointer_cast<VirtualMachineInstance>(vmi->clone());
  next->metadata.resourceVersion.clear();
  const double t = engine::now();
  const std::string from = vmi->status.phase;
  std::string why;
  if (e.state == DomainState::Running) {
    if (vmi->is_final()) return;
    next->status.phase = "Running";
    why = "domain running";
    // The pod network's address, as the domain reports it (masquerade: the pod IP).
    std::string pod_ip;
    for (const auto& o : ctx_.store.owned_by(vmi->metadata.uid))
      if (o->kind == "Pod") pod_ip = static_cast<const models::Pod&>(*o).status.podIP;
    next->status.interfaces.clear();
    for (const auto& itf : vmi->spec.domain.devices.interfaces) {
      models::VMINetworkInterfaceStatus s;
      s.name = itf.name;
      s.interfaceName = "eth" + std::to_string(next->status.interfaces.size());
      s.infoSource = "domain";
      s.mac = fmt::format("02:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", ctx_.rng.below(256), ctx_.rng.below(256),
                          ctx_.rng.below(256), ctx_.rng.below(256), ctx_.rng.below(256));
      s.queueCount = 1;
      bool on_pod = false;
      for (const auto& n : vmi->spec.networks)
        if (n.name == itf.name && n.pod) on_pod = true;
      if (on_pod && !pod_ip.empty()) {
        s.ipAddress = pod_ip;
        s.ipAddresses = {pod_ip};
        s.podInterfaceName = "eth0";
      }
      next->status.interfaces.push_back(std::move(s));
    }
    models::set_condition(next->status.conditions, {"Ready", "True", "", ""}, t);
    event(*vmi, "Normal", "Started", "VirtualMachineInstance started.");
  } else if (e.state == DomainState::Shutoff || e.state == DomainState::Crashed) {
    if (vmi->is_final()) return;
    // FIDELITY.md §2: Shutdown -> Succeeded; Destroyed (grace expired, ACPI on) or Crashed -> Failed.
    next->status.phase = e.reason == StopReason::Shutdown ? "Succeeded" : "Failed";
    why = e.reason == StopReason::Shutdown ? "domain shut down" : e.reason == StopReason::Destroyed ? "domain destroyed" : "domain crashed";
    models::set_condition(next->status.conditions, {"Ready", "False", "PodTerminating", "the VMI is shutting down"}, t);
    event(*vmi, "Normal", "Stopped", "The VirtualMachineInstance was shut down.");
  } else {
    return;
  }
  next->status.phaseTransitionTimestamps.push_back({next->status.phase, models::Timestamp{t}});
  ctx_.store.update(next, cause(fmt::format("phase {} -> {}", from, next->status.phase), why));
}

}  // namespace kvsim::sim::kubevirt
