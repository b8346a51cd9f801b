#pragma once
// `process TEMPLATE [-p NAME=VALUE ...] [NAME=VALUE ...] [-n NS] [-o json|yaml]
// [--parameters] [--ignore-unknown-parameters]`, and `process -f FILE`: oc's
// (openshift/oc pkg/cli/process/process.go) with its errors. The List it prints goes to
// `apply -f -` through the shell's pipe (Executor::run).
#include <string>
#include <vector>

#include "sim/cluster/cluster.hpp"
#include "sim/commands/executor.hpp"

namespace kvsim::sim::commands {

Outcome process_command(cluster::Cluster& cluster, const std::vector<std::string>& args);

}  // namespace kvsim::sim::commands
