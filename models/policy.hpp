#pragma once
// The policy/v1 group: PodDisruptionBudget. (Eviction is a pods subresource,
// not a stored kind: see sim/api/eviction.hpp.)
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/core.hpp"

namespace kvsim::models {

struct PodDisruptionBudgetSpec {
  std::optional<IntOrString> minAvailable;
  std::optional<IntOrString> maxUnavailable;
  // policy/v1: null selects no pods, an empty selector every pod of the namespace.
  std::optional<LabelSelector> selector;
  std::optional<std::string> unhealthyPodEvictionPolicy;  // IfHealthyBudget (default behaviour) or AlwaysAllow
};
template <class V>
void visit_fields(V& v, PodDisruptionBudgetSpec& s) {
  v.field("minAvailable", s.minAvailable);
  v.field("maxUnavailable", s.maxUnavailable);
  v.field("selector", s.selector);
  v.enumerated("unhealthyPodEvictionPolicy", s.unhealthyPodEvictionPolicy, {"IfHealthyBudget", "AlwaysAllow"});
}

struct PodDisruptionBudgetStatus {
  std::int64_t observedGeneration = 0;
  // Pods the eviction subresource let go that the controller has not yet seen deleted.
  std::map<std::string, Timestamp> disruptedPods;
  std::int32_t disruptionsAllowed = 0;
  std::int32_t currentHealthy = 0;
  std::int32_t desiredHealthy = 0;
  std::int32_t expectedPods = 0;
  std::vector<Condition> conditions;
};
template <class V>
void visit_fields(V& v, PodDisruptionBudgetStatus& s) {
  v.field("observedGeneration", s.observedGeneration);
  v.field("disruptedPods", s.disruptedPods);
  v.field("disruptionsAllowed", s.disruptionsAllowed, Always);
  v.field("currentHealthy", s.currentHealthy, Always);
  v.field("desiredHealthy", s.desiredHealthy, Always);
  v.field("expectedPods", s.expectedPods, Always);
  v.field("conditions", s.conditions);
}

struct PodDisruptionBudget : ObjectOf<PodDisruptionBudget> {
  PodDisruptionBudgetSpec spec;
  PodDisruptionBudgetStatus status;
  static const KindInfo& kind_info();
};
template <class V>
void visit_fields(V& v, PodDisruptionBudget& p) {
  visit_header(v, p);
  v.field("spec", p.spec);
  v.field("status", p.status);
}

// Whether the budget covers a pod with these labels (same namespace assumed).
bool pdb_selects(const PodDisruptionBudget& pdb, const Labels& pod_labels);

}  // namespace kvsim::models
