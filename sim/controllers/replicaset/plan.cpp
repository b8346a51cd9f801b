#include "sim/controllers/replicaset/plan.hpp"

#include <algorithm>

#include "sim/controllers/replicaset/deletion_order.hpp"

namespace kvsim::sim::controllers::replicaset {

bool pod_is_active(const models::Pod& p) {
  return !p.metadata.being_deleted() && p.status.phase != "Succeeded" && p.status.phase != "Failed";
}

bool pod_is_ready(const models::Pod& p) {
  const auto* c = models::find_condition(p.status.conditions, "Ready");
  return c && c->status == "True";
}

bool pod_is_available(const models::Pod& p, std::int32_t min_ready_seconds, double now) {
  if (!pod_is_ready(p)) return false;
  if (min_ready_seconds == 0) return true;
  const auto* c = models::find_condition(p.status.conditions, "Ready");
  return c->lastTransitionTime && c->lastTransitionTime->seconds + min_ready_seconds <= now;
}

namespace {

// The template's labels as an equality selector (upstream's fullyLabeledReplicas test).
bool has_template_labels(const models::Pod& p, const models::Labels& template_labels) {
  for (const auto& [k, v] : template_labels) {
    auto it = p.metadata.labels.find(k);
    if (it == p.metadata.labels.end() || it->second != v) return false;
  }
  return true;
}

}  // namespace

Plan plan(const models::ReplicaSet& rs, const Observed& seen) {
  Plan out;
  const bool deleting = rs.metadata.being_deleted();
  auto matches = [&](const models::Pod& p) { return rs.spec.selector && rs.spec.selector->matches(p.metadata.labels); };

  // Claim: keep what we own and still select, release what we own but no longer
  // select, adopt matching orphans. Only active pods take part (upstream claims
  // the filtered list), and a ReplicaSet being deleted adopts and releases nothing.
  std::vector<const models::Pod*> active;
  for (const auto* p : seen.owned) {
    if (!pod_is_active(*p)) continue;
    if (matches(*p)) active.push_back(p);
    else if (!deleting) out.release.push_back(p->metadata.name);
  }
  if (!deleting) {
    for (const auto* p : seen.orphans) {
      if (!pod_is_active(*p) || !matches(*p) || p->metadata.controller_ref()) continue;
      out.adopt.push_back(p->metadata.name);
      active.push_back(p);
    }
  }
  std::sort(active.begin(), active.end(), [](const auto* a, const auto* b) { return a->metadata.name < b->metadata.name; });

  const int want = rs.spec.replicas.value_or(1);
  const int diff = static_cast<int>(active.size()) - want;
  if (seen.expectations_met && !deleting) {
    if (diff < 0) out.create = std::min(-diff, kBurstReplicas);
    if (diff > 0) {
      for (const auto* p : pods_to_delete(active, seen.related, std::min(diff, kBurstReplicas), seen.now))
        out.delete_pods.push_back(p->metadata.name);
    }
  }

  auto& st = out.status;
  st.replicas = static_cast<int>(active.size());
  std::optional<double> next_available;
  for (const auto* p : active) {
    if (has_template_labels(*p, rs.spec.template_.metadata.labels)) ++st.fullyLabeledReplicas;
    if (!pod_is_ready(*p)) continue;
    ++st.readyReplicas;
    if (pod_is_available(*p, rs.spec.minReadySeconds, seen.now)) {
      ++st.availableReplicas;
    } else if (const auto* c = models::find_condition(p->status.conditions, "Ready"); c->lastTransitionTime) {
      const double at = c->lastTransitionTime->seconds + rs.spec.minReadySeconds;
      next_available = next_available ? std::min(*next_available, at) : at;
    }
  }
  if (next_available) out.requeue_after = std::max(0.0, *next_available - seen.now);
  st.observedGeneration = rs.metadata.generation;
  st.conditions = rs.status.conditions;
  return out;
}

}  // namespace kvsim::sim::controllers::replicaset
