#pragma once
// A Deployment's status and conditions, as upstream's deployment controller
// computes them (calculateStatus, syncRolloutStatus, util conditions).
#include <optional>

#include "sim/controllers/deployment/rollout_math.hpp"

namespace kvsim::sim::controllers::deployment {

// Condition reasons (upstream deployment/util).
inline constexpr const char* kNewRSReason = "NewReplicaSetCreated";
inline constexpr const char* kFoundNewRSReason = "FoundNewReplicaSet";
inline constexpr const char* kReplicaSetUpdatedReason = "ReplicaSetUpdated";
inline constexpr const char* kNewRSAvailableReason = "NewReplicaSetAvailable";
inline constexpr const char* kTimedOutReason = "ProgressDeadlineExceeded";
inline constexpr const char* kPausedReason = "DeploymentPaused";
inline constexpr const char* kResumedReason = "DeploymentResumed";
inline constexpr const char* kMinimumReplicasAvailable = "MinimumReplicasAvailable";
inline constexpr const char* kMinimumReplicasUnavailable = "MinimumReplicasUnavailable";

// A condition stamped `now` for both lastUpdateTime and lastTransitionTime.
models::Condition deployment_condition(std::string type, std::string status, std::string reason, std::string message,
                                       double now);
// Upstream SetDeploymentCondition: same status and reason is a no-op; same status
// keeps the transition time; the condition moves to the end of the list.
void set_deployment_condition(std::vector<models::Condition>& conditions, models::Condition c);
void remove_deployment_condition(std::vector<models::Condition>& conditions, std::string_view type);

// Counts from the ReplicaSets plus the Available condition; other conditions kept.
models::DeploymentStatus calculate_status(const models::Deployment& d, const std::vector<models::Condition>& conditions,
                                          const RSList& all, const models::ReplicaSet* new_rs, double now);

bool deployment_complete(const models::Deployment& d, const models::DeploymentStatus& s);

// syncRolloutStatus: calculate_status, then the Progressing condition
// (complete, progressing, or timed out against progressDeadlineSeconds).
models::DeploymentStatus rollout_status(const models::Deployment& d, const std::vector<models::Condition>& conditions,
                                        const RSList& all, const models::ReplicaSet* new_rs, double now);

// When an unchanged status still needs a look later: the moment the progress
// deadline passes (upstream requeueStuckDeployment). Seconds from now.
std::optional<double> stuck_requeue_after(const models::Deployment& d, const models::DeploymentStatus& s, double now);

}  // namespace kvsim::sim::controllers::deployment
