#pragma once
// virt-controller's evacuation controller (pkg/virt-controller/watch/drain/evacuation):
// a VMI marked with status.evacuationNodeName (by the eviction webhook, on drain)
// whose evictionStrategy is LiveMigrate or LiveMigrateIfPossible gets a
// VirtualMachineInstanceMigration `kubevirt-evacuation-xxxxx` unless one is
// already under way. External VMIs are left to their external controller.
// The migration controller (migration_controller.hpp) then moves the VMI away.
#include "sim/controllers/component.hpp"

namespace kvsim::sim::kubevirt {

class VirtControllerLeader;

class EvacuationController : public controllers::Component {
 public:
  EvacuationController(controllers::Context& ctx, std::string host, const VirtControllerLeader& leader);
  void start() override;
  void resync();

 private:
  void reconcile(const std::string& key) override;

  const VirtControllerLeader& leader_;
  bool watching_ = false;
};

inline constexpr const char* kEvacuationAnnotation = "kubevirt.io/evacuationMigration";

}  // namespace kvsim::sim::kubevirt
