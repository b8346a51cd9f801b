#pragma once
// The StatefulSet controller's decision, as a pure function of what it sees
// (upstream pkg/controller/statefulset stateful_set_control.go
// updateStatefulSet: process the replicas in ordinal order, then the
// condemned ones from the highest ordinal down, then the rolling update from
// the highest ordinal down to the partition). OrderedReady stops at the first
// pod that is not Running, Ready and available; Parallel does not wait.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/apps.hpp"

namespace kvsim::sim::controllers::statefulset {

struct Observed {
  std::vector<const models::Pod*> pods;  // pods whose controller ownerReference is this set
  // Claims named by the set's templates, by name (absent: not created).
  std::map<std::string, const models::PersistentVolumeClaim*> claims;
  std::string current_revision;  // status.currentRevision, or the update revision for a new set
  std::string update_revision;   // the revision of the set's template now
  double now = 0;
};

struct Action {
  enum class Type {
    CreatePod,     // with its missing claims first
    CreateClaims,  // the missing claims of a pod still Pending
    DeletePod,
    SetClaimOwners,  // claim `name` gets `owners` (retention policy)
  };
  Type type;
  std::string name;  // the pod or claim
  int ordinal = -1;
  bool current_revision = false;  // CreatePod: from the current revision's template (below the partition)
  std::vector<models::OwnerReference> owners;
  std::string reason;  // for the trace
};

struct Plan {
  std::vector<Action> actions;
  models::StatefulSetStatus status;  // before completeRollingUpdate (the driver applies it)
  std::string waiting;               // what OrderedReady waits for, e.g. "web-0 to be Running and Ready"
  std::optional<double> requeue_after;  // a Ready pod becomes available (minReadySeconds)
};

Plan plan(const models::StatefulSet& set, const Observed& seen);

// Upstream completeRollingUpdate: once every replica is updated and ready the
// update revision becomes the current one.
void complete_rolling_update(const models::StatefulSet& set, models::StatefulSetStatus& status);

}  // namespace kvsim::sim::controllers::statefulset
