#pragma once
// The Containerized Data Importer's DataVolume (cdi.kubevirt.io/v1beta1), the
// minimum KubeVirt's dataVolumeTemplates need (FIDELITY.md §7): a claim spec
// and a source; CDI creates the PVC of the same name and imports into it.
#include <optional>
#include <string>
#include <vector>

#include "models/core.hpp"

namespace kvsim::models {

struct DataVolumeSpec {
  Json source, sourceRef;  // one of http, registry, pvc, blank, upload, s3, gcs, imageio, vddk, snapshot
  std::optional<PersistentVolumeClaimSpec> pvc, storage;
  std::string contentType, priorityClassName;
  std::optional<bool> preallocation;
  // The source's kind ("registry", "http", "blank", ...) or "" when none.
  std::string source_type() const;
};
template <class V>
void visit_fields(V& v, DataVolumeSpec& s) {
  v.opaque("source", s.source);
  v.opaque("sourceRef", s.sourceRef);
  v.field("pvc", s.pvc);
  v.field("storage", s.storage);
  v.enumerated("contentType", s.contentType, {"kubevirt", "archive"});
  v.field("priorityClassName", s.priorityClassName);
  v.field("preallocation", s.preallocation);
  // Multi-stage (warm) imports from VDDK or ImageIO: kvsim imports in one stage.
  v.not_modelled("checkpoints");
  v.not_modelled("finalCheckpoint");
}

struct DataVolumeStatus {
  std::string phase, progress, claimName;
  std::optional<std::int32_t> restartCount;
  std::vector<Condition> conditions;
};
template <class V>
void visit_fields(V& v, DataVolumeStatus& s) {
  v.field("phase", s.phase);
  v.field("progress", s.progress);
  v.field("claimName", s.claimName);
  v.field("restartCount", s.restartCount);
  v.field("conditions", s.conditions);
}

struct DataVolume : ObjectOf<DataVolume> {
  DataVolumeSpec spec;
  DataVolumeStatus status;
  static const KindInfo& kind_info();
  bool succeeded() const { return status.phase == "Succeeded"; }
};
template <class V>
void visit_fields(V& v, DataVolume& o) {
  visit_header(v, o);
  v.field("spec", o.spec, Required);
  v.field("status", o.status);
}

// Validation shared by a DataVolume and a VM's dataVolumeTemplates entry (`path` is its spec).
void validate_data_volume_spec(const DataVolumeSpec& s, const std::string& path, DecodeContext& ctx);

}  // namespace kvsim::models
