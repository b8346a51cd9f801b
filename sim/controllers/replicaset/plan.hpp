#pragma once
// The ReplicaSet controller's decision, as a pure function of what it sees.
#include <string>
#include <vector>

#include "models/apps.hpp"

namespace kvsim::sim::controllers::replicaset {

struct Plan {
  int create = 0;
  std::vector<std::string> delete_pods;  // names, in upstream's deletion order
  models::ReplicaSetStatus status;
};

bool pod_is_active(const models::Pod& p);
bool pod_is_ready(const models::Pod& p);
// `pods` are the RS's own (controller ownerReference), any state. `pending_creates`
// are creations asked for but not yet seen (expectations).
Plan plan(const models::ReplicaSet& rs, const std::vector<const models::Pod*>& pods, int pending_creates);

}  // namespace kvsim::sim::controllers::replicaset
