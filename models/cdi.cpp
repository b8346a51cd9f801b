#include "models/cdi.hpp"

#include <fmt/format.h>

#include "models/codec/schema.hpp"
#include "models/validation.hpp"

namespace kvsim::models {
namespace {

void validate_dv(const Object& o, DecodeContext& ctx) {
  const auto& dv = static_cast<const DataVolume&>(o);
  validate_metadata(dv.metadata, true, NameRule::Subdomain, ctx);
  validate_data_volume_spec(dv.spec, "spec", ctx);
}

}  // namespace

std::string DataVolumeSpec::source_type() const {
  if (!source.is_object() || source.empty()) return "";
  return source.begin().key();
}

// CDI's admission webhook (datavolume-validate): a source (or sourceRef) and
// exactly one of pvc or storage.
void validate_data_volume_spec(const DataVolumeSpec& s, const std::string& path, DecodeContext& ctx) {
  const bool has_source = s.source.is_object() && !s.source.empty();
  const bool has_ref = s.sourceRef.is_object() && !s.sourceRef.empty();
  if (!has_source && !has_ref) ctx.invalid(path + ".source", "Required value: Data volume should have either Source or SourceRef");
  if (has_source && s.source.size() > 1)
    ctx.invalid(path + ".source", "Invalid value: Data volume source can only have one source type");
  if (!s.pvc && !s.storage) ctx.invalid(path, "Missing Data volume PVC or Storage");
  if (s.pvc && s.storage) ctx.invalid(path, "Invalid value: Data volume can only have either PVC or Storage");
}

const KindInfo& DataVolume::kind_info() {
  static const KindInfo info = with_schema<DataVolume>(
      {"DataVolume", "cdi.kubevirt.io/v1beta1", "datavolumes", {"dv", "dvs"}, true, {}, &decode_kind<DataVolume>,
       &validate_dv, nullptr});
  return info;
}

}  // namespace kvsim::models
