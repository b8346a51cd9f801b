#include "sim/commands/guest_commands.hpp"

#include <fmt/format.h>

#include "models/kubevirt.hpp"
#include "sim/commands/flags.hpp"
#include "sim/commands/in_process_kubevirt_api.hpp"
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
  // virtctl pause|unpause vm|vmi NAME, through virt-api's routes (the same code `kvsim virtctl` runs).
  return virtctl_verb(cluster, action, args);
}

}  // namespace kvsim::sim::commands
