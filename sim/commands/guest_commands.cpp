#include "sim/commands/guest_commands.hpp"

#include <fmt/format.h>

#include "models/kubevirt.hpp"
#include "sim/commands/flags.hpp"
#include "sim/kubevirt/virt_api.hpp"
#include "sim/kubevirt/virt_handler.hpp"

namespace kvsim::sim::commands {
namespace {

using models::VirtualMachineInstance;

std::string strip_prefix(std::string name) {
  if (auto slash = name.find('/'); slash != std::string::npos) name = name.substr(slash + 1);  // vmi/NAME
  return name;
}

// The virt-handler that owns the VMI's domain, or why there is none to ask.
kubevirt::VirtHandler* handler_of(cluster::Cluster& cluster, const VirtualMachineInstance& vmi, std::string& error) {
  if (!cluster.node_host_up(vmi.status.nodeName)) {
    error = fmt::format("virt-handler on {} does not answer (the node is down)", vmi.status.nodeName);
    return nullptr;
  }
  auto* handler = cluster.virt_handler(vmi.status.nodeName);
  if (!handler) error = fmt::format("no virt-handler runs on {}", vmi.status.nodeName);
  return handler;
}

}  // namespace

Outcome guest_power_command(cluster::Cluster& cluster, const std::vector<std::string>& args) {
  Flags f = parse_flags(args);
  if (!f.error.empty()) return {{}, "error: " + f.error};
  const auto& p = f.positional;
  if (p.size() != 2 || (p[0] != "shutdown" && p[0] != "crash"))
    return {{}, "error: usage: guest shutdown|crash VMI [-n NS]"};
  const std::string name = strip_prefix(p[1]);
  auto vmi = cluster.store().get<VirtualMachineInstance>(f.ns, name);
  if (!vmi)
    return {{}, fmt::format("Error from server (NotFound): virtualmachineinstances.kubevirt.io \"{}\" not found", name)};
  if (vmi->status.phase != "Running")
    return {{}, fmt::format("error: the guest of VMI {} is not running (phase {})", name,
                            vmi->status.phase.empty() ? "unset" : vmi->status.phase)};
  if (const auto* paused = models::find_condition(vmi->status.conditions, "Paused"); paused && paused->status == "True")
    return {{}, fmt::format("error: the guest of VMI {} is paused: its vCPUs run nothing until `unpause vmi {}`", name,
                            name)};
  std::string error;
  auto* handler = handler_of(cluster, *vmi, error);
  if (handler) error = handler->guest_action(*vmi, p[0]);
  if (!error.empty()) return {{}, fmt::format("error: guest of VMI {}: {}", name, error)};
  if (p[0] == "shutdown")
    return {fmt::format("guest of VMI {}: poweroff: the guest shuts itself down (domain Shutoff, reason Shutdown; "
                        "the VMI becomes Succeeded)\n",
                        name),
            {}};
  return {fmt::format("guest of VMI {}: kernel panic: the domain crashed (reason Crashed; the VMI becomes Failed)\n",
                      name),
          {}};
}

Outcome virsh_command(cluster::Cluster& cluster, const std::vector<std::string>& args) {
  Flags f = parse_flags(args);
  if (!f.error.empty()) return {{}, "error: " + f.error};
  const auto& p = f.positional;
  if (p.size() != 2 || p[0] != "destroy") return {{}, "error: usage: virsh destroy VMI [-n NS]"};
  const std::string name = strip_prefix(p[1]);
  auto vmi = cluster.store().get<VirtualMachineInstance>(f.ns, name);
  if (!vmi)
    return {{}, fmt::format("Error from server (NotFound): virtualmachineinstances.kubevirt.io \"{}\" not found", name)};
  if (vmi->status.nodeName.empty()) return {{}, fmt::format("error: VMI {} has no node yet: there is no domain to destroy", name)};
  if (!cluster.node_host_up(vmi->status.nodeName))
    return {{}, fmt::format("error: {} is down: its domains are gone with it", vmi->status.nodeName)};
  auto* handler = cluster.virt_handler(vmi->status.nodeName);
  if (!handler) return {{}, fmt::format("error: no virt-handler runs on {}", vmi->status.nodeName)};
  const auto done = handler->hypervisor().destroy_from_outside(kubevirt::VirtHandler::domain_name(*vmi));
  if (!done.error.empty()) return {{}, "error: " + done.error};
  return {fmt::format("Domain '{}' destroyed\n", done.name), {}};
}

Outcome pause_command(cluster::Cluster& cluster, const std::string& action, const std::vector<std::string>& args) {
  Flags f = parse_flags(args);
  if (!f.error.empty()) return {{}, "error: " + f.error};
  const auto& p = f.positional;
  if (p.size() != 2 || (p[0] != "vm" && p[0] != "vmi"))
    return {{}, fmt::format("error: usage: {} vm|vmi NAME [-n NS]", action)};
  const std::string& name = p[1];
  const char* ing = action == "pause" ? "pausing" : "unpausing";
  // `pause vm NAME` acts on the VM's VMI (same name).
  if (p[0] == "vm" && !cluster.store().get<models::VirtualMachine>(f.ns, name))
    return {{}, fmt::format("Error {} VirtualMachine {}: virtualmachines.kubevirt.io \"{}\" not found", ing, name, name)};
  auto vmi = cluster.store().get<VirtualMachineInstance>(f.ns, name);
  if (!vmi)
    return {{}, fmt::format("Error {} VirtualMachineInstance {}: virtualmachineinstances.kubevirt.io \"{}\" not found",
                            ing, name, name)};
  // pause/unpause are virt-api subresources: no virt-api pod serving, the aggregator answers 503.
  if (!kubevirt::virt_api_serving(cluster.store()))
    return {{}, fmt::format("Error {} VirtualMachineInstance {}: the server is currently unable to handle the request "
                            "(put virtualmachineinstances.subresources.kubevirt.io {})",
                            ing, name, name)};
  // virt-api's checks (pkg/virt-api/rest/lifecycle.go), as 409 Conflicts.
  const bool paused = models::find_condition(vmi->status.conditions, "Paused") != nullptr;
  std::string conflict;
  if (action == "pause") {
    if (vmi->status.phase != "Running") conflict = "VM is not running";
    else if (paused) conflict = "VMI is already paused";
  } else {
    if (vmi->status.phase != "Running") conflict = "VMI is not running";
    else if (!paused) conflict = "VMI is not paused";
  }
  if (action == "pause" && conflict.empty() && vmi->spec.livenessProbe.is_object())
    return {{}, fmt::format("Error {} VirtualMachineInstance {}: virtualmachineinstance.kubevirt.io \"{}\" is forbidden: "
                            "Pausing VMIs with LivenessProbe is currently not supported",
                            ing, name, name)};
  if (!conflict.empty())
    return {{}, fmt::format("Error {} VirtualMachineInstance {}: Operation cannot be fulfilled on "
                            "virtualmachineinstance.kubevirt.io \"{}\": {}",
                            ing, name, name, conflict)};
  std::string error;
  auto* handler = handler_of(cluster, *vmi, error);
  if (handler) error = handler->guest_action(*vmi, action);
  if (!error.empty()) return {{}, fmt::format("Error {} VirtualMachineInstance {}: {}", ing, name, error)};
  return {fmt::format("VMI {} was scheduled to {}\n", name, action), {}};
}

}  // namespace kvsim::sim::commands
