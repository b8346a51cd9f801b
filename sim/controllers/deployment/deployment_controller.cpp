#include "sim/controllers/deployment/deployment_controller.hpp"

#include <fmt/format.h>

#include "models/apps.hpp"
#include "sim/controllers/deployment/plan.hpp"
#include "sim/controllers/deployment/rollout_math.hpp"
#include "sim/engine/clock.hpp"

namespace kvsim::sim::controllers::deployment {

using models::Deployment;
using models::Pod;
using models::ReplicaSet;

namespace {

const models::OwnerReference* deployment_ref(const models::Object& o) {
  const auto* ref = o.metadata.controller_ref();
  return ref && ref->kind == "Deployment" ? ref : nullptr;
}

bool controlled_by(const models::Object& o, const std::string& uid) {
  const auto* ref = o.metadata.controller_ref();
  return ref && ref->uid == uid;
}

std::string status_change(const models::DeploymentStatus& s) {
  std::string text = fmt::format("status {} replicas, {} updated, {} ready, {} available", s.replicas,
                                 s.updatedReplicas, s.readyReplicas, s.availableReplicas);
  if (const auto* c = models::find_condition(s.conditions, "Progressing")) text += " (" + c->reason + ")";
  return text;
}

}  // namespace

DeploymentController::DeploymentController(Context& ctx, std::string host)
    : Component(ctx, "deployment-controller", std::move(host)) {}

void DeploymentController::start() {
  Component::start();
  if (watching_) return;
  watching_ = true;
  watch({&Deployment::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) {
    if (e.type != api::EventType::Deleted) enqueue(key_of(*e.object));
  });
  watch({&ReplicaSet::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) { on_replicaset(e); });
  // Only pods made from a Deployment's ReplicaSet carry pod-template-hash: the
  // API server filters out every other pod (launcher pods, bare pods, ...).
  models::LabelSelector made_by_deployment{{}, {{"pod-template-hash", "Exists", {}}}};
  watch({&Pod::kind_info(), {}, made_by_deployment, {}}, [this](const api::WatchEvent& e) { on_pod(e); });
  for (const auto& d : ctx_.store.list(Deployment::kind_info())) enqueue(key_of(*d));
}

void DeploymentController::on_replicaset(const api::WatchEvent& e) {
  const auto& ns = e.object->metadata.namespace_;
  if (e.old)
    if (const auto* old_ref = deployment_ref(*e.old)) enqueue(ns + "/" + old_ref->name);
  if (const auto* ref = deployment_ref(*e.object)) {
    enqueue(ns + "/" + ref->name);
    return;
  }
  if (e.object->metadata.controller_ref() || e.type == api::EventType::Deleted) return;
  // An orphan: any Deployment whose selector takes it may adopt it.
  for (const auto& o : ctx_.store.list(Deployment::kind_info(), ns)) {
    const auto& d = static_cast<const Deployment&>(*o);
    if (d.spec.selector && d.spec.selector->matches(e.object->metadata.labels)) enqueue(key_of(d));
  }
}

void DeploymentController::on_pod(const api::WatchEvent& e) {
  // Only Recreate waits on pods: the last old pod gone lets the new ReplicaSet start.
  if (e.type != api::EventType::Deleted) return;
  const auto* rs_ref = e.object->metadata.controller_ref();
  if (!rs_ref || rs_ref->kind != "ReplicaSet") return;
  auto rs = ctx_.store.get<ReplicaSet>(e.object->metadata.namespace_, rs_ref->name);
  if (!rs) return;
  const auto* ref = deployment_ref(*rs);
  if (!ref) return;
  auto d = ctx_.store.get<Deployment>(rs->metadata.namespace_, ref->name);
  if (d && d->spec.strategy.type == "Recreate") enqueue(key_of(*d));
}

void DeploymentController::reconcile(const std::string& key) {
  const auto [ns, name] = split_key(key);
  auto d = ctx_.store.get<Deployment>(ns, name);
  if (!d) return;
  const auto& uid = d->metadata.uid;
  const bool deleting = d->metadata.being_deleted();
  Observed seen;
  seen.now = engine::now();

  // Claim ReplicaSets (upstream ClaimReplicaSets): keep, release or adopt by selector.
  for (const auto& o : ctx_.store.list(ReplicaSet::kind_info(), ns)) {
    const auto& rs = static_cast<const ReplicaSet&>(*o);
    const bool selected = d->spec.selector && d->spec.selector->matches(rs.metadata.labels);
    if (controlled_by(rs, uid)) {
      if (selected || deleting) {
        seen.replicasets.push_back(rs);
        continue;
      }
      auto next = std::static_pointer_cast<ReplicaSet>(rs.clone());
      erase_if(next->metadata.ownerReferences, [&](const auto& r) { return r.uid == uid; });
      ctx_.store.update(next, cause("ownerReference removed (released)",
                                    fmt::format("labels no longer match the selector of Deployment {}", key)));
    } else if (!rs.metadata.controller_ref() && selected && !deleting && !rs.metadata.being_deleted()) {
      auto next = std::static_pointer_cast<ReplicaSet>(rs.clone());
      next->metadata.ownerReferences.push_back({"apps/v1", "Deployment", name, uid, true, true});
      auto r = ctx_.store.update(next, cause("ownerReference added (adopted)",
                                             fmt::format("orphan matching the selector of Deployment {}", key)));
      if (r.ok()) seen.replicasets.push_back(static_cast<const ReplicaSet&>(*r.object));
    } else if (rs.metadata.name.starts_with(name + "-")) {
      seen.foreign_names.push_back(rs.metadata.name);
    }
  }
  if (d->spec.strategy.type == "Recreate") {
    for (const auto& rs : seen.replicasets) {
      int live = 0;
      for (const auto& o : ctx_.store.owned_by(rs.metadata.uid)) {
        if (o->kind != "Pod" || !controlled_by(*o, rs.metadata.uid)) continue;
        const auto& phase = static_cast<const Pod&>(*o).status.phase;
        if (phase != "Succeeded" && phase != "Failed") ++live;
      }
      seen.live_pods[rs.metadata.name] = live;
    }
  }

  const Plan p = plan(*d, seen);
  for (const auto& w : p.writes) {
    switch (w.kind) {
      case ReplicaSetWrite::Kind::Create: {
        auto r = ctx_.store.create(std::make_shared<ReplicaSet>(w.rs), cause("created", w.why));
        if (!r.ok()) event(*d, "Warning", "FailedCreate", fmt::format("Failed to create new replica set \"{}\": {}",
                                                                       w.rs.metadata.name, r.error));
        break;
      }
      case ReplicaSetWrite::Kind::Update: {
        auto current = ctx_.store.get<ReplicaSet>(ns, w.rs.metadata.name);
        if (!current) break;
        auto next = std::static_pointer_cast<ReplicaSet>(current->clone());
        next->spec = w.rs.spec;
        next->metadata.annotations = w.rs.metadata.annotations;
        const bool spec_change = models::encode_value(next->spec) != models::encode_value(current->spec);
        const std::string change =
            replicas_of(*current) != replicas_of(*next)
                ? fmt::format("replicas {} -> {}", replicas_of(*current), replicas_of(*next))
                : "annotations updated";
        ctx_.store.update(next, cause(change, w.why), spec_change);
        break;
      }
      case ReplicaSetWrite::Kind::Delete:
        ctx_.store.remove(ReplicaSet::kind_info(), ns, w.rs.metadata.name, cause("deleting", w.why));
        break;
    }
  }
  for (const auto& [reason, message] : p.events) event(*d, "Normal", reason, message);
  if (p.status || p.annotations) {
    auto current = ctx_.store.get<Deployment>(ns, name);
    if (current) {
      auto next = std::static_pointer_cast<Deployment>(current->clone());
      std::string change;
      if (p.annotations) {
        next->metadata.annotations = *p.annotations;
        auto it = p.annotations->find(kRevisionAnnotation);
        if (it != p.annotations->end() && current->metadata.annotations.count(kRevisionAnnotation) == 0)
          change = "revision " + it->second;
        else if (it != p.annotations->end() && current->metadata.annotations.at(kRevisionAnnotation) != it->second)
          change = fmt::format("revision {} -> {}", current->metadata.annotations.at(kRevisionAnnotation), it->second);
      }
      if (p.status) {
        next->status = *p.status;
        change += (change.empty() ? "" : ", ") + status_change(*p.status);
      }
      ctx_.store.update(next, cause(change.empty() ? "annotations updated" : change,
                                    fmt::format("{} wants {} replicas", key, replicas_of(*d))));
    }
  }
  if (p.requeue_after) requeue_after(key, *p.requeue_after);
}

}  // namespace kvsim::sim::controllers::deployment
