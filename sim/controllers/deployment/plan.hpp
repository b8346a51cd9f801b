#pragma once
// The Deployment controller's decision, as a pure function of what it sees
// (upstream pkg/controller/deployment syncDeployment): find or create the new
// ReplicaSet, roll (RollingUpdate or Recreate), scale proportionally on a
// scaling event, clean up old revisions, and compute the status.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/apps.hpp"

namespace kvsim::sim::controllers::deployment {

struct Observed {
  // The Deployment's ReplicaSets (controller ownerReference to it).
  std::vector<models::ReplicaSet> replicasets;
  // Per ReplicaSet name: its pods not yet Succeeded or Failed, terminating ones
  // included (Recreate waits for them all to be gone).
  std::map<std::string, int> live_pods;
  // Names `<deployment>-*` in the namespace held by ReplicaSets that are not
  // this Deployment's: a new ReplicaSet's hash steps past them (collision count).
  std::vector<std::string> foreign_names;
  double now = 0;
};

struct ReplicaSetWrite {
  enum class Kind { Create, Update, Delete };
  Kind kind;
  models::ReplicaSet rs;  // the state to write (Delete: the one to delete)
  std::string why;        // the trace record's reason
};

struct Plan {
  std::vector<ReplicaSetWrite> writes;                        // in order
  std::vector<std::pair<std::string, std::string>> events;    // Normal events on the Deployment: reason, message
  std::optional<std::map<std::string, std::string>> annotations;  // the Deployment's, when they change
  std::optional<models::DeploymentStatus> status;              // when it changes
  std::optional<double> requeue_after;                         // seconds: progress deadline check
};

Plan plan(const models::Deployment& d, const Observed& seen);

}  // namespace kvsim::sim::controllers::deployment
