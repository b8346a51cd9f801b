#include "sim/kubevirt/storage/cdi_controller.hpp"

#include <fmt/format.h>

#include "models/storage.hpp"
#include "models/codec/same_encoding.hpp"
#include "sim/engine/clock.hpp"
#include "sim/kubevirt/storage/clone_source.hpp"
#include "sim/kubevirt/storage/import_source.hpp"
#include "sim/kubevirt/storage/storage_capabilities.hpp"
#include "sim/node/image_pull.hpp"

namespace kvsim::sim::kubevirt::storage {

using models::DataVolume;
using models::PersistentVolumeClaim;

std::shared_ptr<PersistentVolumeClaim> data_volume_claim(const DataVolume& dv, const models::StorageClass* sc) {
  auto pvc = std::make_shared<PersistentVolumeClaim>();
  pvc->apiVersion = "v1";
  pvc->kind = "PersistentVolumeClaim";
  pvc->metadata.name = dv.metadata.name;
  pvc->metadata.namespace_ = dv.metadata.namespace_;
  pvc->metadata.labels["app"] = "containerized-data-importer";
  pvc->metadata.labels["app.kubernetes.io/component"] = "storage";
  pvc->metadata.labels["app.kubernetes.io/managed-by"] = "cdi-controller";
  const auto source = dv.spec.source_type();
  if (source == "pvc") {
    const auto& from = dv.spec.source["pvc"];
    pvc->metadata.annotations["cdi.kubevirt.io/storage.cloneRequest"] =
        from.value("namespace", dv.metadata.namespace_) + "/" + from.value("name", std::string());
  } else if (!source.empty() && source != "snapshot") {
    pvc->metadata.annotations["cdi.kubevirt.io/storage.import.source"] = source;
  }
  pvc->metadata.ownerReferences = {{"cdi.kubevirt.io/v1beta1", "DataVolume", dv.metadata.name, dv.metadata.uid, true, true}};
  pvc->spec = dv.spec.pvc ? *dv.spec.pvc : dv.spec.storage.value_or(models::PersistentVolumeClaimSpec{});
  // The storage API leaves the modes to the class's StorageProfile; spec.pvc is taken as written.
  if (!dv.spec.pvc && sc) complete_claim_modes(pvc->spec, provisioner_capabilities(sc->provisioner));
  if (pvc->spec.accessModes.empty()) pvc->spec.accessModes = {"ReadWriteOnce"};
  return pvc;
}

std::shared_ptr<models::Pod> importer_pod(const DataVolume& dv) {
  auto pod = std::make_shared<models::Pod>();
  pod->apiVersion = "v1";
  pod->kind = "Pod";
  pod->metadata.name = "importer-" + dv.metadata.name;
  pod->metadata.namespace_ = dv.metadata.namespace_;
  pod->metadata.labels["app"] = "containerized-data-importer";
  pod->metadata.labels["app.kubernetes.io/component"] = "storage";
  pod->metadata.labels["app.kubernetes.io/managed-by"] = "cdi-controller";
  pod->metadata.ownerReferences = {{"cdi.kubevirt.io/v1beta1", "DataVolume", dv.metadata.name, dv.metadata.uid, true, true}};
  pod->spec.restartPolicy = "OnFailure";
  models::Container c;
  c.name = "importer";
  c.image = "registry.redhat.io/container-native-virtualization/virt-cdi-importer-rhel9:v4.19";
  c.resources.requests["cpu"] = *models::Quantity::parse("100m");
  c.resources.requests["memory"] = *models::Quantity::parse("60M");
  c.volumeMounts.push_back({"cdi-data-vol", "/data", {}, {}});
  pod->spec.containers.push_back(std::move(c));
  pod->spec.volumes.push_back({"cdi-data-vol", models::PVCVolumeSource{dv.metadata.name, {}}, {}, {}, {}, {}, {}, {}});
  return pod;
}

CdiController::CdiController(controllers::Context& ctx, std::string host)
    : Component(ctx, "cdi-deployment", std::move(host)) {}

void CdiController::start() {
  Component::start();
  if (watching_) return;
  watching_ = true;
  watch({&DataVolume::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) {
    if (e.type != api::EventType::Deleted) enqueue(controllers::key_of(*e.object));
  });
  watch({&PersistentVolumeClaim::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) {
    if (const auto* ref = e.object->metadata.controller_ref(); ref && ref->kind == "DataVolume")
      enqueue(e.object->metadata.namespace_ + "/" + ref->name);
    if (auto it = sources_of_claim_.find(controllers::key_of(*e.object)); it != sources_of_claim_.end())
      for (const auto& ds : it->second) enqueue("ds:" + ds);
  });
  watch({&models::VolumeSnapshot::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) {
    if (auto it = sources_of_claim_.find("snapshot:" + controllers::key_of(*e.object)); it != sources_of_claim_.end())
      for (const auto& ds : it->second) enqueue("ds:" + ds);
  });
  watch({&models::DataSource::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) {
    const auto key = controllers::key_of(*e.object);
    if (e.type != api::EventType::Deleted) enqueue("ds:" + key);
    // DataVolumes whose sourceRef named it before it existed.
    if (auto it = waiting_on_source_.find(key); it != waiting_on_source_.end()) {
      for (const auto& dv : it->second) enqueue(dv);
      waiting_on_source_.erase(it);
    }
  });
  for (const auto& o : ctx_.store.list(DataVolume::kind_info())) enqueue(controllers::key_of(*o));
  for (const auto& o : ctx_.store.list(models::DataSource::kind_info())) enqueue("ds:" + controllers::key_of(*o));
}

void CdiController::set_phase(const DataVolume& dv, const std::string& phase, const std::string& progress,
                              const std::string& why) {
  auto next = std::static_pointer_cast<DataVolume>(dv.clone());
  next->status.phase = phase;
  next->status.progress = progress;
  next->status.claimName = dv.metadata.name;
  if (!next->status.restartCount) next->status.restartCount = 0;
  const double t = engine::now();
  const bool bound = phase != "Pending" && phase != "WaitForFirstConsumer";
  models::set_condition(next->status.conditions, {"Bound", bound ? "True" : "False", bound ? "Bound" : phase,
                                                  bound ? "PVC " + dv.metadata.name + " Bound" : "PVC " + dv.metadata.name + " Pending"}, t);
  const bool running = phase == "ImportInProgress" || phase == "CloneInProgress";  // CSI clones and restores run no pod
  models::set_condition(next->status.conditions, {"Running", running ? "True" : "False", running ? "Pod is running" : "", ""}, t);
  const bool done = phase == "Succeeded";
  models::set_condition(next->status.conditions, {"Ready", done ? "True" : "False", done ? "" : "TransferRunning", ""}, t);
  next->metadata.resourceVersion.clear();
  since_[dv.metadata.uid] = t;
  const std::string from = dv.status.phase.empty() ? "\"\"" : dv.status.phase;
  ctx_.store.update(next, cause(fmt::format("phase {} -> {}", from, phase), why));
}

void CdiController::set_running(const DataVolume& dv, bool running, const std::string& reason,
                                const std::string& message, std::int32_t restarts, const std::string& why) {
  auto next = std::static_pointer_cast<DataVolume>(dv.clone());
  const double t = engine::now();
  next->status.restartCount = restarts;
  models::set_condition(next->status.conditions,
                        {"Running", running ? "True" : "False", running ? "Pod is running" : reason, message}, t);
  next->metadata.resourceVersion.clear();
  since_[dv.metadata.uid] = t;
  ctx_.store.update(next, cause(running ? "Running=True" : "Running=False " + reason, why));
}

bool CdiController::import_attempt(const DataVolume& dv, const std::string& key, double since) {
  const auto* running = models::find_condition(dv.status.conditions, "Running");
  const std::int32_t restarts = dv.status.restartCount.value_or(0);
  const auto error = import_failure(dv, ctx_.profile, node::registry_reachable());
  if (running && running->status == "False") {
    // The importer exited with an error: kubelet restarts it (restartPolicy OnFailure) after
    // its crash-loop back-off, and the restart is counted.
    const double backoff = importer_restart_backoff(ctx_.profile, restarts + 1);
    if (since + 1e-9 < backoff) {
      requeue_after(key, backoff - since);
      return false;
    }
    set_running(dv, true, "", "", restarts + 1, "importer pod restarted");
    requeue_after(key, error ? kImportAttempt : ctx_.profile.datavolume_import);
    return false;
  }
  if (!error) return true;
  if (since + 1e-9 < kImportAttempt) {
    requeue_after(key, kImportAttempt - since);
    return false;
  }
  set_running(dv, false, "Error", *error, restarts, "importer failed: " + *error);
  event(dv, "Warning", "Error", *error);
  requeue_after(key, importer_restart_backoff(ctx_.profile, restarts + 1));
  return false;
}

// The class the DataVolume's claim will have: the one it names, else the cluster's default
// (the newest marked default, as the DefaultStorageClass admission picks it).
std::shared_ptr<const models::StorageClass> CdiController::storage_class_of(const DataVolume& dv) const {
  const auto& spec = dv.spec.pvc ? dv.spec.pvc : dv.spec.storage;
  if (spec && spec->storageClassName) return ctx_.store.get<models::StorageClass>("", *spec->storageClassName);
  std::shared_ptr<const models::StorageClass> chosen;
  for (const auto& o : ctx_.store.list(models::StorageClass::kind_info())) {
    auto sc = std::static_pointer_cast<const models::StorageClass>(o);
    if (!sc->is_default()) continue;
    if (!chosen || sc->metadata.creationTimestamp > chosen->metadata.creationTimestamp) chosen = sc;
  }
  return chosen;
}

models::Condition data_source_condition(const models::DataSource& ds, const PersistentVolumeClaim* pvc,
                                        const DataVolume* dv, const models::VolumeSnapshot* snapshot) {
  const models::Condition ready{"Ready", "True", "Ready", "DataSource is ready to be consumed"};
  if (!ds.spec.source.pvc) {
    if (!ds.spec.source.snapshot) return {"Ready", "False", "NoSource", "No source PVC set"};
    if (!snapshot) return {"Ready", "False", "NotFound", "Snapshot not found"};
    if (snapshot->ready()) return ready;
    return {"Ready", "False", "SnapshotNotReady", "Snapshot phase is not ready"};
  }
  if (dv) {
    if (dv->succeeded()) return ready;
    return {"Ready", "False", dv->status.phase, "Import DataVolume phase " + dv->status.phase};
  }
  if (pvc) return ready;
  return {"Ready", "False", "NotFound", "PVC not found"};
}

void CdiController::reconcile_data_source(const std::string& ns, const std::string& name) {
  auto ds = ctx_.store.get<models::DataSource>(ns, name);
  if (!ds) return;
  std::shared_ptr<const PersistentVolumeClaim> pvc;
  std::shared_ptr<const DataVolume> dv;
  std::shared_ptr<const models::VolumeSnapshot> snapshot;
  if (const auto& source = ds->spec.source.pvc) {
    const std::string source_ns = source->namespace_.empty() ? ns : source->namespace_;
    sources_of_claim_[source_ns + "/" + source->name].insert(ns + "/" + name);
    pvc = ctx_.store.get<PersistentVolumeClaim>(source_ns, source->name);
    dv = ctx_.store.get<DataVolume>(source_ns, source->name);
  } else if (const auto& snap = ds->spec.source.snapshot) {
    const std::string source_ns = snap->namespace_.empty() ? ns : snap->namespace_;
    sources_of_claim_["snapshot:" + source_ns + "/" + snap->name].insert(ns + "/" + name);
    snapshot = ctx_.store.get<models::VolumeSnapshot>(source_ns, snap->name);
  }
  auto next = std::static_pointer_cast<models::DataSource>(ds->clone());
  next->status.source = ds->spec.source;
  const auto condition = data_source_condition(*ds, pvc.get(), dv.get(), snapshot.get());
  models::set_condition(next->status.conditions, condition, engine::now());
  if (models::same_encoding(next->status, ds->status)) return;
  next->metadata.resourceVersion.clear();
  ctx_.store.update(next, cause("Ready=" + condition.status + (condition.reason.empty() ? "" : " " + condition.reason),
                                condition.message));
}

void CdiController::reconcile_clone(const DataVolume& dv, const std::string& key, bool from_snapshot,
                                    const std::string& source_ns, const std::string& source_name) {
  const auto& phase = dv.status.phase;
  const double t = engine::now();
  const double entered = since_.contains(dv.metadata.uid) ? since_.at(dv.metadata.uid) : t;
  const auto sc = storage_class_of(dv);
  // A restore is done by the snapshot's own CSI driver when the target class has it (smart
  // clone from snapshot); otherwise, as a PVC clone, by the class's clone strategy.
  bool csi = sc && uses_csi_clone(sc->provisioner);
  if (from_snapshot) {
    auto snapshot = ctx_.store.get<models::VolumeSnapshot>(source_ns, source_name);
    auto snapshot_class = snapshot ? ctx_.store.get<models::VolumeSnapshotClass>("", snapshot->spec.volumeSnapshotClassName)
                                   : nullptr;
    csi = sc && snapshot_class && snapshot_class->driver == sc->provisioner;
  }
  const std::string from = source_ns + "/" + source_name, into = dv.metadata.namespace_ + "/" + dv.metadata.name;
  if (phase != "CloneScheduled" && phase != "CSICloneInProgress" && phase != "CloneInProgress" &&
      phase != "CloneFromSnapshotSourceInProgress") {
    set_phase(dv, "CloneScheduled", "N/A", "claim " + dv.metadata.name + " bound: clone from " + from + " scheduled");
    event(dv, "Normal", "CloneScheduled", fmt::format("Cloning from {} into {} scheduled", from, into));
    requeue_after(key, ctx_.profile.datavolume_clone_start);
    return;
  }
  const double wait = phase == "CloneScheduled" ? ctx_.profile.datavolume_clone_start
                      : csi                     ? ctx_.profile.datavolume_csi_clone
                                                : ctx_.profile.datavolume_host_clone;
  if (t + 1e-9 < entered + wait) {
    requeue_after(key, entered + wait - t);
    return;
  }
  if (phase == "CloneScheduled" && csi && from_snapshot) {
    set_phase(dv, "CloneFromSnapshotSourceInProgress", "N/A", "restore from snapshot " + from);
    event(dv, "Normal", "CloneFromSnapshotSourceInProgress",
          fmt::format("Creating PVC from snapshot source is in progress (for snapshot {})", from));
    requeue_after(key, ctx_.profile.datavolume_csi_clone);
  } else if (phase == "CloneScheduled" && csi) {
    set_phase(dv, "CSICloneInProgress", "N/A", "CSI volume clone of " + from);
    event(dv, "Normal", "CSICloneInProgress", fmt::format("CSI Volume clone in progress (for pvc {})", from));
    requeue_after(key, ctx_.profile.datavolume_csi_clone);
  } else if (phase == "CloneScheduled") {
    set_phase(dv, "CloneInProgress", "0.00%", "host-assisted clone of " + from);
    event(dv, "Normal", "CloneInProgress", fmt::format("Cloning from {} into {} in progress", from, into));
    requeue_after(key, ctx_.profile.datavolume_host_clone);
  } else {
    set_phase(dv, "Succeeded", "100.0%", "clone complete");
    event(dv, "Normal", "CloneSucceeded", fmt::format("Successfully cloned from {} into {}", from, into));
  }
}

std::optional<models::Quantity> CdiController::clone_source_size(const ClonePlan& plan) const {
  if (plan.op == DataVolumeOp::SnapshotClone) {
    auto snapshot = ctx_.store.get<models::VolumeSnapshot>(plan.source_namespace, plan.source_name);
    return snapshot ? snapshot->status.restoreSize : std::nullopt;
  }
  auto source = ctx_.store.get<PersistentVolumeClaim>(plan.source_namespace, plan.source_name);
  if (!source) return std::nullopt;
  if (auto it = source->spec.resources.requests.find("storage"); it != source->spec.resources.requests.end())
    return it->second;
  return std::nullopt;
}

void CdiController::reconcile(const std::string& key) {
  if (key.starts_with("ds:")) {
    const auto [ns, name] = controllers::split_key(key.substr(3));
    reconcile_data_source(ns, name);
    return;
  }
  const auto [ns, name] = controllers::split_key(key);
  auto dv = ctx_.store.get<DataVolume>(ns, name);
  if (!dv || dv->metadata.being_deleted()) return;
  const ClonePlan plan = data_volume_op(ctx_.store, *dv);
  const bool clone = plan.op == DataVolumeOp::PvcClone || plan.op == DataVolumeOp::SnapshotClone;
  if (plan.op == DataVolumeOp::Nop) {
    // getSourceRefOp: no DataSource, no controller; it is looked at again once the DataSource exists.
    auto ref_ns = dv->spec.sourceRef.value("namespace", std::string());
    waiting_on_source_[(ref_ns.empty() ? ns : ref_ns) + "/" + dv->spec.sourceRef.value("name", std::string())].insert(key);
    return;
  }
  auto pvc = ctx_.store.get<PersistentVolumeClaim>(ns, name);
  const bool source_exists =
      plan.op == DataVolumeOp::PvcClone ? ctx_.store.get<PersistentVolumeClaim>(plan.source_namespace, plan.source_name) != nullptr
      : plan.op == DataVolumeOp::SnapshotClone
          ? ctx_.store.get<models::VolumeSnapshot>(plan.source_namespace, plan.source_name) != nullptr
          : true;
  if (clone && !pvc && !source_exists) {
    // validateCloneAndSourcePVC / the snapshot clone's check: no claim while the source is missing.
    if (clone_without_source_.insert(dv->metadata.uid).second)
      event(*dv, "Warning", "CloneWithoutSource",
            fmt::format("The source {} {} doesn't exist", plan.op == DataVolumeOp::PvcClone ? "pvc" : "snapshot",
                        plan.source_name));
    return;
  }
  if (!pvc) {
    auto claim = data_volume_claim(*dv, storage_class_of(*dv).get());
    // A clone through the storage API may leave the size out: CDI takes the source's (its
    // claim's request, or the snapshot's restoreSize), as `virtctl create vm --volume-import
    // type:ds` relies on.
    if (clone && !dv->spec.pvc && !claim->spec.resources.requests.contains("storage"))
      if (auto size = clone_source_size(plan)) claim->spec.resources.requests["storage"] = *size;
    auto r = ctx_.store.create(claim, cause("created", "DataVolume " + name + " needs its claim"));
    if (!r.ok()) {
      event(*dv, "Warning", "ErrClaimNotValid", r.error);
      return;
    }
    if (dv->status.phase.empty()) set_phase(*dv, "Pending", "N/A", "claim created");
    return;
  }
  const auto& phase = dv->status.phase;
  if (phase == "Succeeded" || phase == "Failed") return;
  const double t = engine::now();
  const double entered = since_.contains(dv->metadata.uid) ? since_.at(dv->metadata.uid) : t;
  if (pvc->status.phase != "Bound") {
    auto sc = ctx_.store.get<models::StorageClass>("", models::claim_class(*pvc));
    const std::string waiting = sc && sc->wait_for_first_consumer() ? "WaitForFirstConsumer" : "Pending";
    if (waiting == "WaitForFirstConsumer" && plan.op == DataVolumeOp::Import &&
        !ctx_.store.get<models::Pod>(ns, "importer-" + name))
      ctx_.store.create(importer_pod(*dv), cause("created", "importer pod: the first consumer of claim " + name));
    if (phase != waiting) set_phase(*dv, waiting, "N/A", "claim " + name + " not bound yet");
    return;
  }
  if (clone) {
    reconcile_clone(*dv, key, plan.op == DataVolumeOp::SnapshotClone, plan.source_namespace, plan.source_name);
    return;
  }
  if (phase != "ImportScheduled" && phase != "ImportInProgress") {
    set_phase(*dv, "ImportScheduled", "N/A", "claim " + name + " bound: importer pod scheduled");
    requeue_after(key, ctx_.profile.datavolume_import_start);
    return;
  }
  if (phase == "ImportInProgress" && !import_attempt(*dv, key, t - entered)) return;
  const double wait = phase == "ImportScheduled" ? ctx_.profile.datavolume_import_start : ctx_.profile.datavolume_import;
  if (t + 1e-9 < entered + wait) {
    requeue_after(key, entered + wait - t);
    return;
  }
  if (phase == "ImportScheduled") {
    set_phase(*dv, "ImportInProgress", "0.00%", "importer pod running");
    requeue_after(key, ctx_.profile.datavolume_import);
  } else {
    set_phase(*dv, "Succeeded", "100.0%", "import complete");
    event(*dv, "Normal", "ImportSucceeded", "Import Successful");
    if (ctx_.store.get<models::Pod>(ns, "importer-" + name))
      ctx_.store.remove(models::Pod::kind_info(), ns, "importer-" + name, cause("deleting", "import complete"));
  }
}

}  // namespace kvsim::sim::kubevirt::storage
