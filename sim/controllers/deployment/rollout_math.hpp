#pragma once
// The arithmetic of a rollout, as upstream's deployment/util computes it:
// surge and unavailability budgets, replica counts over ReplicaSets, the new
// ReplicaSet's next size, proportional scaling and the revision annotations.
#include <optional>
#include <string>
#include <vector>

#include "models/apps.hpp"

namespace kvsim::sim::controllers::deployment {

inline constexpr const char* kRevisionAnnotation = "deployment.kubernetes.io/revision";
inline constexpr const char* kRevisionHistoryAnnotation = "deployment.kubernetes.io/revision-history";
inline constexpr const char* kDesiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas";
inline constexpr const char* kMaxReplicasAnnotation = "deployment.kubernetes.io/max-replicas";
inline constexpr const char* kChangeCauseAnnotation = "kubernetes.io/change-cause";
// Upstream caps the revision-history annotation at this many characters.
inline constexpr std::size_t kMaxRevisionHistoryChars = 2000;

using RSList = std::vector<const models::ReplicaSet*>;

std::int32_t replicas_of(const models::Deployment& d);
std::int32_t replicas_of(const models::ReplicaSet& rs);
bool is_rolling_update(const models::Deployment& d);

// maxSurge rounded up, maxUnavailable rounded down, against spec.replicas; when
// both come to 0, maxUnavailable is 1 (upstream ResolveFenceposts).
std::int32_t max_surge(const models::Deployment& d);
// Never more than spec.replicas; 0 for Recreate or 0 replicas.
std::int32_t max_unavailable(const models::Deployment& d);

std::int32_t spec_replicas_sum(const RSList& rss);       // sum of spec.replicas
std::int32_t status_replicas_sum(const RSList& rss);     // sum of status.replicas
std::int32_t ready_replicas_sum(const RSList& rss);      // sum of status.readyReplicas
std::int32_t available_replicas_sum(const RSList& rss);  // sum of status.availableReplicas
RSList active_only(const RSList& rss);                   // spec.replicas > 0

// What the new ReplicaSet may grow to now (upstream NewRSNewReplicas).
std::int32_t new_rs_new_replicas(const models::Deployment& d, const RSList& all, const models::ReplicaSet& new_rs);

// The revision annotation as a number; nullopt when absent or not a number.
std::optional<std::int64_t> revision_of(const models::Object& o);
std::int64_t max_revision(const RSList& rss);
std::optional<std::int32_t> desired_replicas_annotation(const models::ReplicaSet& rs);

// Sets desired-replicas and max-replicas; true when they changed.
bool set_replicas_annotations(models::ReplicaSet& rs, std::int32_t desired, std::int32_t max);
// Copies the Deployment's annotations (but the deployment-owned ones) onto the
// ReplicaSet, raises its revision to `new_revision` when lower (keeping the old
// one in revision-history) and, for a ReplicaSet about to be created, sets the
// replica annotations. True when anything changed (upstream SetNewReplicaSetAnnotations).
bool set_new_rs_annotations(const models::Deployment& d, models::ReplicaSet& rs, std::int64_t new_revision,
                            bool exists);

// Upstream's proportional share of `to_add` for one ReplicaSet during a scaling
// event mid-rollout (GetProportion).
std::int32_t proportion(const models::ReplicaSet& rs, const models::Deployment& d, std::int32_t to_add,
                        std::int32_t added);

// The only active ReplicaSet, or the newest when none is active; null when several are active.
const models::ReplicaSet* active_or_latest(const models::ReplicaSet* new_rs, RSList old_rss);
// The new ReplicaSet holds every replica, all available (upstream IsSaturated).
bool is_saturated(const models::Deployment& d, const models::ReplicaSet* rs);

// Creation time, then name (upstream ReplicaSetsByCreationTimestamp).
bool older(const models::ReplicaSet* a, const models::ReplicaSet* b);

}  // namespace kvsim::sim::controllers::deployment
