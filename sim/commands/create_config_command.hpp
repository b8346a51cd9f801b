#pragma once
// `create secret generic NAME` and `create configmap NAME` with
// --from-literal=KEY=VALUE and --from-file=[KEY=]PATH, as kubectl spells them
// and with its errors for bad sources (k8s.io/kubectl pkg/cmd/create
// create_secret.go, create_configmap.go). The object goes through the API
// store's admission like any other write.
#include <string>
#include <vector>

#include "sim/cluster/cluster.hpp"
#include "sim/commands/executor.hpp"

namespace kvsim::sim::commands {

// True for the `create` lines this command handles (`create secret ...`,
// `create configmap|cm ...`); other `create` lines are `create -f FILE`.
bool is_create_config(const std::vector<std::string>& args);

// `args` starts with "secret" or "configmap"/"cm".
Outcome create_config_command(cluster::Cluster& cluster, const std::vector<std::string>& args);

}  // namespace kvsim::sim::commands
