#include "models/storage.hpp"

#include <fmt/format.h>

#include "models/codec/schema.hpp"
#include "models/validation.hpp"

namespace kvsim::models {
namespace {

constexpr const char* kBetaClassAnnotation = "volume.beta.kubernetes.io/storage-class";

void validate_storage_class(const Object& o, DecodeContext& ctx) {
  const auto& sc = static_cast<const StorageClass&>(o);
  validate_metadata(sc.metadata, false, NameRule::Subdomain, ctx);
  if (sc.provisioner.empty()) ctx.invalid("provisioner", "Required value");
}

// The API server's defaults (storage/v1 SetDefaults_StorageClass).
void default_storage_class(Object& o) {
  auto& sc = static_cast<StorageClass&>(o);
  if (sc.reclaimPolicy.empty()) sc.reclaimPolicy = "Delete";
  if (sc.volumeBindingMode.empty()) sc.volumeBindingMode = "Immediate";
}

// Upstream ValidateStorageClassUpdate: only metadata, mountOptions and
// allowVolumeExpansion may change.
void validate_storage_class_update(const Object& old_obj, const Object& next_obj, DecodeContext& ctx) {
  const auto& old_sc = static_cast<const StorageClass&>(old_obj);
  const auto& sc = static_cast<const StorageClass&>(next_obj);
  if (sc.parameters != old_sc.parameters) ctx.invalid("parameters", "Forbidden: updates to parameters are forbidden.");
  if (sc.provisioner != old_sc.provisioner)
    ctx.invalid("provisioner", "Forbidden: updates to provisioner are forbidden.");
  if (sc.reclaimPolicy != old_sc.reclaimPolicy)
    ctx.invalid("reclaimPolicy", "Forbidden: updates to reclaimPolicy are forbidden.");
  if (sc.volumeBindingMode != old_sc.volumeBindingMode)
    ctx.invalid("volumeBindingMode", invalid_value(sc.volumeBindingMode, "field is immutable"));
}

void validate_volume_attachment(const Object& o, DecodeContext& ctx) {
  const auto& va = static_cast<const VolumeAttachment&>(o);
  validate_metadata(va.metadata, false, NameRule::Subdomain, ctx);
  if (va.spec.source.persistentVolumeName.empty())
    ctx.invalid("spec.source", "Required value: must specify exactly one of inlineVolumeSpec and persistentVolumeName");
}

}  // namespace

bool StorageClass::is_default() const {
  for (const char* key : {kDefaultClassAnnotation, kBetaDefaultClassAnnotation}) {
    auto it = metadata.annotations.find(key);
    if (it != metadata.annotations.end() && it->second == "true") return true;
  }
  return false;
}

std::string claim_class(const PersistentVolumeClaim& pvc) {
  if (auto it = pvc.metadata.annotations.find(kBetaClassAnnotation); it != pvc.metadata.annotations.end())
    return it->second;
  return pvc.spec.storageClassName.value_or("");
}

std::string volume_class(const PersistentVolume& pv) {
  if (auto it = pv.metadata.annotations.find(kBetaClassAnnotation); it != pv.metadata.annotations.end())
    return it->second;
  return pv.spec.storageClassName;
}

const KindInfo& StorageClass::kind_info() {
  static const KindInfo info = with_schema<StorageClass>(
      {"StorageClass", "storage.k8s.io/v1", "storageclasses", {"sc"}, false, {}, &decode_kind<StorageClass>,
       &validate_storage_class, &default_storage_class, false, &validate_storage_class_update});
  return info;
}

const KindInfo& VolumeAttachment::kind_info() {
  static const KindInfo info = with_schema<VolumeAttachment>(
      {"VolumeAttachment", "storage.k8s.io/v1", "volumeattachments", {}, false, {}, &decode_kind<VolumeAttachment>,
       &validate_volume_attachment, nullptr, true});
  return info;
}

}  // namespace kvsim::models
