#pragma once
// Node operations: `node fail|recover|add` (the simulated machines), and
// kubectl's `cordon`, `uncordon` and `drain` (through the eviction subresource,
// honouring PodDisruptionBudgets; drain advances sim time while it waits).
#include <string>
#include <vector>

#include "sim/commands/executor.hpp"

namespace kvsim::sim::commands {

// node fail NAME | node recover NAME | node add NAME [--role worker] [--labels k=v,...] [--cpu N] [--memory Q]
Outcome node_command(cluster::Cluster& cluster, const std::vector<std::string>& args);
// cordon NAME / uncordon NAME
Outcome cordon_command(cluster::Cluster& cluster, bool cordon, const std::vector<std::string>& args);
// drain NAME [--ignore-daemonsets] [--delete-emptydir-data] [--force] [--grace-period=N] [--timeout=D]
//            [--skip-wait-for-delete-timeout=N]
Outcome drain_command(cluster::Cluster& cluster, const std::vector<std::string>& args);

// Sets spec.unschedulable; the line kubectl prints ("node/x cordoned", "node/x already cordoned").
std::string set_unschedulable(cluster::Cluster& cluster, const std::string& node, bool unschedulable);

// registry fail|recover: the "unreachable registry" fault. While it lasts every image pull
// times out (ErrImagePull, then ImagePullBackOff); pulls retried after recover succeed.
Outcome registry_command(const std::vector<std::string>& args);

}  // namespace kvsim::sim::commands
