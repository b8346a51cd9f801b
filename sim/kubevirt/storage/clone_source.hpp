#pragma once
// Which of CDI's DataVolume controllers handles a DataVolume, and from where a clone
// copies (CDI v1.62 pkg/controller/datavolume/controller-base.go getDataVolumeOp,
// getSourceRefOp). Pure: reads the store, writes nothing.
#include <optional>
#include <string>

#include "models/cdi.hpp"
#include "models/cdi_sources.hpp"
#include "sim/api/store.hpp"

namespace kvsim::sim::kubevirt::storage {

enum class DataVolumeOp {
  Import,    // http, registry, blank, ... (the importer pod)
  PvcClone,  // spec.source.pvc, or a sourceRef DataSource naming a PVC
  SnapshotClone,  // spec.source.snapshot, or a sourceRef DataSource naming a VolumeSnapshot
  Nop,       // a sourceRef whose DataSource is missing or has no PVC: no controller acts,
             // the DataVolume keeps no status until it is written again
};

struct ClonePlan {
  DataVolumeOp op = DataVolumeOp::Nop;
  std::string source_namespace, source_name;  // the PVC or VolumeSnapshot a clone copies
};

ClonePlan data_volume_op(const api::Store& store, const models::DataVolume& dv);

// The StorageProfile's cloneStrategy for a provisioner (CDI v1.62 pkg/storagecapabilities
// CloneStrategyByProvisionerKey, the provisioners of storage_capabilities.cpp): csi-clone
// for ODF/Rook RBD and CephFS, else CDI's default snapshot or host-assisted copy, which
// kvsim runs as host-assisted (CloneInProgress with progress).
bool uses_csi_clone(const std::string& provisioner);

// KubeVirt's GetResolvedCloneSource (pkg/storage/types/dv.go): a dataVolumeTemplate's
// sourceRef replaced by the DataSource's source, as the VM controller renders the
// DataVolume. On a missing DataSource, the API error the VM controller reports.
struct ResolvedSource {
  models::Json source;  // {"pvc": {"name", "namespace"}}, or null when there is none
  std::string error;
};
ResolvedSource resolve_source_ref(const api::Store& store, const std::string& namespace_, const models::Json& source_ref);

}  // namespace kvsim::sim::kubevirt::storage
