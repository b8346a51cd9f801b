#include "sim/api/eviction.hpp"

#include <fmt/format.h>

#include "sim/engine/clock.hpp"

namespace kvsim::sim::api {

using models::Pod;
using models::PodDisruptionBudget;

namespace {

bool pod_ready(const Pod& pod) {
  const auto* c = models::find_condition(pod.status.conditions, "Ready");
  return c && c->status == "True";
}

// canIgnorePDB: the disruption already happened, or the pod never ran.
bool budget_irrelevant(const Pod& pod) {
  return pod.status.phase == "Succeeded" || pod.status.phase == "Failed" || pod.status.phase == "Pending" ||
         pod.status.phase.empty() || pod.metadata.being_deleted();
}

// The eviction API marks the pod before deleting it (PodDisruptionConditions, GA in 1.31).
void mark_disruption_target(Store& store, const Pod& pod, const Cause& cause) {
  auto next = std::static_pointer_cast<Pod>(pod.clone());
  if (!models::set_condition(next->status.conditions,
                             {"DisruptionTarget", "True", "EvictionByEvictionAPI", "Eviction API: evicting"},
                             engine::now()))
    return;
  next->metadata.resourceVersion.clear();
  store.update(next, Cause{cause.component, "DisruptionTarget True", "EvictionByEvictionAPI"});
}

EvictionResult delete_pod(Store& store, const Pod& pod, const DeleteOptions& options, const Cause& cause) {
  if (!pod.metadata.being_deleted()) mark_disruption_target(store, pod, cause);
  auto r = store.remove(Pod::kind_info(), pod.metadata.namespace_, pod.metadata.name, cause, options);
  if (!r.ok()) return {r.code, r.error};
  return {201, {}};
}

}  // namespace

EvictionResult evict_pod(Store& store, const std::string& ns, const std::string& name, const DeleteOptions& options,
                         const Cause& cause, const std::vector<EvictionWebhook>& webhooks) {
  auto pod = store.get<Pod>(ns, name);
  if (!pod) return {404, fmt::format("pods \"{}\" not found", name)};
  for (const auto& hook : webhooks)
    if (auto refused = hook(*pod)) return *refused;
  if (budget_irrelevant(*pod)) return delete_pod(store, *pod, options, cause);

  std::vector<std::shared_ptr<const PodDisruptionBudget>> budgets;
  for (const auto& o : store.list(PodDisruptionBudget::kind_info(), ns)) {
    auto pdb = std::static_pointer_cast<const PodDisruptionBudget>(o);
    if (models::pdb_selects(*pdb, pod->metadata.labels)) budgets.push_back(pdb);
  }
  if (budgets.size() > 1)
    return {500, "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support."};
  if (budgets.empty()) return delete_pod(store, *pod, options, cause);

  const auto& pdb = *budgets.front();
  const auto& st = pdb.status;
  // An unhealthy pod adds no disruption: it may go while the budget is met
  // (IfHealthyBudget, the default) or always (AlwaysAllow), without taking one.
  if (!pod_ready(*pod)) {
    const bool always = pdb.spec.unhealthyPodEvictionPolicy.value_or("IfHealthyBudget") == "AlwaysAllow";
    if (always || (st.currentHealthy >= st.desiredHealthy && st.desiredHealthy > 0))
      return delete_pod(store, *pod, options, cause);
  }
  if (st.observedGeneration < pdb.metadata.generation) return {429, kBudgetViolation};
  if (st.disruptionsAllowed < 0)
    return {403, fmt::format("poddisruptionbudgets.policy \"{}\" is forbidden: pdb disruptions allowed is negative",
                             pdb.metadata.name)};
  if (st.disruptionsAllowed == 0) return {429, kBudgetViolation};

  // Take the disruption: the controller will not count the pod as healthy while it goes.
  auto next = std::static_pointer_cast<PodDisruptionBudget>(pdb.clone());
  next->status.disruptionsAllowed -= 1;
  next->status.disruptedPods[name] = models::Timestamp{engine::now()};
  if (next->status.disruptionsAllowed == 0)
    models::set_condition(next->status.conditions, {"DisruptionAllowed", "False", "InsufficientPods", ""}, engine::now());
  next->metadata.resourceVersion.clear();
  store.update(next, Cause{cause.component,
                           fmt::format("disruptionsAllowed {} -> {}", st.disruptionsAllowed, st.disruptionsAllowed - 1),
                           fmt::format("eviction of pod {}", name)});
  return delete_pod(store, *pod, options, cause);
}

}  // namespace kvsim::sim::api
