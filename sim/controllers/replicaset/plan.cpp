#include "sim/controllers/replicaset/plan.hpp"

#include <algorithm>

namespace kvsim::sim::controllers::replicaset {

bool pod_is_active(const models::Pod& p) {
  return !p.metadata.being_deleted() && p.status.phase != "Succeeded" && p.status.phase != "Failed";
}

bool pod_is_ready(const models::Pod& p) {
  const auto* c = models::find_condition(p.status.conditions, "Ready");
  return c && c->status == "True";
}

Plan plan(const models::ReplicaSet& rs, const std::vector<const models::Pod*>& pods, int pending_creates) {
  Plan out;
  std::vector<const models::Pod*> active;
  for (const auto* p : pods)
    if (pod_is_active(*p)) active.push_back(p);
  const int want = rs.spec.replicas.value_or(1);
  const int have = static_cast<int>(active.size()) + pending_creates;
  if (have < want) out.create = want - have;
  if (static_cast<int>(active.size()) > want) {
    // Upstream order: unscheduled first, then pending, then not ready, then newest.
    auto rank = [](const models::Pod* p) {
      if (p->spec.nodeName.empty()) return 0;
      if (p->status.phase == "Pending") return 1;
      if (!pod_is_ready(*p)) return 2;
      return 3;
    };
    std::vector<const models::Pod*> order = active;
    std::stable_sort(order.begin(), order.end(), [&](const auto* a, const auto* b) {
      if (rank(a) != rank(b)) return rank(a) < rank(b);
      const double ta = a->metadata.creationTimestamp ? a->metadata.creationTimestamp->seconds : 0;
      const double tb = b->metadata.creationTimestamp ? b->metadata.creationTimestamp->seconds : 0;
      if (ta != tb) return ta > tb;
      return a->metadata.name < b->metadata.name;
    });
    for (int i = 0; i < static_cast<int>(active.size()) - want; ++i) out.delete_pods.push_back(order[i]->metadata.name);
  }
  out.status.replicas = static_cast<int>(active.size());
  out.status.fullyLabeledReplicas = out.status.replicas;
  for (const auto* p : active)
    if (pod_is_ready(*p)) ++out.status.readyReplicas;
  out.status.availableReplicas = out.status.readyReplicas;
  out.status.observedGeneration = rs.metadata.generation;
  return out;
}

}  // namespace kvsim::sim::controllers::replicaset
