#pragma once
// The disruption controller's computation of a PodDisruptionBudget's status
// (pkg/controller/disruption), as a pure function of the pods it selects and
// the scale of their controllers.
#include <optional>
#include <string>
#include <vector>

#include "models/policy.hpp"

namespace kvsim::sim::controllers::disruption {

bool pod_is_ready(const models::Pod& pod);

// The number of pods the budget's workloads want (sum of their controllers'
// replicas), or why it cannot be known.
struct ExpectedScale {
  std::optional<std::int32_t> replicas;
  std::string error;  // e.g. found no controllers for pod "web"
};

struct PdbPlan {
  models::PodDisruptionBudgetStatus status;
  std::optional<double> recheck_at;  // a disrupted pod's entry expires then
  std::string failure;               // SyncFailed: status is the fail-safe one (no disruption allowed)
  std::vector<std::string> expired;  // disrupted pods never deleted within the timeout
};

// `pods`: the budget's pods (namespace + selector), any state. `scale` is
// consulted only when the budget needs it (maxUnavailable, or a percentage).
PdbPlan plan(const models::PodDisruptionBudget& pdb, const std::vector<const models::Pod*>& pods,
             const ExpectedScale& scale, double now, double disrupted_pod_timeout);

// Whether the budget needs the controllers' scale (else the pod count is the expectation).
bool needs_scale(const models::PodDisruptionBudget& pdb);

}  // namespace kvsim::sim::controllers::disruption
