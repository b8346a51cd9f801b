#pragma once
// The ReplicaSet controller's driver: watches ReplicaSets and pods, claims
// (adopts and releases) pods by selector, creates pods `<rs>-<5 chars>` from the
// template, deletes extras in upstream's order, and writes the status.
#include <map>

#include "models/apps.hpp"
#include "sim/controllers/component.hpp"
#include "sim/controllers/replicaset/expectations.hpp"

namespace kvsim::sim::controllers::replicaset {

class ReplicaSetController : public Component {
 public:
  ReplicaSetController(Context& ctx, std::string host);
  void start() override;

 private:
  void reconcile(const std::string& key) override;
  void on_pod(const api::WatchEvent& e);
  // Every ReplicaSet of the pod's namespace whose selector matches it (an orphan looking for a parent).
  void enqueue_matching(const models::Pod& pod);
  // Reconcile `key` again `delay` seconds from now (minReadySeconds), without
  // holding back the immediate reconciles that watch events ask for.
  std::vector<const models::Pod*> related_pods(const models::ReplicaSet& rs,
                                               std::vector<models::ObjectPtr>& keep_alive) const;

  Expectations expectations_;          // by ReplicaSet UID
  bool watching_ = false;
};

}  // namespace kvsim::sim::controllers::replicaset
