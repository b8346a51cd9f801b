#pragma once
// apps/v1 ControllerRevision: an immutable snapshot of state a controller
// keeps for itself. KubeVirt's VM controller keeps three kinds: the VM spec a
// VMI was started from (revision-start-vm-<uid>-<generation>), and copies of
// the instance type and preference a VM was expanded with, which pin them
// against later edits.
#include "models/meta.hpp"

namespace kvsim::models {

struct ControllerRevision : ObjectOf<ControllerRevision> {
  Json data;
  std::int64_t revision = 0;
  static const KindInfo& kind_info();
};
template <class V>
void visit_fields(V& v, ControllerRevision& r) {
  visit_header(v, r);
  v.opaque("data", r.data);
  v.field("revision", r.revision, Always);
}

}  // namespace kvsim::models
