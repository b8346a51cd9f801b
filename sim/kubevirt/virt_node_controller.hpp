#pragma once
// virt-controller's node controller (pkg/virt-controller/watch/node): looks
// at every node when it or one of its VMIs changes and again every
// virt_node_recheck; applies plan_virt_node (stale heartbeat -> label
// kubevirt.io/schedulable=false; VMIs there without an alive launcher pod ->
// Failed, reason NodeUnresponsive). Part of virt-controller: it acts only
// while virt-controller holds its lease.
#include "sim/controllers/component.hpp"

namespace kvsim::sim::kubevirt {

class VirtControllerLeader;

class VirtNodeController : public controllers::Component {
 public:
  VirtNodeController(controllers::Context& ctx, std::string host, const VirtControllerLeader& leader);
  void start() override;
  // Every node, as a new leader's informers list them.
  void resync();

 private:
  void reconcile(const std::string& node) override;

  const VirtControllerLeader& leader_;
  bool watching_ = false;
};

}  // namespace kvsim::sim::kubevirt
