#pragma once
// kube-scheduler's DefaultPreemption PostFilter as a pure function. When a pod
// fits no node it looks only at nodes whose rejection was resolvable (resources,
// pod count, a ReadWriteOncePod claim: upstream's Unschedulable status), removes
// every lower-priority pod there and re-runs the filters; where the pod then
// fits, the most important of those pods are given back while it still fits and
// the rest are the victims. One node is nominated by upstream's criteria; with
// none, the verdict per node becomes the second half of FailedScheduling:
//   "0/5 nodes are available: 2 Insufficient memory, 3 node(s) had untolerated
//    taint {...}. preemption: 0/5 nodes are available: 2 No preemption victims
//    found for incoming pod, 3 Preemption is not helpful for scheduling.."
// (the verdict is a FitError of its own, ending in ".", and FitError appends
// " <part>." after it: upstream's events really end in "..").
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/controllers/scheduler/plan.hpp"

namespace kvsim::sim::controllers::scheduler {

// A pod bound to a node, as preemption weighs it.
struct BoundPod {
  std::string key;           // namespace/name
  std::int32_t priority = 0;
  double start_time = 0;     // status.startTime in sim seconds; a pod not started yet counts as starting now
  models::ResourceList requests;
  bool terminating_by_preemption = false;  // being deleted with DisruptionTarget reason PreemptionByScheduler
};
using PodsByNode = std::map<std::string, std::vector<BoundPod>>;  // node name -> its (or its nominated) pods

struct Preemption {
  std::string message;               // the PostFilter's verdict, "preemption: ..."; empty when a node is nominated
  std::string node;                  // the nominated node; empty when none
  std::vector<std::string> victims;  // pod keys to delete, most important first
  bool clear_nomination = false;     // nothing can help: the pod's status.nominatedNodeName is cleared
};

// `failure` is schedule()'s (or prefilter_rejection()'s) verdict that `pod` fits none of `nodes`.
Preemption preempt(const models::Pod& pod, const std::vector<NodeState>& nodes, const Decision& failure,
                   const PodsByNode& pods, const ExtraFilter& extra = {});

// Upstream's RunFilterPluginsWithNominatedPods: pods nominated to a node (not
// `pod` itself) with at least its priority count there as if bound, so room a
// preemption freed is kept for its preemptor. `nodes` with them added, or
// nullopt when no nominated pod applies.
std::optional<std::vector<NodeState>> with_nominated(const models::Pod& pod, const std::vector<NodeState>& nodes,
                                                     const PodsByNode& nominated);

// The FailedScheduling event and PodScheduled message: the FitError, then the PostFilter's verdict if any.
std::string failed_scheduling_message(const Decision& failure, const Preemption& preemption);

}  // namespace kvsim::sim::controllers::scheduler
