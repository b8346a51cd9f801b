#include "sim/controllers/daemonset/daemonset_controller.hpp"

#include <fmt/format.h>

#include "sim/controllers/daemonset/eligibility.hpp"
#include "sim/controllers/daemonset/plan.hpp"
#include "sim/controllers/deployment/template_hash.hpp"
#include "sim/controllers/replicaset/plan.hpp"
#include "sim/engine/clock.hpp"

namespace kvsim::sim::controllers::daemonset {

using models::DaemonSet;
using models::Node;
using models::Pod;

namespace {

const models::OwnerReference* ds_ref(const models::Object& o) {
  const auto* ref = o.metadata.controller_ref();
  return ref && ref->kind == "DaemonSet" ? ref : nullptr;
}

// What the plan reads of a pod: a change elsewhere (container statuses, IPs) needs no sync.
bool relevant_change(const Pod& before, const Pod& after) {
  return before.metadata.being_deleted() != after.metadata.being_deleted() ||
         before.status.phase != after.status.phase || before.spec.nodeName != after.spec.nodeName ||
         replicaset::pod_is_ready(before) != replicaset::pod_is_ready(after) ||
         before.metadata.labels != after.metadata.labels;
}

// What decides a node's fit: a heartbeat or a condition change does not.
bool placement_changed(const Node& before, const Node& after) {
  return before.metadata.labels != after.metadata.labels || before.spec.taints != after.spec.taints ||
         before.spec.unschedulable != after.spec.unschedulable;
}

}  // namespace

DaemonSetController::DaemonSetController(Context& ctx, std::string host)
    : Component(ctx, "daemonset-controller", std::move(host)) {}

void DaemonSetController::start() {
  Component::start();
  if (!watching_) {
    watching_ = true;
    watch({&DaemonSet::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) {
      if (e.type == api::EventType::Deleted) expectations_.forget(e.object->metadata.uid);
      else enqueue(key_of(*e.object));
    });
    watch({&Pod::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) { on_pod(e); });
    watch({&Node::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) { on_node(e); });
  }
  for (const auto& ds : ctx_.store.list(DaemonSet::kind_info())) enqueue(key_of(*ds));
}

void DaemonSetController::on_pod(const api::WatchEvent& e) {
  const auto& pod = static_cast<const Pod&>(*e.object);
  const auto* ref = ds_ref(pod);
  if (!ref) return;
  switch (e.type) {
    case api::EventType::Added:
      expectations_.creation_observed(ref->uid);
      break;
    case api::EventType::Modified:
      // A pod marked for deletion is a deletion observed (upstream updatePod -> deletePod).
      if (pod.metadata.being_deleted() && !e.old->metadata.being_deleted())
        expectations_.deletion_observed(ref->uid, pod.metadata.uid);
      if (!relevant_change(static_cast<const Pod&>(*e.old), pod)) return;
      break;
    case api::EventType::Deleted:
      expectations_.deletion_observed(ref->uid, pod.metadata.uid);
      break;
  }
  enqueue(pod.metadata.namespace_ + "/" + ref->name);
}

void DaemonSetController::on_node(const api::WatchEvent& e) {
  const auto& node = static_cast<const Node&>(*e.object);
  const auto* old = static_cast<const Node*>(e.old.get());
  if (e.type == api::EventType::Modified && !placement_changed(*old, node)) return;
  // DaemonSets are few next to nodes: look at each, and sync those whose fit moved.
  for (const auto& o : ctx_.store.list(DaemonSet::kind_info())) {
    const auto& ds = static_cast<const DaemonSet&>(*o);
    auto spec = ds.spec.template_.spec;
    add_daemon_tolerations(spec);
    const NodeFit now = node_fit(spec, node);
    if (e.type == api::EventType::Modified) {
      const NodeFit before = node_fit(spec, *old);
      if (before.should_run == now.should_run && before.should_continue_running == now.should_continue_running) continue;
    } else if (e.type == api::EventType::Added && !now.should_run) {
      continue;
    }
    enqueue(key_of(ds));
  }
}

void DaemonSetController::reconcile(const std::string& key) {
  const auto [ns, name] = split_key(key);
  auto ds = ctx_.store.get<DaemonSet>(ns, name);
  if (!ds) return;
  const double now = engine::now();
  const auto& uid = ds->metadata.uid;

  Observed seen;
  const auto node_objects = ctx_.store.list(Node::kind_info());
  seen.nodes.reserve(node_objects.size());
  for (const auto& o : node_objects) seen.nodes.push_back(static_cast<const Node*>(o.get()));
  const auto owned = ctx_.store.owned_by(uid);
  for (const auto& o : owned)
    if (o->kind == "Pod" && o->metadata.controller_ref() && o->metadata.controller_ref()->uid == uid)
      seen.pods.push_back(static_cast<const Pod*>(o.get()));
  seen.hash = deployment::template_hash(ds->spec.template_);
  seen.expectations_met = expectations_.satisfied(uid, now);
  seen.now = now;
  const Plan p = plan(*ds, seen);

  if (!p.create_on.empty()) expectations_.expect_creations(uid, static_cast<int>(p.create_on.size()), now);
  for (const auto& node : p.create_on) {
    auto r = ctx_.store.create(new_daemon_pod(*ds, node, seen.hash),
                               cause("created", fmt::format("DaemonSet {} wants a pod on node {}", key, node)));
    if (r.ok()) {
      event(*ds, "Normal", "SuccessfulCreate", "Created pod: " + r.object->metadata.name);
    } else {
      expectations_.creation_observed(uid);
      event(*ds, "Warning", "FailedCreate", "Error creating: " + r.error);
    }
  }
  for (const auto& d : p.remove) {
    auto pod = ctx_.store.get<Pod>(ns, d.pod);
    if (!pod) continue;
    expectations_.expect_deletion(uid, pod->metadata.uid, now);
    auto r = ctx_.store.remove(Pod::kind_info(), ns, d.pod, cause("deleting", d.reason));
    if (r.ok()) {
      event(*ds, "Normal", "SuccessfulDelete", "Deleted pod: " + d.pod);
    } else {
      expectations_.deletion_observed(uid, pod->metadata.uid);
      event(*ds, "Warning", "FailedDelete", "Error deleting: " + r.error);
    }
  }

  if (!ds->metadata.being_deleted() && encode_value(p.status) != encode_value(ds->status)) {
    auto next = std::static_pointer_cast<DaemonSet>(ds->clone());
    next->metadata.resourceVersion.clear();
    next->status = p.status;
    const auto& st = p.status;
    ctx_.store.update(next, cause(fmt::format("status desired {}, current {}, ready {}, up-to-date {}, available {}",
                                              st.desiredNumberScheduled, st.currentNumberScheduled, st.numberReady,
                                              st.updatedNumberScheduled, st.numberAvailable)));
  }
  if (p.requeue_after) requeue_after(key, *p.requeue_after);
}

}  // namespace kvsim::sim::controllers::daemonset
