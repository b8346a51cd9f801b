#include "sim/controllers/pvbinder/provisioner.hpp"

#include <fmt/format.h>

#include "sim/controllers/pvbinder/plan.hpp"

namespace kvsim::sim::controllers::pvbinder {

using models::PersistentVolume;
using models::PersistentVolumeClaim;
using models::StorageClass;

std::shared_ptr<PersistentVolume> provisioned_volume(const PersistentVolumeClaim& pvc, const StorageClass& sc,
                                                     const std::string& node) {
  auto pv = std::make_shared<PersistentVolume>();
  pv->apiVersion = "v1";
  pv->kind = "PersistentVolume";
  pv->metadata.name = "pvc-" + pvc.metadata.uid;
  pv->metadata.annotations[kProvisionedBy] = sc.provisioner;
  auto& s = pv->spec;
  if (auto it = pvc.spec.resources.requests.find("storage"); it != pvc.spec.resources.requests.end())
    s.capacity["storage"] = it->second;
  s.accessModes = pvc.spec.accessModes;
  s.storageClassName = sc.metadata.name;
  s.persistentVolumeReclaimPolicy = sc.reclaimPolicy.empty() ? "Delete" : sc.reclaimPolicy;
  s.volumeMode = pvc.spec.volumeMode.empty() ? "Filesystem" : pvc.spec.volumeMode;
  s.mountOptions = sc.mountOptions;
  s.claimRef = models::ObjectReference{"v1", "PersistentVolumeClaim", pvc.metadata.namespace_, pvc.metadata.name,
                                       pvc.metadata.uid, {}, pvc.metadata.resourceVersion};
  s.csi = {{"driver", sc.provisioner}, {"volumeHandle", "kvsim-" + pvc.metadata.uid}};
  if (s.volumeMode == "Filesystem") s.csi["fsType"] = "ext4";
  if (!node.empty()) {
    models::Json expression = {{"key", "kubernetes.io/hostname"}, {"operator", "In"}, {"values", models::Json::array({node})}};
    models::Json term = {{"matchExpressions", models::Json::array({expression})}};
    s.nodeAffinity = {{"required", {{"nodeSelectorTerms", models::Json::array({term})}}}};
  }
  return pv;
}

Provisioner::Provisioner(Context& ctx, std::string host) : Component(ctx, "csi-provisioner", std::move(host)) {}

void Provisioner::start() {
  Component::start();
  if (watching_) return;
  watching_ = true;
  watch({&PersistentVolumeClaim::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) {
    if (e.type != api::EventType::Deleted) enqueue("claim:" + key_of(*e.object));
  });
  watch({&PersistentVolume::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) {
    if (e.type != api::EventType::Deleted) enqueue("volume:" + e.object->metadata.name);
  });
  for (const auto& o : ctx_.store.list(PersistentVolumeClaim::kind_info())) enqueue("claim:" + key_of(*o));
  for (const auto& o : ctx_.store.list(PersistentVolume::kind_info())) enqueue("volume:" + o->metadata.name);
}

void Provisioner::reconcile(const std::string& key) {
  if (key.starts_with("claim:")) {
    const auto [ns, name] = split_key(key.substr(6));
    if (auto pvc = ctx_.store.get<PersistentVolumeClaim>(ns, name)) consider_claim(*pvc);
  } else if (key.starts_with("volume:")) {
    if (auto pv = ctx_.store.get<PersistentVolume>("", key.substr(7))) consider_volume(*pv);
  }
}

void Provisioner::consider_claim(const PersistentVolumeClaim& pvc) {
  auto it = pvc.metadata.annotations.find(kStorageProvisioner);
  if (it == pvc.metadata.annotations.end() || !pvc.spec.volumeName.empty() || pvc.metadata.being_deleted()) return;
  if (provisioning_.contains(pvc.metadata.uid)) return;
  auto sc = ctx_.store.get<StorageClass>("", models::claim_class(pvc));
  if (!sc || sc->provisioner != it->second) return;
  if (sc->wait_for_first_consumer() && !pvc.metadata.annotations.contains(kSelectedNode)) return;
  if (ctx_.store.get<PersistentVolume>("", "pvc-" + pvc.metadata.uid)) return;  // made already
  provisioning_.insert(pvc.metadata.uid);
  ctx_.store.record_event(pvc, "Normal", "Provisioning",
                          fmt::format("External provisioner is provisioning volume for claim \"{}\"", key_of(pvc)),
                          sc->provisioner);
  reactor_.post(ctx_.profile.volume_provisioning, [this, ns = pvc.metadata.namespace_, name = pvc.metadata.name,
                                                   uid = pvc.metadata.uid] { provision(ns, name, uid); });
}

void Provisioner::provision(const std::string& ns, const std::string& name, const std::string& uid) {
  provisioning_.erase(uid);
  auto pvc = ctx_.store.get<PersistentVolumeClaim>(ns, name);
  if (!pvc || pvc->metadata.uid != uid || !pvc->spec.volumeName.empty() || pvc->metadata.being_deleted()) return;
  auto sc = ctx_.store.get<StorageClass>("", models::claim_class(*pvc));
  if (!sc) return;
  std::string node;
  if (sc->wait_for_first_consumer())
    if (auto it = pvc->metadata.annotations.find(kSelectedNode); it != pvc->metadata.annotations.end()) node = it->second;
  auto pv = provisioned_volume(*pvc, *sc, node);
  const auto pv_name = pv->metadata.name;
  auto r = ctx_.store.create(pv, api::Cause{sc->provisioner, "created",
                                            fmt::format("provisioned for claim {}/{}{}", ns, name,
                                                        node.empty() ? "" : " on " + node)});
  if (!r.ok() && r.code != 409) {
    ctx_.store.record_event(*pvc, "Warning", "ProvisioningFailed", r.error, sc->provisioner);
    return;
  }
  ctx_.store.record_event(*pvc, "Normal", "ProvisioningSucceeded", "Successfully provisioned volume " + pv_name,
                          sc->provisioner);
}

void Provisioner::consider_volume(const PersistentVolume& pv) {
  auto it = pv.metadata.annotations.find(kProvisionedBy);
  if (it == pv.metadata.annotations.end() || it->second.starts_with("kubernetes.io/")) return;
  if (pv.status.phase != "Released" || pv.spec.persistentVolumeReclaimPolicy != "Delete") return;
  if (pv.metadata.being_deleted() || !deleting_.insert(pv.metadata.name).second) return;
  const auto provisioner = it->second;
  reactor_.post(ctx_.profile.volume_deletion, [this, name = pv.metadata.name, uid = pv.metadata.uid, provisioner] {
    deleting_.erase(name);
    auto current = ctx_.store.get<PersistentVolume>("", name);
    if (!current || current->metadata.uid != uid) return;
    ctx_.store.remove(PersistentVolume::kind_info(), "", name,
                      api::Cause{provisioner, "deleting", "reclaimPolicy Delete: the backing volume is deleted"});
  });
}

}  // namespace kvsim::sim::controllers::pvbinder
