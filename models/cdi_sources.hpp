#pragma once
// CDI's golden-image kinds (cdi.kubevirt.io/v1beta1, CDI v1.62 as OpenShift
// Virtualization 4.19 ships it): a DataSource names the PVC (or VolumeSnapshot)
// a DataVolume's `sourceRef` clones, and a DataImportCron keeps that source up
// to date by importing an OS image on a schedule. Types from CDI's
// staging/src/kubevirt.io/containerized-data-importer-api/pkg/apis/core/v1beta1/types.go.
#include <optional>
#include <string>
#include <vector>

#include "models/core.hpp"

namespace kvsim::models {

// DataVolumeSourcePVC / DataVolumeSourceSnapshot: a name and an optional namespace.
struct SourceObjectRef {
  std::string name, namespace_;
};
template <class V>
void visit_fields(V& v, SourceObjectRef& r) {
  v.field("name", r.name, Required);
  v.field("namespace", r.namespace_);
}

struct DataSourceSource {
  std::optional<SourceObjectRef> pvc, snapshot;
};
template <class V>
void visit_fields(V& v, DataSourceSource& s) {
  v.field("pvc", s.pvc);
  v.field("snapshot", s.snapshot);
}

struct DataSourceSpec {
  DataSourceSource source;
};
template <class V>
void visit_fields(V& v, DataSourceSpec& s) {
  v.field("source", s.source, Required);
}

struct DataSourceStatus {
  DataSourceSource source;
  std::vector<Condition> conditions;
};
template <class V>
void visit_fields(V& v, DataSourceStatus& s) {
  v.field("source", s.source);
  v.field("conditions", s.conditions);
}

struct DataSource : ObjectOf<DataSource> {
  DataSourceSpec spec;
  DataSourceStatus status;
  static const KindInfo& kind_info();
  bool ready() const;
};
template <class V>
void visit_fields(V& v, DataSource& o) {
  visit_header(v, o);
  v.field("spec", o.spec, Required);
  v.field("status", o.status);
}

struct DataImportCronSpec {
  Json template_;  // a DataVolume (its spec is what each import creates)
  std::string schedule, garbageCollect, managedDataSource, retentionPolicy;
  std::optional<std::int32_t> importsToKeep;
};
template <class V>
void visit_fields(V& v, DataImportCronSpec& s) {
  v.opaque("template", s.template_);
  v.field("schedule", s.schedule, Required);
  v.enumerated("garbageCollect", s.garbageCollect, {"Outdated", "Never"});
  v.field("importsToKeep", s.importsToKeep);
  v.field("managedDataSource", s.managedDataSource, Required);
  v.enumerated("retentionPolicy", s.retentionPolicy, {"None", "All"});
}

struct DataImportCronStatus {
  Json currentImports;
  std::optional<SourceObjectRef> lastImportedPVC;
  std::optional<Timestamp> lastExecutionTimestamp, lastImportTimestamp;
  std::string sourceFormat;  // pvc or snapshot
  std::vector<Condition> conditions;
};
template <class V>
void visit_fields(V& v, DataImportCronStatus& s) {
  v.opaque("currentImports", s.currentImports);
  v.field("lastImportedPVC", s.lastImportedPVC);
  v.field("lastExecutionTimestamp", s.lastExecutionTimestamp);
  v.field("lastImportTimestamp", s.lastImportTimestamp);
  v.field("sourceFormat", s.sourceFormat);
  v.field("conditions", s.conditions);
}

struct DataImportCron : ObjectOf<DataImportCron> {
  DataImportCronSpec spec;
  DataImportCronStatus status;
  static const KindInfo& kind_info();
};
template <class V>
void visit_fields(V& v, DataImportCron& o) {
  visit_header(v, o);
  v.field("spec", o.spec, Required);
  v.field("status", o.status);
}

}  // namespace kvsim::models
