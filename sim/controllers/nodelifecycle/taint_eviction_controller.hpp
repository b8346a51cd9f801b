#pragma once
// kube-controller-manager's taint eviction controller
// (pkg/controller/tainteviction): deletes pods from nodes with NoExecute
// taints they do not tolerate, at once, or tolerationSeconds after it first
// saw the taint. The deletion is an ordinary graceful delete: on a node whose
// kubelet is gone nobody confirms it, and the pod stays Terminating.
#include <map>
#include <set>

#include "sim/controllers/component.hpp"
#include "sim/controllers/nodelifecycle/plan.hpp"

namespace kvsim::sim::controllers::nodelifecycle {

class TaintEvictionController : public Component {
 public:
  TaintEvictionController(Context& ctx, std::string host);
  void start() override;

 private:
  struct Work {
    ScheduledEviction when;
    std::uint64_t generation = 0;  // a fired timer acts only if its work is still current
  };

  void reconcile(const std::string& key) override;
  void node_changed(const std::string& node);
  void process_pod(const models::Pod& pod, const std::vector<models::Taint>& taints, double now);
  void cancel(const std::string& pod_key, bool with_event);
  void fire(const std::string& pod_key, std::uint64_t generation);

  std::map<std::string, std::vector<models::Taint>> tainted_nodes_;  // NoExecute taints by node
  std::map<std::string, Work> work_;                                  // scheduled deletions by pod key
  std::uint64_t next_generation_ = 1;
  bool watching_ = false;
};

}  // namespace kvsim::sim::controllers::nodelifecycle
