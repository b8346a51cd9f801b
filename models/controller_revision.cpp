#include "models/controller_revision.hpp"

#include "models/codec/schema.hpp"
#include "models/kind_info.hpp"
#include "models/validation.hpp"

namespace kvsim::models {
namespace {

// k8s.io/kubernetes pkg/apis/apps/validation ValidateControllerRevision and
// ValidateControllerRevisionUpdate: a non-negative revision, data immutable.
void validate_revision(const Object& o, DecodeContext& ctx) {
  const auto& r = static_cast<const ControllerRevision&>(o);
  validate_metadata(r.metadata, true, NameRule::Subdomain, ctx);
  if (r.revision < 0)
    ctx.invalid("revision", invalid_value(std::to_string(r.revision), "must be greater than or equal to 0"));
}

void validate_revision_update(const Object& old, const Object& next, DecodeContext& ctx) {
  if (static_cast<const ControllerRevision&>(old).data != static_cast<const ControllerRevision&>(next).data)
    ctx.invalid("data", "Invalid value: field is immutable");
}

}  // namespace

const KindInfo& ControllerRevision::kind_info() {
  static const KindInfo info = with_schema<ControllerRevision>(
      {"ControllerRevision", "apps/v1", "controllerrevisions", {}, true, {}, &decode_kind<ControllerRevision>,
       &validate_revision, nullptr, false, &validate_revision_update});
  return info;
}

}  // namespace kvsim::models
