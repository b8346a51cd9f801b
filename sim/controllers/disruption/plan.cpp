#include "sim/controllers/disruption/plan.hpp"

#include <algorithm>

namespace kvsim::sim::controllers::disruption {

bool pod_is_ready(const models::Pod& pod) {
  const auto* c = models::find_condition(pod.status.conditions, "Ready");
  return c && c->status == "True";
}

bool needs_scale(const models::PodDisruptionBudget& pdb) {
  return pdb.spec.maxUnavailable || (pdb.spec.minAvailable && pdb.spec.minAvailable->is_string);
}

namespace {

void set_allowed_condition(models::PodDisruptionBudgetStatus& s, const std::string& reason, const std::string& message,
                           double now) {
  models::set_condition(s.conditions, {"DisruptionAllowed", s.disruptionsAllowed > 0 ? "True" : "False", reason, message},
                        now);
}

}  // namespace

PdbPlan plan(const models::PodDisruptionBudget& pdb, const std::vector<const models::Pod*>& pods,
             const ExpectedScale& scale, double now, double disrupted_pod_timeout) {
  PdbPlan out;
  auto& s = out.status;
  s = pdb.status;
  s.observedGeneration = pdb.metadata.generation;

  // Expected and desired counts.
  std::int32_t expected = 0, desired = 0;
  if (needs_scale(pdb)) {
    if (!scale.replicas) {
      out.failure = scale.error;
      s.disruptionsAllowed = 0;
      set_allowed_condition(s, "SyncFailed", scale.error, now);
      return out;
    }
    expected = *scale.replicas;
    if (pdb.spec.maxUnavailable) {
      const auto max_unavailable = pdb.spec.maxUnavailable->scaled(expected, true).value_or(0);
      desired = std::max<std::int32_t>(0, expected - static_cast<std::int32_t>(max_unavailable));
    } else {
      desired = static_cast<std::int32_t>(pdb.spec.minAvailable->scaled(expected, true).value_or(0));
    }
  } else {
    expected = static_cast<std::int32_t>(pods.size());
    desired = pdb.spec.minAvailable ? static_cast<std::int32_t>(pdb.spec.minAvailable->int_value) : 0;
  }

  // Pods the eviction subresource let go: they stop counting until deleted,
  // or until the timeout says the deletion is not coming.
  std::map<std::string, models::Timestamp> disrupted;
  for (const auto* pod : pods) {
    if (pod->metadata.being_deleted()) continue;
    auto it = pdb.status.disruptedPods.find(pod->metadata.name);
    if (it == pdb.status.disruptedPods.end()) continue;
    const double expires = it->second.seconds + disrupted_pod_timeout;
    if (expires < now) {
      out.expired.push_back(pod->metadata.name);
      continue;
    }
    disrupted.emplace(it->first, it->second);
    out.recheck_at = out.recheck_at ? std::min(*out.recheck_at, expires) : expires;
  }
  std::int32_t healthy = 0;
  for (const auto* pod : pods) {
    if (pod->metadata.being_deleted() || disrupted.contains(pod->metadata.name)) continue;
    if (pod_is_ready(*pod)) ++healthy;
  }
  s.disruptedPods = std::move(disrupted);
  s.expectedPods = expected;
  s.desiredHealthy = desired;
  s.currentHealthy = healthy;
  s.disruptionsAllowed = expected <= 0 ? 0 : std::max<std::int32_t>(0, healthy - desired);
  set_allowed_condition(s, s.disruptionsAllowed > 0 ? "SufficientPods" : "InsufficientPods", "", now);
  return out;
}

}  // namespace kvsim::sim::controllers::disruption
