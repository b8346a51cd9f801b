#pragma once
// The ReplicaSet controller's decision, as a pure function of what it sees
// (upstream pkg/controller/replicaset syncReplicaSet: claim pods, manage
// replicas when expectations are met, compute the status).
#include <optional>
#include <string>
#include <vector>

#include "models/apps.hpp"

namespace kvsim::sim::controllers::replicaset {

// What the driver observed for one ReplicaSet.
struct Observed {
  // Pods whose controller ownerReference is this ReplicaSet, in any state.
  std::vector<const models::Pod*> owned;
  // Pods of the namespace that match the selector and have no controller (adoption candidates).
  std::vector<const models::Pod*> orphans;
  // Pods of every ReplicaSet under the same controller (this one included), for
  // the node-spreading rank of scale-down. Empty: `owned` is used.
  std::vector<const models::Pod*> related;
  // False while creations or deletions asked for are not yet seen (expectations).
  bool expectations_met = true;
  double now = 0;
};

struct Plan {
  std::vector<std::string> adopt;        // orphans to take a controller ownerReference to this RS
  std::vector<std::string> release;      // owned pods whose labels no longer match: reference removed
  int create = 0;                        // pods to create from the template
  std::vector<std::string> delete_pods;  // names, in upstream's deletion order
  models::ReplicaSetStatus status;
  // Seconds until a Ready pod becomes available (minReadySeconds): reconcile again then.
  std::optional<double> requeue_after;
};

// Upstream caps the pods created or deleted in one sync (burstReplicas).
inline constexpr int kBurstReplicas = 500;

bool pod_is_active(const models::Pod& p);
bool pod_is_ready(const models::Pod& p);
// Ready for at least minReadySeconds at `now` (upstream podutil.IsPodAvailable).
bool pod_is_available(const models::Pod& p, std::int32_t min_ready_seconds, double now);

Plan plan(const models::ReplicaSet& rs, const Observed& seen);

}  // namespace kvsim::sim::controllers::replicaset
