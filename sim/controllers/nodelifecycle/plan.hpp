#pragma once
// The node lifecycle and taint eviction decisions (kube-controller-manager's
// pkg/controller/nodelifecycle and pkg/controller/tainteviction), as pure
// functions of what the controllers observe. The drivers beside this file
// only read the store, call these, and write what they return.
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "models/core.hpp"

namespace kvsim::sim::controllers::nodelifecycle {

inline constexpr const char* kUnreachableTaint = "node.kubernetes.io/unreachable";
inline constexpr const char* kNotReadyTaint = "node.kubernetes.io/not-ready";
inline constexpr const char* kUnschedulableTaint = "node.kubernetes.io/unschedulable";

// ---- node health (monitorNodeHealth) ----

// What the controller remembers of a node: when, on its own clock, it last saw
// the kubelet's lease renewed, and the renewTime it saw then.
struct NodeHealth {
  double probe_timestamp = 0;
  double seen_renewal = -std::numeric_limits<double>::infinity();  // none seen
};

// A pass of the monitor: a lease renewed since the last pass moves the probe
// timestamp to `now` (the controller's clock, not the kubelet's). `renewal` is
// the renewTime visible to the controller's informer (-1: no lease).
void observe_lease(NodeHealth& health, double renewal, double now);

// The grace period is over once `now` is strictly after probe + grace: the
// kubelet is presumed gone.
bool kubelet_presumed_gone(const NodeHealth& health, double grace_period, double now);

// The node's conditions once the kubelet is presumed gone: Ready, MemoryPressure,
// DiskPressure and PIDPressure become Unknown (NodeStatusUnknown, "Kubelet
// stopped posting node status."); a missing one is added as never posted.
// NetworkUnavailable is left to the network plugin. Returns true when anything changed.
bool mark_conditions_unknown(std::vector<models::Condition>& conditions, double now);

// ---- taints that mirror conditions ----

// The NoSchedule taints the node should carry for its conditions and
// spec.unschedulable (doNoScheduleTaintingPass): not-ready / unreachable for
// Ready False / Unknown, memory-, disk-, pid-pressure and network-unavailable
// for those conditions True, unschedulable for a cordoned node.
std::vector<models::Taint> condition_no_schedule_taints(const models::Node& node);

struct TaintChange {
  std::vector<models::Taint> add;
  std::vector<models::Taint> remove;
  bool empty() const { return add.empty() && remove.empty(); }
};
// What to add and remove among the controller-managed NoSchedule taints.
TaintChange no_schedule_taint_change(const models::Node& node);

// The NoExecute taint a Ready status calls for: not-ready for False,
// unreachable for Unknown, none for True.
std::optional<models::Taint> no_execute_taint_for(const std::string& ready_status);

// Applies a change to a taint list: added taints get `timeAdded = now`, a taint
// already present (same key and effect) is kept as it is.
std::vector<models::Taint> apply_taint_change(const std::vector<models::Taint>& taints, const TaintChange& change,
                                              double now);

// ---- zones (handleDisruption) ----

enum class ZoneState { Initial, Normal, PartialDisruption, FullDisruption };
const char* to_string(ZoneState s);

// topology.kubernetes.io/region and /zone joined as upstream's zone key; "" without them.
std::string zone_of(const models::Node& node);

// No Ready node: full disruption; more than 2 not ready and at least
// `unhealthy_threshold` of the zone: partial; otherwise normal.
ZoneState compute_zone_state(int ready, int not_ready, double unhealthy_threshold);

struct EvictionRates {
  double normal = 0.1;             // --node-eviction-rate
  double secondary = 0.01;         // --secondary-node-eviction-rate
  int large_cluster_threshold = 50;
};
// Nodes tainted NoExecute per second in a zone of `zone_size` nodes in `state`;
// `all_fully_disrupted`: every zone is, and the controller stops tainting.
double tainting_rate(ZoneState state, int zone_size, bool all_fully_disrupted, const EvictionRates& rates);

// ---- taint eviction (tainteviction) ----

// v1.Toleration.ToleratesTaint.
bool tolerates(const models::Toleration& toleration, const models::Taint& taint);

struct ScheduledEviction {
  double created_at = 0;
  double fire_at = 0;
};

struct EvictionDecision {
  enum Kind { Cancel, DeleteNow, Schedule, Keep } kind = Keep;
  ScheduledEviction when;  // Schedule (and DeleteNow: when.fire_at = now)
};

// A pod on a node with these NoExecute taints: an untolerated taint deletes
// it now; tolerated ones with tolerationSeconds schedule its deletion after
// the smallest of them, counted from when the controller first saw the taints
// (an earlier schedule that still fires no later is kept); tolerated forever,
// or no taints, cancels any schedule.
EvictionDecision plan_taint_eviction(const std::vector<models::Toleration>& tolerations,
                                     const std::vector<models::Taint>& no_execute_taints, double now,
                                     const std::optional<ScheduledEviction>& scheduled);

}  // namespace kvsim::sim::controllers::nodelifecycle
