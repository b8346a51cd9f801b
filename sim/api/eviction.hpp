#pragma once
// The pods/eviction subresource (policy/v1 Eviction), as the API server runs
// it (pkg/registry/core/pod/storage/eviction.go): a pod already finished,
// Pending or terminating is deleted outright; otherwise its one
// PodDisruptionBudget must allow a disruption, which the eviction takes
// (disruptionsAllowed - 1, the pod recorded in disruptedPods) before the
// graceful delete. Refusals are 429 TooManyRequests, as kubectl retries them.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "models/policy.hpp"
#include "sim/api/store.hpp"

namespace kvsim::sim::api {

struct EvictionResult {
  int code = 201;       // 201 evicted, 404 not found, 429 budget, 500 several budgets, 403 forbidden
  std::string message;  // the Status message, as kubectl prints it
  bool ok() const { return code == 201; }
};

// Validating admission webhooks registered on pods/eviction run before the
// subresource: a result refuses the eviction with it. KubeVirt's virt-api
// plugs in here for VMIs with evictionStrategy LiveMigrate (it refuses the
// eviction and marks the VMI for evacuation: virt-controller migrates it).
using EvictionWebhook = std::function<std::optional<EvictionResult>(const models::Pod& pod)>;

EvictionResult evict_pod(Store& store, const std::string& ns, const std::string& name, const DeleteOptions& options,
                         const Cause& cause, const std::vector<EvictionWebhook>& webhooks = {});

inline constexpr const char* kBudgetViolation = "Cannot evict pod as it would violate the pod's disruption budget.";

}  // namespace kvsim::sim::api
