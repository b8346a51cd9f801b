#include "sim/controllers/pvbinder/protection_controller.hpp"

#include <algorithm>

namespace kvsim::sim::controllers::pvbinder {

using models::PersistentVolume;
using models::PersistentVolumeClaim;
using models::Pod;

bool pod_uses_claim(const Pod& pod, const std::string& claim) {
  // Unscheduled pods do not hold it: the kubelet never starts a pod on a claim being deleted.
  if (pod.spec.nodeName.empty() || pod.status.phase == "Succeeded" || pod.status.phase == "Failed") return false;
  return std::any_of(pod.spec.volumes.begin(), pod.spec.volumes.end(), [&](const models::PodVolume& v) {
    return v.persistentVolumeClaim && v.persistentVolumeClaim->claimName == claim;
  });
}

namespace {

template <class T>
void drop_finalizer(api::Store& store, const T& obj, const char* finalizer, const api::Cause& cause) {
  auto next = std::static_pointer_cast<T>(obj.clone());
  erase(next->metadata.finalizers, std::string(finalizer));
  store.update(next, cause);
}

}  // namespace

PvcProtectionController::PvcProtectionController(Context& ctx, std::string host)
    : Component(ctx, "pvc-protection-controller", std::move(host)) {}

void PvcProtectionController::start() {
  Component::start();
  if (watching_) return;
  watching_ = true;
  watch({&PersistentVolumeClaim::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) {
    if (e.type != api::EventType::Deleted && e.object->metadata.being_deleted()) enqueue(key_of(*e.object));
  });
  // A pod that finishes or goes away may release the claims it named.
  watch({&Pod::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) {
    const auto& pod = static_cast<const Pod&>(*e.object);
    const bool finished = pod.status.phase == "Succeeded" || pod.status.phase == "Failed";
    if (e.type != api::EventType::Deleted && !finished) return;
    for (const auto& v : pod.spec.volumes)
      if (v.persistentVolumeClaim) enqueue(pod.metadata.namespace_ + "/" + v.persistentVolumeClaim->claimName);
  });
  for (const auto& o : ctx_.store.list(PersistentVolumeClaim::kind_info()))
    if (o->metadata.being_deleted()) enqueue(key_of(*o));
}

void PvcProtectionController::reconcile(const std::string& key) {
  const auto [ns, name] = split_key(key);
  auto pvc = ctx_.store.get<PersistentVolumeClaim>(ns, name);
  if (!pvc || !pvc->metadata.being_deleted() || !pvc->metadata.has_finalizer(kPvcProtection)) return;
  // Only terminating claims come here, so listing the namespace's pods is rare.
  for (const auto& o : ctx_.store.list(Pod::kind_info(), ns))
    if (pod_uses_claim(static_cast<const Pod&>(*o), name)) return;
  drop_finalizer(ctx_.store, *pvc, kPvcProtection, cause("finalizer removed", "no pod uses the claim"));
}

PvProtectionController::PvProtectionController(Context& ctx, std::string host)
    : Component(ctx, "pv-protection-controller", std::move(host)) {}

void PvProtectionController::start() {
  Component::start();
  if (watching_) return;
  watching_ = true;
  watch({&PersistentVolume::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) {
    if (e.type != api::EventType::Deleted && e.object->metadata.being_deleted()) enqueue(e.object->metadata.name);
  });
  for (const auto& o : ctx_.store.list(PersistentVolume::kind_info()))
    if (o->metadata.being_deleted()) enqueue(o->metadata.name);
}

void PvProtectionController::reconcile(const std::string& key) {
  auto pv = ctx_.store.get<PersistentVolume>("", key);
  if (!pv || !pv->metadata.being_deleted() || !pv->metadata.has_finalizer(kPvProtection)) return;
  if (pv->status.phase == "Bound") return;  // its claim still uses it
  drop_finalizer(ctx_.store, *pv, kPvProtection, cause("finalizer removed", "the volume is not bound"));
}

}  // namespace kvsim::sim::controllers::pvbinder
