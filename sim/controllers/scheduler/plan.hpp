#pragma once
// kube-scheduler's decision for one pod, as a pure function: filter the nodes
// (resources, nodeSelector, required node affinity, taints, unschedulable),
// score the feasible ones (least allocated), pick the best, ties at random.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "models/core.hpp"
#include "sim/engine/rng.hpp"

namespace kvsim::sim::controllers::scheduler {

struct NodeState {
  const models::Node* node = nullptr;
  models::ResourceList requested;  // sum over pods bound to it
  std::int64_t pods = 0;
  bool ready = true;
};

struct Decision {
  std::string node;     // empty: unschedulable
  std::string message;  // FailedScheduling message when unschedulable
};

// Why `node` cannot run `pod`, or "" when it can.
std::string filter_reason(const models::Pod& pod, const models::ResourceList& requests, const NodeState& node);
// Filters beyond the pod spec (volume binding, attachments): why `node` cannot
// take the pod, or "" when it can.
using ExtraFilter = std::function<std::string(const models::Node& node)>;
Decision schedule(const models::Pod& pod, const std::vector<NodeState>& nodes, engine::Rng& rng,
                  const ExtraFilter& extra = {});
bool tolerates(const std::vector<models::Toleration>& tolerations, const models::Taint& taint);

}  // namespace kvsim::sim::controllers::scheduler
