#pragma once
// `virtctl create vm ...` in the shell: prints the manifest virtctl prints
// (sim/client/create_vm.hpp), to read or to pipe: `virtctl create vm
// --instancetype u1.medium ... | apply -f -`. A generated name (no --name)
// takes its suffix from the cluster's seeded generator.
#include <string>
#include <vector>

#include "sim/cluster/cluster.hpp"
#include "sim/commands/executor.hpp"

namespace kvsim::sim::commands {

// True for `create vm ...` (and `create virtualmachine`).
bool is_create_vm(const std::vector<std::string>& args);

// `args` starts with "vm". virtctl's warnings (deprecated flags), which it
// writes on stderr, go to `warnings` so that a pipe carries the manifest alone.
Outcome create_vm_command(cluster::Cluster& cluster, const std::vector<std::string>& args, std::string& warnings);

}  // namespace kvsim::sim::commands
