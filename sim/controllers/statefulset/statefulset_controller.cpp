#include "sim/controllers/statefulset/statefulset_controller.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "sim/controllers/statefulset/identity.hpp"
#include "sim/controllers/statefulset/plan.hpp"
#include "sim/engine/clock.hpp"

namespace kvsim::sim::controllers::statefulset {

using models::PersistentVolumeClaim;
using models::Pod;
using models::StatefulSet;

StatefulSetController::StatefulSetController(Context& ctx, std::string host)
    : Component(ctx, "statefulset-controller", std::move(host)) {}

void StatefulSetController::start() {
  Component::start();
  if (!watching_) {
    watching_ = true;
    watch({&StatefulSet::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) {
      if (e.type != api::EventType::Deleted) enqueue(key_of(*e.object));
    });
    watch({&Pod::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) { on_pod(e); });
    watch({&PersistentVolumeClaim::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) { on_claim(e); });
  }
  for (const auto& s : ctx_.store.list(StatefulSet::kind_info())) enqueue(key_of(*s));
}

void StatefulSetController::on_pod(const api::WatchEvent& e) {
  const auto* ref = e.object->metadata.controller_ref();
  if (ref && ref->kind == "StatefulSet") enqueue(e.object->metadata.namespace_ + "/" + ref->name);
}

// A claim gone or going may unblock a pod waiting to be recreated with it.
void StatefulSetController::on_claim(const api::WatchEvent& e) {
  if (e.type == api::EventType::Added) return;
  const auto& claim = *e.object;
  for (const auto& o : ctx_.store.list(StatefulSet::kind_info(), claim.metadata.namespace_)) {
    const auto& set = static_cast<const StatefulSet&>(*o);
    if (set.spec.selector && set.spec.selector->matches(claim.metadata.labels)) enqueue(key_of(set));
  }
}

const models::PodTemplateSpec& StatefulSetController::template_of(const StatefulSet& set,
                                                                  const std::string& revision) const {
  auto it = revisions_.find(set.metadata.namespace_ + "/" + revision);
  return it == revisions_.end() ? set.spec.template_ : it->second;
}

void StatefulSetController::create_claims(const StatefulSet& set, int ordinal, const std::string& pod) {
  const auto& ns = set.metadata.namespace_;
  for (const auto& t : set.spec.volumeClaimTemplates) {
    const auto name = claim_name(set, t, ordinal);
    if (ctx_.store.get<PersistentVolumeClaim>(ns, name)) continue;
    auto r = ctx_.store.create(new_claim(set, t, ordinal),
                               cause("created", fmt::format("claim template {} for pod {}", t.metadata.name, pod)));
    if (r.ok())
      event(set, "Normal", "SuccessfulCreate",
            fmt::format("create Claim {} Pod {} in StatefulSet {} success", name, pod, set.metadata.name));
    else
      event(set, "Warning", "FailedCreate",
            fmt::format("create Claim {} for Pod {} in StatefulSet {} failed error: {}", name, pod, set.metadata.name,
                        r.error));
  }
}

void StatefulSetController::reconcile(const std::string& key) {
  const auto [ns, name] = split_key(key);
  auto set = ctx_.store.get<StatefulSet>(ns, name);
  if (!set) return;
  const auto& uid = set->metadata.uid;

  Observed seen;
  seen.now = engine::now();
  seen.update_revision = revision_name(*set, set->spec.template_);
  revisions_[ns + "/" + seen.update_revision] = set->spec.template_;
  seen.current_revision = set->status.currentRevision.empty() ? seen.update_revision : set->status.currentRevision;
  const auto owned = ctx_.store.owned_by(uid);
  int ordinals = set->spec.replicas.value_or(1);
  for (const auto& o : owned)
    if (o->kind == "Pod" && o->metadata.controller_ref() && o->metadata.controller_ref()->uid == uid) {
      seen.pods.push_back(static_cast<const Pod*>(o.get()));
      ordinals = std::max(ordinals, ordinal_of(*set, o->metadata.name) + 1);
    }
  std::vector<std::shared_ptr<const PersistentVolumeClaim>> claims;  // keeps the snapshots alive
  for (int ord = 0; ord < ordinals; ++ord)
    for (const auto& t : set->spec.volumeClaimTemplates)
      if (auto c = ctx_.store.get<PersistentVolumeClaim>(ns, claim_name(*set, t, ord))) {
        seen.claims[c->metadata.name] = c.get();
        claims.push_back(std::move(c));
      }
  const Plan p = plan(*set, seen);

  for (const auto& a : p.actions) {
    switch (a.type) {
      case Action::Type::CreatePod: {
        create_claims(*set, a.ordinal, a.name);
        const auto& revision = a.current_revision ? seen.current_revision : seen.update_revision;
        auto r = ctx_.store.create(new_stateful_pod(*set, template_of(*set, revision), a.ordinal, revision),
                                   cause("created", a.reason));
        if (r.ok())
          event(*set, "Normal", "SuccessfulCreate",
                fmt::format("create Pod {} in StatefulSet {} successful", a.name, name));
        else if (r.code != 409)
          event(*set, "Warning", "FailedCreate",
                fmt::format("create Pod {} in StatefulSet {} failed error: {}", a.name, name, r.error));
        break;
      }
      case Action::Type::CreateClaims:
        create_claims(*set, a.ordinal, a.name);
        break;
      case Action::Type::DeletePod: {
        auto r = ctx_.store.remove(Pod::kind_info(), ns, a.name, cause("deleting", a.reason));
        if (r.ok())
          event(*set, "Normal", "SuccessfulDelete",
                fmt::format("delete Pod {} in StatefulSet {} successful", a.name, name));
        break;
      }
      case Action::Type::SetClaimOwners: {
        auto claim = ctx_.store.get<PersistentVolumeClaim>(ns, a.name);
        if (!claim) break;
        auto next = std::static_pointer_cast<PersistentVolumeClaim>(claim->clone());
        next->metadata.resourceVersion.clear();
        next->metadata.ownerReferences = a.owners;
        ctx_.store.update(next, cause("ownerReferences updated", a.reason));
        break;
      }
    }
  }

  auto status = p.status;
  complete_rolling_update(*set, status);
  if (encode_value(status) != encode_value(set->status)) {
    auto next = std::static_pointer_cast<StatefulSet>(set->clone());
    next->metadata.resourceVersion.clear();
    next->status = status;
    std::string change = fmt::format("status {} pods, {}/{} ready, {} updated", status.replicas, status.readyReplicas,
                                     set->spec.replicas.value_or(1), status.updatedReplicas);
    if (status.currentRevision != set->status.currentRevision && !set->status.currentRevision.empty())
      change += ", current revision " + status.currentRevision;
    ctx_.store.update(next, cause(change, p.waiting.empty() ? std::string() : "waiting for " + p.waiting));
  }
  if (p.requeue_after) requeue_after(key, *p.requeue_after);
}

}  // namespace kvsim::sim::controllers::statefulset
