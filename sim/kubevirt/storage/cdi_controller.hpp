#pragma once
// A minimal Containerized Data Importer (FIDELITY.md §7): for each
// DataVolume it creates the PVC of the same name (owned by the DataVolume),
// waits for it to bind, then walks the import phases ImportScheduled ->
// ImportInProgress -> Succeeded with the profile's importer timings. A claim
// of a WaitForFirstConsumer class leaves the DataVolume in
// WaitForFirstConsumer while CDI's importer pod, its first consumer, is
// scheduled: the scheduler picks its node, the provisioner makes the volume
// there, and the claim binds (the importer pod goes when the import is done).
#include <map>
#include <optional>
#include <set>
#include <string>

#include "models/cdi.hpp"
#include "models/cdi_sources.hpp"
#include "models/volume_snapshot.hpp"
#include "models/storage.hpp"
#include "models/pod.hpp"
#include "sim/controllers/component.hpp"
#include "sim/kubevirt/storage/clone_source.hpp"

namespace kvsim::sim::kubevirt::storage {

class CdiController : public controllers::Component {
 public:
  CdiController(controllers::Context& ctx, std::string host);
  void start() override;

 private:
  void reconcile(const std::string& key) override;
  void set_phase(const models::DataVolume& dv, const std::string& phase, const std::string& progress,
                 const std::string& why);
  // The Running condition as the importer pod's state sets it, and the importer's restarts.
  void set_running(const models::DataVolume& dv, bool running, const std::string& reason, const std::string& message,
                   std::int32_t restarts, const std::string& why);
  // One look at an import in progress whose importer may fail (an unreachable source): it
  // fails kImportAttempt after each start (Running=False, reason Error) and is restarted
  // after kubelet's back-off. True when the import runs normally (reconcile goes on).
  bool import_attempt(const models::DataVolume& dv, const std::string& key, double since);
  std::shared_ptr<const models::StorageClass> storage_class_of(const models::DataVolume& dv) const;
  // A clone's phases once its claim is bound: CloneScheduled, then CSICloneInProgress (a CSI
  // clone of a PVC), CloneFromSnapshotSourceInProgress (a restore from a VolumeSnapshot) or
  // CloneInProgress (host-assisted), then Succeeded, with CDI's events.
  // The size of what a clone copies: the source claim's request, or the snapshot's restoreSize.
  std::optional<models::Quantity> clone_source_size(const ClonePlan& plan) const;
  void reconcile_clone(const models::DataVolume& dv, const std::string& key, bool from_snapshot,
                       const std::string& source_ns, const std::string& source_name);
  // CDI's DataSource controller: status.source and the Ready condition from the PVC (and the
  // DataVolume of that name) the DataSource names.
  void reconcile_data_source(const std::string& ns, const std::string& name);

  std::map<std::string, double> since_;  // DataVolume UID -> when it entered its current phase
  std::map<std::string, std::set<std::string>> waiting_on_source_;  // DataSource key -> DataVolume keys
  std::map<std::string, std::set<std::string>> sources_of_claim_;   // PVC or "snapshot:" key -> DataSource keys
  std::set<std::string> clone_without_source_;                      // DataVolume UIDs warned once
  bool watching_ = false;
};

// The PVC CDI creates for `dv`: its name, the claim spec from spec.pvc or spec.storage
// (whose missing access and volume modes come from the StorageProfile of `sc`, the class the
// claim gets, storage_capabilities.hpp; ReadWriteOnce when that leaves no access mode), a
// controller reference to `dv`.
std::shared_ptr<models::PersistentVolumeClaim> data_volume_claim(const models::DataVolume& dv,
                                                                 const models::StorageClass* sc);

// CDI's DataSource Ready condition (datasource-controller.go handlePvcSource,
// handleSnapshotSource). A PVC source: the DataVolume `dv` of its name has Succeeded, or
// there is no such DataVolume but the claim exists -> True "DataSource is ready to be
// consumed"; a DataVolume in another phase -> False with that phase; neither -> False NotFound
// "PVC not found". A snapshot source: ready -> True; not ready -> False SnapshotNotReady;
// missing -> False NotFound "Snapshot not found". Pure.
models::Condition data_source_condition(const models::DataSource& ds, const models::PersistentVolumeClaim* pvc,
                                        const models::DataVolume* dv, const models::VolumeSnapshot* snapshot);

// CDI's importer pod "importer-<dv>" mounting the claim, owned by the DataVolume.
std::shared_ptr<models::Pod> importer_pod(const models::DataVolume& dv);

}  // namespace kvsim::sim::kubevirt::storage
