#pragma once
// Reaching a VMI's data: `port-forward vmi/NAME LOCAL:REMOTE` (virtctl's
// tunnel, explained hop by hop) and `guest write|read VMI DISK` (a marker
// written from inside the guest onto one of its disks, to show what a
// PersistentVolumeClaim keeps and a containerDisk loses).
#include <string>
#include <vector>

#include "sim/cluster/cluster.hpp"
#include "sim/commands/executor.hpp"

namespace kvsim::sim::commands {

Outcome port_forward_command(cluster::Cluster& cluster, const std::vector<std::string>& args);
// args after "guest": write VMI DISK TEXT... | read VMI DISK
Outcome guest_disk_command(cluster::Cluster& cluster, const std::vector<std::string>& args);

// Where a disk's guest-written data lives: the PV behind its claim (kept
// across VMI restarts) or the launcher pod (containerDisk, emptyDisk,
// ephemeral: a writable layer that goes with the pod).
inline constexpr const char* kDiskDataAnnotation = "kvsim.io/disk-data";

}  // namespace kvsim::sim::commands
