#pragma once
// Which pods a ReplicaSet deletes first when it has too many: upstream
// controller.ActivePodsWithRanks as getPodsToDelete uses it (Kubernetes 1.22+,
// PodDeletionCost and LogarithmicScaleDown on by default).
#include <string>
#include <vector>

#include "models/pod.hpp"

namespace kvsim::sim::controllers::replicaset {

// The `controller.kubernetes.io/pod-deletion-cost` annotation; 0 when absent or not an int32.
std::int32_t deletion_cost(const models::Pod& p);

// The first `count` of `candidates` in deletion order:
//  1. unscheduled before scheduled;  2. Pending < Unknown < Running;  3. not Ready before Ready;
//  4. lower deletion cost first;  5. more active `related` pods on the same node first;
//  6. both Ready: Ready more recently first;  7. more container restarts first;
//  8. created more recently first.
// Times in 6 and 8 compare in log2 buckets of their age at `now`; within a bucket, lower UID first.
std::vector<const models::Pod*> pods_to_delete(std::vector<const models::Pod*> candidates,
                                               const std::vector<const models::Pod*>& related, int count,
                                               double now);

}  // namespace kvsim::sim::controllers::replicaset
