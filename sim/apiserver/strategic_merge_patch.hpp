#pragma once
// Strategic merge patch (`application/strategic-merge-patch+json`), the
// default of `kubectl patch`, `apply` and `edit` on built-in kinds: a merge
// patch whose lists merge by key where the type says so (containers by name,
// ports by containerPort, ...; patch_schema.hpp), with the directives kubectl
// writes:
//   {"$patch": "replace"|"delete"} in an object or a list item,
//   "$setElementOrder/<list>": the order of the merged list,
//   "$retainKeys": the keys an object keeps (a volume's source, a strategy),
//   "$deleteFromPrimitiveList/<list>": values removed from a list of scalars.
// Semantics as upstream's apimachinery strategicpatch (merge order included:
// $setElementOrder, then the patch's order, then the live order).
#include "sim/apiserver/json_patch.hpp"
#include "sim/apiserver/patch_schema.hpp"

namespace kvsim::sim::apiserver {

PatchOutcome apply_strategic_merge_patch(const models::Json& document, const models::Json& patch,
                                         const TypeSchema& schema);

}  // namespace kvsim::sim::apiserver
