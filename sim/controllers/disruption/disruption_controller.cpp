#include "sim/controllers/disruption/disruption_controller.hpp"

#include <fmt/format.h>

#include <set>

#include "models/apps.hpp"
#include "sim/engine/clock.hpp"

namespace kvsim::sim::controllers::disruption {

using models::Pod;
using models::PodDisruptionBudget;

DisruptionController::DisruptionController(Context& ctx, std::string host)
    : Component(ctx, "disruption-controller", std::move(host)) {}

void DisruptionController::start() {
  Component::start();
  if (watching_) return;
  watching_ = true;
  watch({&PodDisruptionBudget::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) {
    if (e.type != api::EventType::Deleted) enqueue(key_of(*e.object));
  });
  watch({&Pod::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) { pod_changed(e); });
  for (const auto& o : ctx_.store.list(PodDisruptionBudget::kind_info())) enqueue(key_of(*o));
}

// A pod's budgets: those of its namespace selecting it before or after the change
// (a namespace holds few budgets, as upstream's getPdbForPod assumes).
void DisruptionController::pod_changed(const api::WatchEvent& e) {
  const auto& ns = e.object->metadata.namespace_;
  for (const auto& o : ctx_.store.list(PodDisruptionBudget::kind_info(), ns)) {
    const auto& pdb = static_cast<const PodDisruptionBudget&>(*o);
    if (models::pdb_selects(pdb, e.object->metadata.labels) || (e.old && models::pdb_selects(pdb, e.old->metadata.labels)))
      enqueue(key_of(pdb));
  }
}

// The replicas the pods' controllers want, each controller counted once
// (getExpectedScale: ReplicaSets, through to their Deployment, and StatefulSets).
ExpectedScale DisruptionController::expected_scale(const std::vector<const Pod*>& pods) const {
  ExpectedScale out;
  std::int32_t total = 0;
  std::set<std::string> seen;
  auto& store = ctx_.store;
  for (const auto* pod : pods) {
    const auto* ref = pod->metadata.controller_ref();
    if (!ref) {
      out.error = fmt::format("found no controllers for pod \"{}\"", pod->metadata.name);
      return out;
    }
    if (!seen.insert(ref->uid).second) continue;
    const auto& ns = pod->metadata.namespace_;
    if (ref->kind == "ReplicaSet") {
      auto rs = store.get<models::ReplicaSet>(ns, ref->name);
      if (!rs) {
        out.error = fmt::format("replicasets.apps \"{}\" not found", ref->name);
        return out;
      }
      const auto* owner = rs->metadata.controller_ref();
      if (owner && owner->kind == "Deployment") {
        if (!seen.insert(owner->uid).second) continue;
        if (auto d = store.get<models::Deployment>(ns, owner->name)) {
          total += d->spec.replicas.value_or(1);
          continue;
        }
      }
      total += rs->spec.replicas.value_or(1);
    } else if (ref->kind == "StatefulSet") {
      auto sts = store.get<models::StatefulSet>(ns, ref->name);
      if (!sts) {
        out.error = fmt::format("statefulsets.apps \"{}\" not found", ref->name);
        return out;
      }
      total += sts->spec.replicas.value_or(1);
    } else {
      out.error = fmt::format("{} \"{}\" has no scale subresource", ref->kind, ref->name);
      return out;
    }
  }
  out.replicas = total;
  return out;
}

void DisruptionController::reconcile(const std::string& key) {
  const auto [ns, name] = split_key(key);
  auto pdb = ctx_.store.get<PodDisruptionBudget>(ns, name);
  if (!pdb || pdb->metadata.being_deleted()) return;
  std::vector<models::ObjectPtr> objects;
  if (pdb->spec.selector) objects = ctx_.store.list(Pod::kind_info(), ns, &*pdb->spec.selector);
  std::vector<const Pod*> pods;
  for (const auto& o : objects) pods.push_back(static_cast<const Pod*>(o.get()));
  if (pods.empty()) event(*pdb, "Normal", "NoPods", "No matching pods found");
  const auto scale = needs_scale(*pdb) ? expected_scale(pods) : ExpectedScale{};
  const double now = engine::now();
  const auto p = plan(*pdb, pods, scale, now, ctx_.profile.pdb_disrupted_pod_timeout);
  if (!p.failure.empty())
    event(*pdb, "Warning", "CalculateExpectedPodCountFailed",
          "Failed to calculate the number of expected pods: " + p.failure);
  for (const auto& pod_name : p.expired)
    if (auto pod = ctx_.store.get(Pod::kind_info(), ns, pod_name))
      event(*pod, "Warning", "NotDeleted",
            fmt::format("Pod was expected by PDB {}/{} to be disrupted a while ago but was not deleted.", ns, name));
  if (p.recheck_at) enqueue(key, *p.recheck_at - now);
  if (models::encode_value(p.status) == models::encode_value(pdb->status)) return;
  auto next = std::static_pointer_cast<PodDisruptionBudget>(pdb->clone());
  next->status = p.status;
  next->metadata.resourceVersion.clear();
  const auto& s = p.status;
  const auto& was = pdb->status;
  const std::string change =
      s.disruptionsAllowed != was.disruptionsAllowed
          ? fmt::format("disruptionsAllowed {} -> {}", was.disruptionsAllowed, s.disruptionsAllowed)
      : s.currentHealthy != was.currentHealthy ? fmt::format("currentHealthy {} -> {}", was.currentHealthy, s.currentHealthy)
                                               : "status updated";
  ctx_.store.update(next, cause(change, fmt::format("{} healthy, {} desired, {} expected", s.currentHealthy,
                                                    s.desiredHealthy, s.expectedPods)));
}

}  // namespace kvsim::sim::controllers::disruption
