#pragma once
// Workload commands, worded as kubectl words them:
//   scale deployment|rs|sts/NAME --replicas=N
//   set image deployment|rs|ds|sts/NAME CONTAINER=IMAGE ...
//   rollout status|history|undo|pause|resume|restart deployment/NAME
// `rollout status` advances sim time (the sim is stepped, kubectl would wait)
// until the rollout ends, fails its progress deadline, or --timeout passes.
#include <string>
#include <vector>

#include "models/apps.hpp"
#include "sim/commands/executor.hpp"

namespace kvsim::sim::commands {

Outcome scale_command(cluster::Cluster& cluster, const std::vector<std::string>& args);
Outcome set_command(cluster::Cluster& cluster, const std::vector<std::string>& args);
Outcome rollout_command(cluster::Cluster& cluster, const std::vector<std::string>& args);

// kubectl's rollout status line for a Deployment; `done` when rolled out,
// `failed` when it exceeded its progress deadline (the line is then the error).
struct RolloutState {
  std::string line;
  bool done = false;
  bool failed = false;
};
RolloutState deployment_rollout_state(const models::Deployment& d);

}  // namespace kvsim::sim::commands
