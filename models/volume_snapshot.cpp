#include "models/volume_snapshot.hpp"

#include "models/codec/schema.hpp"
#include "models/validation.hpp"

namespace kvsim::models {
namespace {

// The CRD's validation rule: exactly one source.
void validate_snapshot(const Object& o, DecodeContext& ctx) {
  const auto& s = static_cast<const VolumeSnapshot&>(o);
  validate_metadata(s.metadata, true, NameRule::Subdomain, ctx);
  if (s.spec.source.persistentVolumeClaimName.empty() == s.spec.source.volumeSnapshotContentName.empty())
    ctx.invalid("spec.source",
                "Invalid value: \"object\": exactly one of volumeSnapshotContentName and persistentVolumeClaimName must be set");
}

void validate_snapshot_class(const Object& o, DecodeContext& ctx) {
  const auto& c = static_cast<const VolumeSnapshotClass&>(o);
  validate_metadata(c.metadata, false, NameRule::Subdomain, ctx);
  if (c.deletionPolicy.empty()) ctx.invalid("deletionPolicy", "Required value");
}

}  // namespace

// Short names from the CRDs: vs; vsclass, vsclasses.
const KindInfo& VolumeSnapshot::kind_info() {
  static const KindInfo info = with_schema<VolumeSnapshot>({"VolumeSnapshot", "snapshot.storage.k8s.io/v1",
                                                            "volumesnapshots", {"vs"}, true, {},
                                                            &decode_kind<VolumeSnapshot>, &validate_snapshot, nullptr});
  return info;
}

const KindInfo& VolumeSnapshotClass::kind_info() {
  static const KindInfo info = with_schema<VolumeSnapshotClass>(
      {"VolumeSnapshotClass", "snapshot.storage.k8s.io/v1", "volumesnapshotclasses", {"vsclass", "vsclasses"}, false,
       {}, &decode_kind<VolumeSnapshotClass>, &validate_snapshot_class, nullptr, false});
  return info;
}

}  // namespace kvsim::models
