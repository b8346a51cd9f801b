#pragma once
// kube-controller-manager's pod garbage collector (pkg/controller/podgc).
// Every gcCheckPeriod (20 s) it force-deletes, after marking them Failed:
//  - pods bound to a node that no longer exists, once the node has been
//    missing for the quarantine (40 s) and a fresh read confirms it;
//  - terminating pods on a node that is not Ready and carries the
//    node.kubernetes.io/out-of-service taint (non-graceful node shutdown);
//  - terminating pods that were never scheduled;
//  - the oldest terminated pods beyond --terminated-pod-gc-threshold.
#include <map>
#include <set>

#include "sim/controllers/component.hpp"

namespace kvsim::sim::controllers::podgc {

// The orphan quarantine (a delaying queue of node names): a node first found
// missing at `now` is ready for the check `quarantine` later; re-adding it
// never postpones it. Returns the nodes whose time has come, removing them.
struct OrphanQuarantine {
  std::map<std::string, double> ready_at;
  void add(const std::string& node, double now, double quarantine);
  std::vector<std::string> take_ready(double now);
};

class PodGarbageCollector : public Component {
 public:
  PodGarbageCollector(Context& ctx, std::string host);
  void start() override;

 private:
  void observe(const api::WatchEvent& e);
  void gc();
  void gc_terminated();
  void gc_terminating_out_of_service();
  void gc_orphaned();
  void gc_unscheduled_terminating();
  void mark_failed_and_delete(const models::Pod& pod, const std::optional<models::Condition>& condition,
                              const std::string& why);

  // Kept from the pod watch, so a pass needs no full pod list.
  std::map<std::string, int> pods_per_node_;
  std::set<std::string> unscheduled_terminating_;                  // pod keys
  std::set<std::pair<double, std::string>> terminated_;            // (creation time, pod key)
  std::map<std::string, double> terminated_created_;               // pod key -> creation time
  OrphanQuarantine quarantine_;
  bool watching_ = false;
};

}  // namespace kvsim::sim::controllers::podgc
