#include "sim/controllers/deployment/status.hpp"

#include <fmt/format.h>

namespace kvsim::sim::controllers::deployment {

models::Condition deployment_condition(std::string type, std::string status, std::string reason, std::string message,
                                       double now) {
  models::Condition c{std::move(type), std::move(status), std::move(reason), std::move(message)};
  c.lastTransitionTime = models::Timestamp{now};
  c.lastUpdateTime = models::Timestamp{now};
  return c;
}

void set_deployment_condition(std::vector<models::Condition>& conditions, models::Condition c) {
  const auto* current = models::find_condition(conditions, c.type);
  if (current && current->status == c.status && current->reason == c.reason) return;
  if (current && current->status == c.status) c.lastTransitionTime = current->lastTransitionTime;
  remove_deployment_condition(conditions, c.type);
  conditions.push_back(std::move(c));
}

void remove_deployment_condition(std::vector<models::Condition>& conditions, std::string_view type) {
  std::erase_if(conditions, [&](const auto& x) { return x.type == type; });
}

models::DeploymentStatus calculate_status(const models::Deployment& d, const std::vector<models::Condition>& conditions,
                                          const RSList& all, const models::ReplicaSet* new_rs, double now) {
  models::DeploymentStatus s;
  const auto available = available_replicas_sum(all);
  s.observedGeneration = d.metadata.generation;
  s.replicas = status_replicas_sum(all);
  s.updatedReplicas = new_rs ? new_rs->status.replicas : 0;
  s.readyReplicas = ready_replicas_sum(all);
  s.availableReplicas = available;
  // More available than asked for (scaling down): nothing is unavailable.
  s.unavailableReplicas = std::max(0, spec_replicas_sum(all) - available);
  s.conditions = conditions;
  if (available >= replicas_of(d) - max_unavailable(d))
    set_deployment_condition(s.conditions, deployment_condition("Available", "True", kMinimumReplicasAvailable,
                                                                "Deployment has minimum availability.", now));
  else
    set_deployment_condition(s.conditions, deployment_condition("Available", "False", kMinimumReplicasUnavailable,
                                                                "Deployment does not have minimum availability.", now));
  return s;
}

bool deployment_complete(const models::Deployment& d, const models::DeploymentStatus& s) {
  const auto want = replicas_of(d);
  return s.updatedReplicas == want && s.replicas == want && s.availableReplicas == want &&
         s.observedGeneration >= d.metadata.generation;
}

namespace {

bool has_progress_deadline(const models::Deployment& d) {
  // An unset deadline (or math.MaxInt32, upstream's "never") reports no progress.
  return d.spec.progressDeadlineSeconds && *d.spec.progressDeadlineSeconds != 2147483647;
}

bool progressing(const models::Deployment& d, const models::DeploymentStatus& s) {
  const auto& old = d.status;
  return s.updatedReplicas > old.updatedReplicas ||
         (s.replicas - s.updatedReplicas) < (old.replicas - old.updatedReplicas) ||
         s.readyReplicas > old.readyReplicas || s.availableReplicas > old.availableReplicas;
}

bool timed_out(const models::Deployment& d, const models::DeploymentStatus& s, double now) {
  const auto* c = models::find_condition(s.conditions, "Progressing");
  if (!c || c->reason == kNewRSAvailableReason) return false;
  if (c->reason == kTimedOutReason) return true;
  const double from = c->lastUpdateTime ? c->lastUpdateTime->seconds : 0;
  return from + *d.spec.progressDeadlineSeconds < now;
}

std::string about(const models::Deployment& d, const models::ReplicaSet* new_rs, const char* what) {
  return new_rs ? fmt::format("ReplicaSet \"{}\" {}", new_rs->metadata.name, what)
                : fmt::format("Deployment \"{}\" {}", d.metadata.name, what);
}

}  // namespace

models::DeploymentStatus rollout_status(const models::Deployment& d, const std::vector<models::Condition>& conditions,
                                        const RSList& all, const models::ReplicaSet* new_rs, double now) {
  auto s = calculate_status(d, conditions, all, new_rs, now);
  if (!has_progress_deadline(d)) remove_deployment_condition(s.conditions, "Progressing");
  const auto* current = models::find_condition(conditions, "Progressing");
  const bool was_complete = s.replicas == s.updatedReplicas && current && current->reason == kNewRSAvailableReason;
  if (!has_progress_deadline(d) || was_complete) return s;
  if (deployment_complete(d, s)) {
    set_deployment_condition(s.conditions, deployment_condition("Progressing", "True", kNewRSAvailableReason,
                                                                about(d, new_rs, "has successfully progressed."), now));
  } else if (progressing(d, s)) {
    auto c = deployment_condition("Progressing", "True", kReplicaSetUpdatedReason, about(d, new_rs, "is progressing."),
                                  now);
    // Progress refreshes lastUpdateTime even with the same reason; the transition time stays while True.
    if (current) {
      if (current->status == "True") c.lastTransitionTime = current->lastTransitionTime;
      remove_deployment_condition(s.conditions, "Progressing");
    }
    set_deployment_condition(s.conditions, std::move(c));
  } else if (timed_out(d, s, now)) {
    set_deployment_condition(s.conditions, deployment_condition("Progressing", "False", kTimedOutReason,
                                                                about(d, new_rs, "has timed out progressing."), now));
  }
  return s;
}

std::optional<double> stuck_requeue_after(const models::Deployment& d, const models::DeploymentStatus& s, double now) {
  const auto* c = models::find_condition(d.status.conditions, "Progressing");
  if (!has_progress_deadline(d) || !c) return std::nullopt;
  if (deployment_complete(d, s) || c->reason == kTimedOutReason) return std::nullopt;
  const double from = c->lastUpdateTime ? c->lastUpdateTime->seconds : now;
  const double after = from + *d.spec.progressDeadlineSeconds - now;
  // Upstream adds a second against clock skew; under a second it retries (rate limited) until past the deadline.
  return after < 1 ? std::max(after, 0.0) + 0.005 : after + 1;
}

}  // namespace kvsim::sim::controllers::deployment
