#pragma once
// Acting on a running guest: `guest shutdown|crash VMI` (what the guest OS does by
// itself: poweroff, a kernel panic) and virtctl `pause|unpause vm|vmi NAME`. They go
// through the VMI's virt-handler to its libvirt domain; the VMI's phase and
// conditions follow from the domain events (FIDELITY.md §2).
#include <string>
#include <vector>

#include "sim/cluster/cluster.hpp"
#include "sim/commands/executor.hpp"

namespace kvsim::sim::commands {

Outcome guest_power_command(cluster::Cluster& cluster, const std::vector<std::string>& args);
// `virsh destroy VMI`: what `virsh destroy <its domain>` typed on the VMI's node in another
// terminal does (outside kvsim: virt-handler only sees the domain stop).
Outcome virsh_command(cluster::Cluster& cluster, const std::vector<std::string>& args);
// action: pause or unpause.
Outcome pause_command(cluster::Cluster& cluster, const std::string& action, const std::vector<std::string>& args);

}  // namespace kvsim::sim::commands
