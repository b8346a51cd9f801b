#include "sim/kubevirt/storage/clone_source.hpp"

#include <fmt/format.h>

namespace kvsim::sim::kubevirt::storage {
namespace {

std::string text(const models::Json& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

ClonePlan data_volume_op(const api::Store& store, const models::DataVolume& dv) {
  const auto& ns = dv.metadata.namespace_;
  if (dv.spec.sourceRef.is_object() && !dv.spec.sourceRef.empty()) {
    const auto resolved = resolve_source_ref(store, ns, dv.spec.sourceRef);
    if (!resolved.error.empty() || !resolved.source.is_object()) return {};
    if (auto pvc = resolved.source.find("pvc"); pvc != resolved.source.end())
      return {DataVolumeOp::PvcClone, text(*pvc, "namespace"), text(*pvc, "name")};
    if (auto snap = resolved.source.find("snapshot"); snap != resolved.source.end())
      return {DataVolumeOp::SnapshotClone, text(*snap, "namespace"), text(*snap, "name")};
    return {};
  }
  if (!dv.spec.source.is_object()) return {DataVolumeOp::Import, {}, {}};
  for (const auto& [key, op] : {std::pair{"pvc", DataVolumeOp::PvcClone}, std::pair{"snapshot", DataVolumeOp::SnapshotClone}})
    if (auto it = dv.spec.source.find(key); it != dv.spec.source.end() && it->is_object()) {
      const std::string source_ns = text(*it, "namespace");
      return {op, source_ns.empty() ? ns : source_ns, text(*it, "name")};
    }
  return {DataVolumeOp::Import, {}, {}};
}

bool uses_csi_clone(const std::string& provisioner) {
  for (const char* p : {"rook-ceph.rbd.csi.ceph.com", "openshift-storage.rbd.csi.ceph.com", "cephfs.csi.ceph.com",
                        "openshift-storage.cephfs.csi.ceph.com"})
    if (provisioner == p) return true;
  return false;
}

ResolvedSource resolve_source_ref(const api::Store& store, const std::string& namespace_, const models::Json& source_ref) {
  if (text(source_ref, "kind") != "DataSource") return {};
  std::string ns = text(source_ref, "namespace");
  if (ns.empty()) ns = namespace_;
  const std::string name = text(source_ref, "name");
  auto ds = store.get<models::DataSource>(ns, name);
  if (!ds) return {nullptr, fmt::format("datasources.cdi.kubevirt.io \"{}\" not found", name)};
  if (const auto& pvc = ds->spec.source.pvc)
    return {models::Json{{"pvc", {{"name", pvc->name}, {"namespace", pvc->namespace_.empty() ? ns : pvc->namespace_}}}}, {}};
  if (const auto& snap = ds->spec.source.snapshot)
    return {models::Json{{"snapshot", {{"name", snap->name}, {"namespace", snap->namespace_.empty() ? ns : snap->namespace_}}}}, {}};
  return {};
}

}  // namespace kvsim::sim::kubevirt::storage
