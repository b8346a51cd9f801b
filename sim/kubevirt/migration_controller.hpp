#pragma once
// virt-controller's migration controller (pkg/virt-controller/watch/migration):
// drives each VirtualMachineInstanceMigration through plan_migration. It creates
// the target virt-launcher pod (kept off the source node) when the limits
// allow, hands the scheduled target to virt-handler through the VMI's
// status.migrationState, follows what the source and target virt-handlers
// report, aborts a migration whose VMIM is deleted, removes the source pod
// after success and the target pod after failure, and releases the VMIM's
// finalizer. Leader-gated like the other virt-controller loops.
#include <string>
#include <vector>

#include "sim/controllers/component.hpp"
#include "sim/kubevirt/migration_index.hpp"

namespace kvsim::sim::kubevirt {

class VirtControllerLeader;

class MigrationController : public controllers::Component {
 public:
  MigrationController(controllers::Context& ctx, std::string host, const VirtControllerLeader& leader);
  void start() override;
  void resync();

 private:
  void reconcile(const std::string& key) override;
  void enqueue_for_vmi(const std::string& ns, const std::string& vmi);
  void enqueue_pending();
  // The source nodes of the migrations holding a slot.
  std::vector<std::string> in_flight_sources() const;

  const VirtControllerLeader& leader_;
  MigrationIndex index_;  // in-flight and pending migrations: no reconcile lists them all
  bool watching_ = false;
};

}  // namespace kvsim::sim::kubevirt
