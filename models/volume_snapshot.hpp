#pragma once
// CSI volume snapshots (snapshot.storage.k8s.io/v1, kubernetes-csi/external-snapshotter's
// CRDs): what OpenShift Virtualization keeps golden images as on ODF's RBD class (CDI's
// StorageProfile dataImportCronSourceFormat "snapshot"), and what a DataVolume restores from.
// kvsim stores them with their status; there is no snapshot controller or
// VolumeSnapshotContent.
#include <optional>
#include <string>

#include "models/core.hpp"

namespace kvsim::models {

struct VolumeSnapshotSource {
  std::string persistentVolumeClaimName, volumeSnapshotContentName;
};
template <class V>
void visit_fields(V& v, VolumeSnapshotSource& s) {
  v.field("persistentVolumeClaimName", s.persistentVolumeClaimName);
  v.field("volumeSnapshotContentName", s.volumeSnapshotContentName);
}

struct VolumeSnapshotSpec {
  VolumeSnapshotSource source;
  std::string volumeSnapshotClassName;
};
template <class V>
void visit_fields(V& v, VolumeSnapshotSpec& s) {
  v.field("source", s.source, Required);
  v.field("volumeSnapshotClassName", s.volumeSnapshotClassName);
}

struct VolumeSnapshotStatus {
  std::string boundVolumeSnapshotContentName;
  std::optional<Timestamp> creationTime;
  std::optional<bool> readyToUse;
  std::optional<Quantity> restoreSize;
};
template <class V>
void visit_fields(V& v, VolumeSnapshotStatus& s) {
  v.field("boundVolumeSnapshotContentName", s.boundVolumeSnapshotContentName);
  v.field("creationTime", s.creationTime);
  v.field("readyToUse", s.readyToUse);
  v.field("restoreSize", s.restoreSize);
}

struct VolumeSnapshot : ObjectOf<VolumeSnapshot> {
  VolumeSnapshotSpec spec;
  VolumeSnapshotStatus status;
  static const KindInfo& kind_info();
  bool ready() const { return status.readyToUse.value_or(false); }
};
template <class V>
void visit_fields(V& v, VolumeSnapshot& o) {
  visit_header(v, o);
  v.field("spec", o.spec, Required);
  v.field("status", o.status);
}

struct VolumeSnapshotClass : ObjectOf<VolumeSnapshotClass> {
  std::string driver, deletionPolicy;
  std::map<std::string, std::string> parameters;
  static const KindInfo& kind_info();
};
template <class V>
void visit_fields(V& v, VolumeSnapshotClass& o) {
  visit_header(v, o);
  v.field("driver", o.driver, Required);
  v.enumerated("deletionPolicy", o.deletionPolicy, {"Delete", "Retain"});
  v.field("parameters", o.parameters);
}

}  // namespace kvsim::models
