#pragma once
// Server-side apply (`application/apply-patch+yaml`, `kubectl apply
// --server-side`): the applied configuration is merged into the live object
// (keyed lists by their keys, patch_schema.hpp), the fields the same manager
// applied last time and no longer applies are removed unless another applier
// holds them, and a field whose value changes while another manager owns it is
// a conflict (409) unless the request forces it (`force=true`), which moves
// ownership. Upstream: structured-merge-diff's merge.Updater and
// apimachinery's managedfields (lastAppliedManager, lastAppliedUpdater).
//
// Two steps, so the caller can decode the merged object between them and
// compare typed values (a quantity "1" and 1 are the same field value):
//   plan_apply()   merge and prune;
//   settle_apply() conflicts and the new managedFields.
#include <string>
#include <vector>

#include "sim/apiserver/managed_fields.hpp"

namespace kvsim::sim::apiserver {

struct ApplyPlan {
  models::Json merged;              // the live object with the configuration applied and pruned
  FieldSet applied;                 // what the manager now applies
  std::vector<ManagedEntry> entries;  // the live object's managers
};

// `live` is the object's JSON (an empty object when the apply creates it).
ApplyPlan plan_apply(const models::Json& live, const models::Json& config, const std::string& manager,
                     const TypeSchema& schema);

struct Conflict {
  std::string manager;  // as upstream prints it: "\"kubectl-client-side-apply\" using apps/v1"
  FieldPath path;
};

struct ApplySettlement {
  std::vector<Conflict> conflicts;  // non-empty: refuse with 409
  models::Json managed_fields;      // otherwise: the object's new metadata.managedFields
  std::string last_applied;         // non-empty: the new value of kubectl's last-applied annotation
  std::string conflict_message() const;  // "Apply failed with 1 conflict: conflict with ..."
};

// `before` and `after` are the live and the merged object as stored (typed,
// then encoded). The manager named "kubectl" may take fields the client-side
// apply owns as long as they still hold what the last-applied annotation says
// (how kubectl moves an object from client-side to server-side apply).
ApplySettlement settle_apply(const ApplyPlan& plan, const models::Json& before, const models::Json& after,
                             const models::Json& config, const std::string& manager, const std::string& api_version,
                             bool force, const TypeSchema& schema, const models::Json& now);

}  // namespace kvsim::sim::apiserver
