#include "sim/controllers/replicaset/replicaset_controller.hpp"

#include <fmt/format.h>

#include "sim/controllers/replicaset/plan.hpp"
#include "sim/engine/clock.hpp"

namespace kvsim::sim::controllers::replicaset {

using models::Pod;
using models::ReplicaSet;

namespace {

const models::OwnerReference* rs_ref(const models::Object& o) {
  const auto* ref = o.metadata.controller_ref();
  return ref && ref->kind == "ReplicaSet" ? ref : nullptr;
}

}  // namespace

ReplicaSetController::ReplicaSetController(Context& ctx, std::string host)
    : Component(ctx, "replicaset-controller", std::move(host)) {}

void ReplicaSetController::start() {
  Component::start();
  if (watching_) return;
  watching_ = true;
  watch({&ReplicaSet::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) {
    if (e.type == api::EventType::Deleted) expectations_.forget(e.object->metadata.uid);
    else enqueue(key_of(*e.object));
  });
  watch({&Pod::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) { on_pod(e); });
  for (const auto& rs : ctx_.store.list(ReplicaSet::kind_info())) enqueue(key_of(*rs));
}

void ReplicaSetController::on_pod(const api::WatchEvent& e) {
  const auto& pod = static_cast<const Pod&>(*e.object);
  const auto& ns = pod.metadata.namespace_;
  const auto* ref = rs_ref(pod);
  switch (e.type) {
    case api::EventType::Added:
      if (ref) expectations_.creation_observed(ref->uid);
      if (ref && pod.metadata.being_deleted()) expectations_.deletion_observed(ref->uid, pod.metadata.uid);
      break;
    case api::EventType::Modified: {
      const auto* old_ref = rs_ref(*e.old);
      // A pod marked for deletion is a deletion observed (upstream updatePod -> deletePod).
      if (ref && pod.metadata.being_deleted() && !e.old->metadata.being_deleted())
        expectations_.deletion_observed(ref->uid, pod.metadata.uid);
      if (old_ref && (!ref || old_ref->uid != ref->uid)) enqueue(ns + "/" + old_ref->name);
      break;
    }
    case api::EventType::Deleted:
      if (ref) expectations_.deletion_observed(ref->uid, pod.metadata.uid);
      break;
  }
  if (ref) enqueue(ns + "/" + ref->name);
  else if (!pod.metadata.controller_ref()) enqueue_matching(pod);
}

void ReplicaSetController::enqueue_matching(const Pod& pod) {
  // ReplicaSets are few next to pods: a namespace list is cheap.
  for (const auto& o : ctx_.store.list(ReplicaSet::kind_info(), pod.metadata.namespace_)) {
    const auto& rs = static_cast<const ReplicaSet&>(*o);
    if (rs.spec.selector && rs.spec.selector->matches(pod.metadata.labels)) enqueue(key_of(rs));
  }
}

std::vector<const Pod*> ReplicaSetController::related_pods(const ReplicaSet& rs,
                                                           std::vector<models::ObjectPtr>& keep_alive) const {
  std::vector<const Pod*> out;
  const auto* owner = rs.metadata.controller_ref();
  if (!owner) return out;
  std::set<std::string> seen;
  for (const auto& sibling : ctx_.store.owned_by(owner->uid)) {
    if (sibling->kind != "ReplicaSet") continue;
    const auto& srs = static_cast<const ReplicaSet&>(*sibling);
    if (!srs.spec.selector || srs.metadata.controller_ref() == nullptr ||
        srs.metadata.controller_ref()->uid != owner->uid)
      continue;
    for (auto& p : ctx_.store.list(Pod::kind_info(), srs.metadata.namespace_, &*srs.spec.selector)) {
      if (!seen.insert(p->metadata.uid).second) continue;
      out.push_back(static_cast<const Pod*>(p.get()));
      keep_alive.push_back(std::move(p));
    }
  }
  return out;
}

void ReplicaSetController::reconcile(const std::string& key) {
  const auto [ns, name] = split_key(key);
  auto rs = ctx_.store.get<ReplicaSet>(ns, name);
  if (!rs) return;
  const auto& uid = rs->metadata.uid;
  const double now = engine::now();

  Observed seen;
  seen.now = now;
  seen.expectations_met = expectations_.satisfied(uid, now);
  const auto owned = ctx_.store.owned_by(uid);
  for (const auto& o : owned)
    if (o->kind == "Pod" && o->metadata.controller_ref() && o->metadata.controller_ref()->uid == uid)
      seen.owned.push_back(static_cast<const Pod*>(o.get()));
  std::vector<models::ObjectPtr> candidates;
  if (rs->spec.selector && !rs->metadata.being_deleted()) {
    candidates = ctx_.store.list(Pod::kind_info(), ns, &*rs->spec.selector);
    for (const auto& o : candidates)
      if (!o->metadata.controller_ref()) seen.orphans.push_back(static_cast<const Pod*>(o.get()));
  }
  Plan p = plan(*rs, seen);
  std::vector<models::ObjectPtr> related_keep;
  if (!p.delete_pods.empty() && rs->metadata.controller_ref()) {
    // Scale-down ranks pods by how many of their siblings share a node: look wider only then.
    seen.related = related_pods(*rs, related_keep);
    p = plan(*rs, seen);
  }

  for (const auto& pod_name : p.adopt) {
    auto pod = ctx_.store.get<Pod>(ns, pod_name);
    if (!pod) continue;
    auto next = std::static_pointer_cast<Pod>(pod->clone());
    next->metadata.ownerReferences.push_back({"apps/v1", "ReplicaSet", rs->metadata.name, uid, true, true});
    ctx_.store.update(next, cause("ownerReference added (adopted)",
                                  fmt::format("orphan matching the selector of ReplicaSet {}", key)));
  }
  for (const auto& pod_name : p.release) {
    auto pod = ctx_.store.get<Pod>(ns, pod_name);
    if (!pod) continue;
    auto next = std::static_pointer_cast<Pod>(pod->clone());
    erase_if(next->metadata.ownerReferences, [&](const auto& r) { return r.uid == uid; });
    ctx_.store.update(next, cause("ownerReference removed (released)",
                                  fmt::format("labels no longer match the selector of ReplicaSet {}", key)));
  }

  std::string create_error;
  if (p.create > 0) expectations_.expect_creations(uid, p.create, now);
  for (int i = 0; i < p.create; ++i) {
    auto pod = std::make_shared<Pod>();
    pod->apiVersion = "v1";
    pod->kind = "Pod";
    pod->metadata.labels = rs->spec.template_.metadata.labels;
    pod->metadata.annotations = rs->spec.template_.metadata.annotations;
    pod->metadata.generateName = rs->metadata.name + "-";
    pod->metadata.namespace_ = ns;
    pod->metadata.ownerReferences = {{"apps/v1", "ReplicaSet", rs->metadata.name, uid, true, true}};
    pod->spec = rs->spec.template_.spec;
    auto r = ctx_.store.create(pod, cause("created", fmt::format("{} has {} of {} replicas", key,
                                                                 p.status.replicas + i, rs->spec.replicas.value_or(1))));
    if (r.ok()) {
      event(*rs, "Normal", "SuccessfulCreate", "Created pod: " + r.object->metadata.name);
    } else {
      // The watch will never report it: stop expecting it.
      expectations_.creation_observed(uid);
      create_error = r.error;
      event(*rs, "Warning", "FailedCreate", "Error creating: " + r.error);
    }
  }
  for (const auto& pod_name : p.delete_pods) {
    auto pod = ctx_.store.get<Pod>(ns, pod_name);
    if (!pod) continue;
    expectations_.expect_deletion(uid, pod->metadata.uid, now);
    auto r = ctx_.store.remove(Pod::kind_info(), ns, pod_name,
                               cause("deleting", fmt::format("{} has {} replicas, wants {}", key, p.status.replicas,
                                                             rs->spec.replicas.value_or(1))));
    if (!r.ok()) {
      expectations_.deletion_observed(uid, pod->metadata.uid);
      continue;
    }
    event(*rs, "Normal", "SuccessfulDelete", "Deleted pod: " + pod_name);
  }

  auto status = p.status;
  if (!create_error.empty()) {
    models::set_condition(status.conditions, {"ReplicaFailure", "True", "FailedCreate", create_error}, now);
  } else {
    std::erase_if(status.conditions, [](const auto& c) { return c.type == "ReplicaFailure"; });
  }
  auto current = ctx_.store.get<ReplicaSet>(ns, name);  // adoption and deletion did not touch it
  if (current && encode_value(status) != encode_value(current->status)) {
    auto next = std::static_pointer_cast<ReplicaSet>(current->clone());
    next->status = status;
    ctx_.store.update(next, cause(fmt::format("status {} replicas, {} ready, {} available", status.replicas,
                                              status.readyReplicas, status.availableReplicas)));
  }
  if (p.requeue_after) requeue_after(key, *p.requeue_after);
}

}  // namespace kvsim::sim::controllers::replicaset
