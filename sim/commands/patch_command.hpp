#pragma once
// `patch KIND NAME -p PATCH [--type strategic|merge|json] [-n NS]`: kubectl
// patch, sent in process to the API server's own PATCH handler
// (sim/apiserver/patch.cpp), so the shell, `kvsim serve` and the real kubectl
// patch alike: the same media types (a custom resource such as a VM takes no
// strategic merge patch), the same validation and admission, and the refusal
// printed as kubectl prints it.
#include <string>
#include <vector>

#include "sim/cluster/cluster.hpp"
#include "sim/commands/executor.hpp"

namespace kvsim::sim::commands {

Outcome patch_command(cluster::Cluster& cluster, const std::vector<std::string>& args);

}  // namespace kvsim::sim::commands
