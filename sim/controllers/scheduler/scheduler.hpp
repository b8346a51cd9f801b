#pragma once
// kube-scheduler's driver: keeps per-node accounting from watches (so a
// decision never lists every pod), schedules pending pods one cycle at a time,
// binds, or preempts lower-priority pods (DefaultPreemption), records
// FailedScheduling and retries when the cluster changes.
#include <map>
#include <set>

#include "sim/controllers/component.hpp"
#include "sim/controllers/scheduler/plan.hpp"
#include "sim/controllers/scheduler/preemption.hpp"

namespace kvsim::sim::controllers::scheduler {

class Scheduler : public Component {
 public:
  Scheduler(Context& ctx, std::string host);
  void start() override;

 private:
  void on_pod(const api::WatchEvent& e);
  void on_node(const api::WatchEvent& e);
  void reconcile(const std::string& key) override;
  void account(const models::Pod* before, const models::Pod* after);
  void add_usage(const std::string& node, const models::PodSpec& spec, int sign);
  void rebuild_node_cache();
  void retry_unschedulable();
  void preempt_victim(const std::string& victim, const models::Pod& preemptor, const std::string& node);
  void track_nomination(const std::string& key, const models::Pod* now);
  void clear_lower_nominations(const models::Pod& preemptor, const std::string& node);

  struct Usage {
    models::ResourceList requested, nonzero_requested;
    std::int64_t pods = 0;
  };
  std::map<std::string, Usage> usage_;                  // node -> what its pods request
  PodsByNode bound_;                                    // node -> its pods, as preemption weighs them
  PodsByNode nominated_;                                // node -> unbound pods nominated to it (upstream's nominator)
  std::map<std::string, std::string> nomination_of_;    // pod key -> the node it is in nominated_ under
  std::map<std::string, models::ObjectPtr> node_objects_;  // the scheduler's node cache, from watches
  std::vector<NodeState> nodes_;                        // the same in name order, with usage, for schedule()
  std::map<std::string, std::size_t> node_slot_;        // node -> index in nodes_
  std::size_t next_start_ = 0;
  std::set<std::string> unschedulable_;       // pod keys waiting for a change
  bool watching_ = false;
};

}  // namespace kvsim::sim::controllers::scheduler
