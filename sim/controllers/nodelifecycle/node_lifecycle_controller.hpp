#pragma once
// kube-controller-manager's node lifecycle controller: every
// node-monitor-period it checks each node's lease; a kubelet silent for
// node-monitor-grace-period gets its node's conditions set Unknown and its
// pods marked not Ready; nodes whose Ready condition is False or Unknown are
// tainted NoExecute (not-ready / unreachable), rate limited per zone, and the
// taints go once the kubelet posts Ready again. It also keeps the NoSchedule
// taints that mirror conditions and spec.unschedulable (cordon).
#include <limits>
#include <deque>
#include <map>
#include <set>

#include "sim/controllers/component.hpp"
#include "sim/controllers/object_state.hpp"
#include "sim/controllers/nodelifecycle/plan.hpp"
#include "sim/node/leases.hpp"

namespace kvsim::sim::controllers::nodelifecycle {

class NodeLifecycleController : public Component {
 public:
  NodeLifecycleController(Context& ctx, const node::Leases& leases, std::string host);
  void start() override;

 private:
  // A zone's rate-limited NoExecute tainting queue (RateLimitedTimedQueue over
  // a token bucket of burst 1). A node stays a member after it is tainted, so
  // it is not queued again until it is reachable again.
  struct Zone {
    ZoneState state = ZoneState::Initial;
    double rate = 0;
    double tokens = 1;
    double refilled_at = -std::numeric_limits<double>::infinity();  // never: the bucket is full
    std::set<std::string> members;
    std::deque<std::string> pending;
  };

  // A node as the monitor tracks it: its lease health, and the two facts a pass reads from its
  // labels (a worker carries a hundred-odd, virt-handler's CPU model and feature labels among
  // them), read again only when the node object changed (ObjectState).
  struct Tracked {
    NodeHealth health;
    ObjectState labels_of;
    bool excluded = false;  // labelled node.kubernetes.io/exclude-disruption
    std::string zone;       // zone_of()
  };
  static void read_labels(Tracked& tracked, const models::Node& node);

  void reconcile(const std::string& key) override;
  void monitor();
  void taint_pass();
  void schedule_taint_pass(double at);
  bool try_accept(Zone& zone, double now);
  Zone& zone_for(const std::string& zone);  // zone_of()'s key
  void mark_node_for_tainting(const models::Node& node, const std::string& ready_status, const std::string& zone);
  void mark_node_reachable(const models::Node& node, const std::string& zone);
  void process_taint_based_eviction(const models::Node& node, const std::string& observed_ready,
                                    const std::string& zone);
  void handle_disruption(const std::map<std::string, std::pair<int, int>>& zone_counts,
                         const std::vector<models::ObjectPtr>& nodes);
  void set_zone_rate(Zone& zone, int zone_size, ZoneState state);
  // Adds and removes NoExecute/NoSchedule taints on a node; false when nothing changed.
  bool change_taints(const std::string& node, const TaintChange& change, const std::string& why);
  void mark_pods_not_ready(const std::string& node, const std::vector<models::ObjectPtr>& pods);

  const node::Leases& leases_;
  EvictionRates rates_;
  std::map<std::string, Tracked> health_;  // every node a pass has seen, by name
  std::map<std::string, Zone> zones_;
  double taint_pass_at_ = -std::numeric_limits<double>::infinity();  // none scheduled
  bool watching_ = false;
};

}  // namespace kvsim::sim::controllers::nodelifecycle
