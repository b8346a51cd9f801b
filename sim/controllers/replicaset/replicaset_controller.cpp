#include "sim/controllers/replicaset/replicaset_controller.hpp"

#include <fmt/format.h>

#include "sim/controllers/replicaset/plan.hpp"

namespace kvsim::sim::controllers::replicaset {

using models::Pod;
using models::ReplicaSet;

ReplicaSetController::ReplicaSetController(Context& ctx, std::string host)
    : Component(ctx, "replicaset-controller", std::move(host)) {}

void ReplicaSetController::start() {
  Component::start();
  if (watching_) return;
  watching_ = true;
  watch({&ReplicaSet::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) {
    if (e.type == api::EventType::Deleted) expected_creates_.erase(e.object->metadata.uid);
    else enqueue(key_of(*e.object));
  });
  watch({&Pod::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) {
    const auto* ref = e.object->metadata.controller_ref();
    if (!ref || ref->kind != "ReplicaSet") return;
    if (e.type == api::EventType::Added) {
      auto it = expected_creates_.find(ref->uid);
      if (it != expected_creates_.end() && it->second > 0) --it->second;
    }
    enqueue(e.object->metadata.namespace_ + "/" + ref->name);
  });
  for (const auto& rs : ctx_.store.list(ReplicaSet::kind_info())) enqueue(key_of(*rs));
}

void ReplicaSetController::reconcile(const std::string& key) {
  const auto [ns, name] = split_key(key);
  auto rs = ctx_.store.get<ReplicaSet>(ns, name);
  if (!rs || rs->metadata.being_deleted()) return;
  std::vector<const Pod*> pods;
  const auto owned = ctx_.store.owned_by(rs->metadata.uid);
  for (const auto& o : owned)
    if (o->kind == "Pod" && o->metadata.controller_ref() && o->metadata.controller_ref()->uid == rs->metadata.uid)
      pods.push_back(static_cast<const Pod*>(o.get()));
  auto& pending = expected_creates_[rs->metadata.uid];
  const Plan p = plan(*rs, pods, pending);
  for (int i = 0; i < p.create; ++i) {
    auto pod = std::make_shared<Pod>();
    pod->apiVersion = "v1";
    pod->kind = "Pod";
    pod->metadata = rs->spec.template_.metadata;
    pod->metadata.name.clear();
    pod->metadata.generateName = rs->metadata.name + "-";
    pod->metadata.namespace_ = ns;
    pod->metadata.ownerReferences = {{"apps/v1", "ReplicaSet", rs->metadata.name, rs->metadata.uid, true, true}};
    pod->spec = rs->spec.template_.spec;
    ++pending;
    auto r = ctx_.store.create(pod, cause("created", fmt::format("{} wants {} replicas", key, rs->spec.replicas.value_or(1))));
    if (r.ok()) {
      event(*rs, "Normal", "SuccessfulCreate", "Created pod: " + r.object->metadata.name);
    } else {
      --pending;
      event(*rs, "Warning", "FailedCreate", r.error);
    }
  }
  for (const auto& pod_name : p.delete_pods) {
    ctx_.store.remove(Pod::kind_info(), ns, pod_name, cause("deleting", "scaling " + key + " down"));
    event(*rs, "Normal", "SuccessfulDelete", "Deleted pod: " + pod_name);
  }
  auto status = p.status;
  status.conditions = rs->status.conditions;
  if (encode_value(status) != encode_value(rs->status)) {
    auto next = std::static_pointer_cast<ReplicaSet>(rs->clone());
    next->status = status;
    ctx_.store.update(next, cause(fmt::format("status {}/{} ready", status.readyReplicas, rs->spec.replicas.value_or(1))));
  }
}

}  // namespace kvsim::sim::controllers::replicaset
