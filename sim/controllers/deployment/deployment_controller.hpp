#pragma once
// The Deployment controller's driver: watches Deployments, their ReplicaSets
// and (for Recreate) their pods; claims ReplicaSets by selector; applies the
// plan's ReplicaSet writes, events and status; checks the progress deadline.
#include <map>

#include "sim/controllers/component.hpp"

namespace kvsim::sim::controllers::deployment {

class DeploymentController : public Component {
 public:
  DeploymentController(Context& ctx, std::string host);
  void start() override;

 private:
  void reconcile(const std::string& key) override;
  void on_replicaset(const api::WatchEvent& e);
  void on_pod(const api::WatchEvent& e);
  // Reconcile `key` again `delay` seconds from now without holding back
  // the immediate reconciles that watch events ask for.

  bool watching_ = false;
};

}  // namespace kvsim::sim::controllers::deployment
