#pragma once
// The DaemonSet controller's decision, as a pure function of what it sees
// (upstream pkg/controller/daemon syncDaemonSet: manage, then rollingUpdate
// when expectations are met, then updateDaemonSetStatus).
#include <optional>
#include <string>
#include <vector>

#include "models/apps.hpp"

namespace kvsim::sim::controllers::daemonset {

// What the driver observed for one DaemonSet.
struct Observed {
  std::vector<const models::Node*> nodes;  // every node, sorted by name
  std::vector<const models::Pod*> pods;    // pods whose controller ownerReference is this DaemonSet
  std::string hash;                        // controller-revision-hash of the current template
  bool expectations_met = true;            // no creation or deletion asked for is still unseen
  double now = 0;
};

struct Deletion {
  std::string pod;
  std::string reason;  // for the trace
};

struct Plan {
  std::vector<std::string> create_on;  // node names, in name order
  std::vector<Deletion> remove;
  models::DaemonSetStatus status;
  // Seconds until a Ready pod becomes available (minReadySeconds): reconcile again then.
  std::optional<double> requeue_after;
};

// A pod of the current template: its controller-revision-hash is `hash`, or
// its pod-template-generation is `generation` (upstream IsPodUpdated).
bool pod_is_updated(const models::Pod& p, const std::string& hash, std::int64_t generation);

Plan plan(const models::DaemonSet& ds, const Observed& seen);

}  // namespace kvsim::sim::controllers::daemonset
