#include "sim/controllers/pvbinder/pv_controller.hpp"

#include <fmt/format.h>

namespace kvsim::sim::controllers::pvbinder {

using models::PersistentVolume;
using models::PersistentVolumeClaim;
using models::StorageClass;

std::string claim_key(const std::string& ns, const std::string& name) { return "claim:" + ns + "/" + name; }
std::string volume_key(const std::string& name) { return "volume:" + name; }

PersistentVolumeController::PersistentVolumeController(Context& ctx, std::string host)
    : Component(ctx, "persistentvolume-controller", std::move(host)) {}

void PersistentVolumeController::start() {
  Component::start();
  if (watching_) return;
  watching_ = true;
  for (const auto& o : ctx_.store.list(PersistentVolume::kind_info()))
    index_volume(nullptr, static_cast<const PersistentVolume*>(o.get()));
  watch({&PersistentVolumeClaim::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) {
    const auto& pvc = static_cast<const PersistentVolumeClaim&>(*e.object);
    if (e.type == api::EventType::Deleted) {
      pending_claims_.erase(key_of(pvc));
      // Its volume is released (and reclaimed) now.
      if (!pvc.spec.volumeName.empty()) enqueue(volume_key(pvc.spec.volumeName));
      if (auto it = by_claim_.find(key_of(pvc)); it != by_claim_.end())
        for (const auto& pv : it->second) enqueue(volume_key(pv));
      return;
    }
    enqueue(claim_key(pvc.metadata.namespace_, pvc.metadata.name));
  });
  watch({&PersistentVolume::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) {
    const auto* pv = static_cast<const PersistentVolume*>(e.object.get());
    index_volume(static_cast<const PersistentVolume*>(e.old.get()), e.type == api::EventType::Deleted ? nullptr : pv);
    if (e.type == api::EventType::Deleted) {
      if (pv->spec.claimRef) enqueue(claim_key(pv->spec.claimRef->namespace_, pv->spec.claimRef->name));
      return;
    }
    enqueue(volume_key(pv->metadata.name));
  });
  // A new (default) class may let pending claims be provisioned.
  watch({&StorageClass::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent&) {
    for (const auto& key : pending_claims_) {
      const auto [ns, name] = split_key(key);
      enqueue(claim_key(ns, name));
    }
  });
  for (const auto& o : ctx_.store.list(PersistentVolume::kind_info())) enqueue(volume_key(o->metadata.name));
  for (const auto& o : ctx_.store.list(PersistentVolumeClaim::kind_info()))
    enqueue(claim_key(o->metadata.namespace_, o->metadata.name));
  reactor_.post(ctx_.profile.pv_claim_binder_sync, [this] { resync(); });
}

void PersistentVolumeController::resync() {
  for (const auto& key : pending_claims_) {
    const auto [ns, name] = split_key(key);
    enqueue(claim_key(ns, name));
  }
  reactor_.post(ctx_.profile.pv_claim_binder_sync, [this] { resync(); });
}

void PersistentVolumeController::index_volume(const PersistentVolume* before, const PersistentVolume* after) {
  auto drop = [&](const PersistentVolume& pv) {
    if (pv.spec.claimRef) {
      auto it = by_claim_.find(pv.spec.claimRef->namespace_ + "/" + pv.spec.claimRef->name);
      if (it != by_claim_.end() && it->second.erase(pv.metadata.name) && it->second.empty()) by_claim_.erase(it);
    } else {
      auto it = unclaimed_by_class_.find(models::volume_class(pv));
      if (it != unclaimed_by_class_.end() && it->second.erase(pv.metadata.name) && it->second.empty())
        unclaimed_by_class_.erase(it);
    }
  };
  if (before) drop(*before);
  if (!after) return;
  if (after->spec.claimRef)
    by_claim_[after->spec.claimRef->namespace_ + "/" + after->spec.claimRef->name].insert(after->metadata.name);
  else
    unclaimed_by_class_[models::volume_class(*after)].insert(after->metadata.name);
}

void PersistentVolumeController::reconcile(const std::string& key) {
  if (key.starts_with("claim:")) {
    const auto [ns, name] = split_key(key.substr(6));
    sync_claim(ns, name);
  } else if (key.starts_with("volume:")) {
    sync_volume(key.substr(7));
  }
}

std::vector<const PersistentVolume*> PersistentVolumeController::candidates(const PersistentVolumeClaim& pvc,
                                                                            std::vector<models::ObjectPtr>& keep) const {
  std::vector<const PersistentVolume*> out;
  auto add = [&](const std::set<std::string>& names) {
    for (const auto& n : names)
      if (auto pv = ctx_.store.get(PersistentVolume::kind_info(), "", n)) {
        keep.push_back(pv);
        out.push_back(static_cast<const PersistentVolume*>(pv.get()));
      }
  };
  if (auto it = unclaimed_by_class_.find(models::claim_class(pvc)); it != unclaimed_by_class_.end()) add(it->second);
  if (auto it = by_claim_.find(key_of(pvc)); it != by_claim_.end()) add(it->second);
  return out;
}

const StorageClass* PersistentVolumeController::default_class(std::vector<models::ObjectPtr>& keep) const {
  const StorageClass* chosen = nullptr;
  for (const auto& o : ctx_.store.list(StorageClass::kind_info())) {
    const auto* sc = static_cast<const StorageClass*>(o.get());
    if (!sc->is_default()) continue;
    const double t = sc->metadata.creationTimestamp ? sc->metadata.creationTimestamp->seconds : 0;
    if (!chosen || t > chosen->metadata.creationTimestamp.value_or(models::Timestamp{0}).seconds) {
      keep.push_back(o);
      chosen = sc;
    }
  }
  return chosen;
}

std::vector<std::string> PersistentVolumeController::unscheduled_pods(const PersistentVolumeClaim& pvc) const {
  std::vector<std::string> names;
  for (const auto& o : ctx_.store.list(models::Pod::kind_info(), pvc.metadata.namespace_)) {
    const auto& pod = static_cast<const models::Pod&>(*o);
    if (!pod.spec.nodeName.empty() || pod.metadata.being_deleted()) continue;
    for (const auto& v : pod.spec.volumes)
      if (v.persistentVolumeClaim && v.persistentVolumeClaim->claimName == pvc.metadata.name) {
        names.push_back(pod.metadata.name);
        break;
      }
  }
  return names;
}

void PersistentVolumeController::sync_claim(const std::string& ns, const std::string& name) {
  auto pvc = ctx_.store.get<PersistentVolumeClaim>(ns, name);
  if (!pvc) return;
  std::vector<models::ObjectPtr> keep;
  ClaimView view;
  view.claim = pvc.get();
  if (!pvc->spec.volumeName.empty())
    if (auto pv = ctx_.store.get(PersistentVolume::kind_info(), "", pvc->spec.volumeName)) {
      keep.push_back(pv);
      view.named_volume = static_cast<const PersistentVolume*>(pv.get());
    }
  const auto class_name = models::claim_class(*pvc);
  if (!class_name.empty())
    if (auto sc = ctx_.store.get(StorageClass::kind_info(), "", class_name)) {
      keep.push_back(sc);
      view.storage_class = static_cast<const StorageClass*>(sc.get());
    }
  const bool unbound = !pvc->metadata.annotations.contains(kBindCompleted);
  if (unbound && pvc->spec.volumeName.empty()) {
    view.volumes = candidates(*pvc, keep);
    if (!pvc->spec.storageClassName) view.default_class = default_class(keep);
    if (view.storage_class && view.storage_class->wait_for_first_consumer()) view.unscheduled_pods = unscheduled_pods(*pvc);
  }
  const ClaimPlan plan = plan_claim(view);
  const auto key = key_of(*pvc);
  if (plan.action == ClaimPlan::Action::Pending || plan.action == ClaimPlan::Action::Provision)
    pending_claims_.insert(key);
  else
    pending_claims_.erase(key);
  if (plan.event) event(*pvc, plan.event->type.c_str(), plan.event->reason, plan.event->message);
  switch (plan.action) {
    case ClaimPlan::Action::Nothing:
      return;
    case ClaimPlan::Action::Bind:
      if (auto pv = ctx_.store.get<PersistentVolume>("", plan.volume)) bind(*pv, *pvc);
      return;
    case ClaimPlan::Action::Provision:
      ask_provisioner(*pvc, plan.provisioner);
      return;
    case ClaimPlan::Action::Pending:
      write_claim_phase(*pvc, "Pending", plan.event ? plan.event->message : "no volume yet");
      return;
    case ClaimPlan::Action::Lost:
      write_claim_phase(*pvc, "Lost", plan.event ? plan.event->message : "volume lost");
      return;
    case ClaimPlan::Action::SetDefaultClass: {
      auto next = std::static_pointer_cast<PersistentVolumeClaim>(pvc->clone());
      next->spec.storageClassName = plan.storage_class;
      ctx_.store.update(next, cause("storageClassName -> " + plan.storage_class, "retroactive default StorageClass"));
      return;
    }
  }
}

void PersistentVolumeController::write_claim_phase(const PersistentVolumeClaim& pvc, const std::string& phase,
                                                   const std::string& why) {
  if (pvc.status.phase == phase) return;
  auto next = std::static_pointer_cast<PersistentVolumeClaim>(pvc.clone());
  next->status.phase = phase;
  ctx_.store.update(next, cause(fmt::format("phase {} -> {}", pvc.status.phase.empty() ? "\"\"" : pvc.status.phase, phase), why));
}

void PersistentVolumeController::ask_provisioner(const PersistentVolumeClaim& pvc, const std::string& provisioner) {
  auto& annotations = pvc.metadata.annotations;
  auto it = annotations.find(kStorageProvisioner);
  if (it != annotations.end() && it->second == provisioner && pvc.status.phase == "Pending") return;
  auto next = std::static_pointer_cast<PersistentVolumeClaim>(pvc.clone());
  next->metadata.annotations[kStorageProvisioner] = provisioner;
  next->metadata.annotations[kBetaStorageProvisioner] = provisioner;
  next->status.phase = "Pending";
  ctx_.store.update(next, cause("waiting for " + provisioner, "no matching PersistentVolume; dynamic provisioning"));
}

// Both halves of the binding: the volume's claimRef, then the claim's volumeName and status.
void PersistentVolumeController::bind(const PersistentVolume& pv, const PersistentVolumeClaim& pvc) {
  const bool volume_done = volume_bound_to_claim(pv, pvc) && pv.spec.claimRef->uid == pvc.metadata.uid &&
                           pv.status.phase == "Bound";
  if (!volume_done) {
    auto next = std::static_pointer_cast<PersistentVolume>(pv.clone());
    if (!pv.spec.claimRef) next->metadata.annotations[kBoundByController] = "yes";
    next->spec.claimRef = models::ObjectReference{"v1", "PersistentVolumeClaim", pvc.metadata.namespace_,
                                                  pvc.metadata.name, pvc.metadata.uid, {}, pvc.metadata.resourceVersion};
    next->status.phase = "Bound";
    next->status.message.clear();
    next->status.reason.clear();
    ctx_.store.update(next, cause(fmt::format("phase {} -> Bound", pv.status.phase),
                                  "bound to PersistentVolumeClaim " + key_of(pvc)));
  }
  const auto capacity = pv.spec.capacity;
  const bool claim_done = pvc.spec.volumeName == pv.metadata.name && pvc.metadata.annotations.contains(kBindCompleted) &&
                          pvc.status.phase == "Bound" && pvc.status.accessModes == pv.spec.accessModes &&
                          pvc.status.capacity == capacity;
  if (claim_done) return;
  auto next = std::static_pointer_cast<PersistentVolumeClaim>(pvc.clone());
  if (pvc.spec.volumeName.empty()) next->metadata.annotations[kBoundByController] = "yes";
  next->spec.volumeName = pv.metadata.name;
  next->metadata.annotations[kBindCompleted] = "yes";
  next->status.phase = "Bound";
  next->status.accessModes = pv.spec.accessModes;
  next->status.capacity = capacity;
  ctx_.store.update(next, cause(fmt::format("phase {} -> Bound", pvc.status.phase), "bound to PersistentVolume " + pv.metadata.name));
}

void PersistentVolumeController::sync_volume(const std::string& name) {
  auto pv = ctx_.store.get<PersistentVolume>("", name);
  if (!pv) return;
  std::shared_ptr<const PersistentVolumeClaim> claim;
  if (pv->spec.claimRef && !pv->spec.claimRef->uid.empty()) {
    claim = ctx_.store.get<PersistentVolumeClaim>(pv->spec.claimRef->namespace_, pv->spec.claimRef->name);
    if (claim && claim->metadata.uid != pv->spec.claimRef->uid) claim = nullptr;  // a new claim with the old name
  }
  const VolumePlan plan = plan_volume(*pv, claim.get());
  if (plan.event) event(*pv, plan.event->type.c_str(), plan.event->reason, plan.event->message);
  if (plan.sync_claim && pv->spec.claimRef) enqueue(claim_key(pv->spec.claimRef->namespace_, pv->spec.claimRef->name));
  if (plan.delete_volume) {
    ctx_.store.remove(PersistentVolume::kind_info(), "", name, cause("deleting", "reclaimPolicy Delete: claim gone"));
    return;
  }
  if (plan.phase.empty() && !plan.unbind) return;
  auto next = std::static_pointer_cast<PersistentVolume>(pv->clone());
  std::string why = plan.message;
  if (plan.unbind) {
    next->spec.claimRef.reset();
    next->metadata.annotations.erase(kBoundByController);
    why = "its claim is bound to another volume";
  }
  if (!plan.phase.empty()) {
    next->status.phase = plan.phase;
    next->status.message = plan.message;
    if (why.empty())
      why = plan.phase == "Released" ? "claim " + pv->spec.claimRef->namespace_ + "/" + pv->spec.claimRef->name + " is gone"
                                     : std::string("synced");
  }
  ctx_.store.update(next, cause(fmt::format("phase {} -> {}", pv->status.phase, next->status.phase), why));
}

}  // namespace kvsim::sim::controllers::pvbinder
