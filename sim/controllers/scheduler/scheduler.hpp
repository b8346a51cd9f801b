#pragma once
// kube-scheduler's driver: keeps per-node accounting from watches (so a
// decision never lists every pod), schedules pending pods one cycle at a time,
// binds, or records FailedScheduling and retries when the cluster changes.
#include <map>
#include <set>

#include "sim/controllers/component.hpp"
#include "sim/controllers/scheduler/plan.hpp"

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
  void retry_unschedulable();

  struct Usage {
    models::ResourceList requested;
    std::int64_t pods = 0;
  };
  std::map<std::string, Usage> usage_;        // node -> requested
  std::set<std::string> unschedulable_;       // pod keys waiting for a change
  bool watching_ = false;
};

}  // namespace kvsim::sim::controllers::scheduler
