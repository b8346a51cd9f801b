#pragma once
// virt-controller: the VM reconciler (run strategy -> VMI) and the VMI
// reconciler (VMI -> launcher pod -> phase), behind one client rate limiter.
#include <map>
#include <set>

#include "models/kubevirt.hpp"
#include "models/pod.hpp"
#include "sim/controllers/component.hpp"
#include "sim/kubevirt/rate_limiter.hpp"

namespace kvsim::sim::kubevirt {

class VirtControllerLeader;

class VirtController : public controllers::Component {
 public:
  VirtController(controllers::Context& ctx, std::string host);
  void start() override;
  // Reconciles only while `leader` says a virt-controller pod holds the lease.
  void follow(const VirtControllerLeader& leader) { leader_ = &leader; }
  // Every VM and VMI, as a new leader's informers list them.
  void resync();

 private:
  void reconcile(const std::string& key) override;
  void sync_vm(const std::string& ns, const std::string& name);
  void sync_vmi(const std::string& ns, const std::string& name);
  // Stores the ControllerRevisions of the VM's instance type and preference and
  // writes its status refs; the VM as now stored, or null when the sync stops
  // here (an error, reported by an event, or a wait for the rate limiter).
  std::shared_ptr<const models::VirtualMachine> sync_instancetype_revisions(const models::VirtualMachine& vm);
  // createVMRevision: the start revision of the VM's generation; false when the sync stops here.
  bool store_start_revision(const models::VirtualMachine& vm);
  // The launcher pod's readiness gate and generated annotations. False when the write had to
  // wait for the rate limiter (the sync resumes later).
  bool sync_launcher_pod(const models::VirtualMachineInstance& vmi, const models::Pod& pod);
  // Takes the rate limiter's tokens for `writes` requests and charges the worker their round
  // trips, each through `webhooks` admission webhooks. False when the limiter makes them wait:
  // the worker blocks, then runs the key again.
  bool budget(int writes, int webhooks = 0);

  RateLimiter limiter_;
  std::set<std::string> expected_vmis_;  // VM keys whose VMI creation is not yet observed
  std::set<std::string> vms_waiting_on_data_source_;  // VM keys whose dataVolumeTemplates name a missing DataSource
  std::map<std::string, int> pod_create_failures_;  // VMI keys: launcher pod creates refused in a row
  std::map<std::string, int> revision_failures_;     // VM keys: instance type revision syncs failed in a row
  bool watching_ = false;
  const VirtControllerLeader* leader_ = nullptr;
};

}  // namespace kvsim::sim::kubevirt
