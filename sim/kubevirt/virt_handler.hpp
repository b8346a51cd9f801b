#pragma once
// virt-handler on one node: takes over Scheduled VMIs on its node, has the
// VMI's virt-launcher define and start the domain, reports Running from the
// domain's state, shuts the domain down when the VMI is deleted, and keeps
// the node's kubevirt.io/schedulable label and heartbeat fresh.
#include <map>

#include "sim/controllers/component.hpp"
#include "models/kubevirt.hpp"
#include "sim/guest/guest_provisioning.hpp"
#include "sim/hypervisor/hypervisor.hpp"
#include "sim/kubevirt/migration_agent.hpp"

namespace kvsim::sim::kubevirt {

// v1.FuncTestLauncherFailFastAnnotation: the VMI's virt-launcher fails right away.
inline constexpr const char* kLauncherFailFastAnnotation = "kubevirt.io/func-test-launcher-fail-fast";

class VirtHandler : public controllers::Component {
 public:
  // `hypervisor_uri`: "sim", or the libvirt URI whose domains run this node's VMIs (hybrid mode).
  VirtHandler(controllers::Context& ctx, std::string node, const std::string& hypervisor_uri = "sim");
  void start() override;
  void lost();
  hypervisor::Hypervisor& hypervisor() { return *hypervisor_; }
  // Acts on the VMI's domain: `shutdown` and `crash` from inside the guest, `pause` and
  // `unpause` as virtctl asks virt-handler to. Returns "" or why it cannot.
  std::string guest_action(const models::VirtualMachineInstance& vmi, const std::string& action);
  // Who hears a launcher pod's processes exit on this node (its kubelet).
  void on_launcher_exit(LauncherExited f) { migration_->on_launcher_exit(std::move(f)); }
  // What the VMI's guest was handed: the cloud-init data source its launcher built at start
  // and what the launcher wrote through the guest agent since. For a VMI whose domain this
  // virt-handler did not start (it migrated here), built from the VMI and its Secrets now.
  guest::GuestProvisioning guest_provisioning(const models::VirtualMachineInstance& vmi) const;
  // The VMI's domain, as virt-launcher names it: <namespace>_<vmi>.
  static std::string domain_name(const models::VirtualMachineInstance& vmi);

 private:
  void reconcile(const std::string& key) override;
  void on_domain(const hypervisor::DomainEvent& e);
  // One heartbeat, then the next after wait.JitterUntil's delay; `generation` ends the loop
  // of a virt-handler process that stopped.
  void heartbeat(unsigned generation);
  // virt-handler acts only while its pod runs on the node (Running, Ready, not terminating).
  void refresh_active();
  void connect_agent_later(const std::string& vmi_key, const std::string& uid);
  void report_sync_failure(const models::VirtualMachineInstance& vmi, const std::string& launcher_error);
  // virt-launcher's guest-agent credential watcher (access_credentials.go watchSecrets): one
  // check every profile.access_credentials_check while the domain exists.
  void check_access_credentials(const std::string& vmi_key, const std::string& uid);
  void report_access_credentials(const models::VirtualMachineInstance& vmi, bool succeeded, const std::string& message);

  std::string node_;
  std::unique_ptr<hypervisor::Hypervisor> hypervisor_;
  std::map<std::string, std::string> vmi_of_domain_;  // domain -> VMI key
  std::map<std::string, int> sync_failures_;  // VMI keys: launcher syncs refused in a row
  struct Provisioned {
    std::string uid;
    guest::GuestProvisioning provisioning;
  };
  std::map<std::string, Provisioned> provisioned_;  // domain -> what its guest was handed
  struct CredentialWatch {
    std::string uid;
    bool reload = true;             // apply at the next check (a change seen, or a failure to retry)
    std::string seen;               // the Secrets' contents at the last check
    double next_resync = 0;         // the 5-minute forced resync
  };
  std::map<std::string, CredentialWatch> credential_watches_;  // VMI key -> its launcher's watcher
  int watch_id_ = 0;
  int pods_watch_id_ = 0;
  int migration_watch_id_ = 0;  // VMIs migrating to this node (label kubevirt.io/migrationTargetNodeName)
  std::unique_ptr<MigrationAgent> migration_;
  bool active_ = false;
  // Created with the cluster (t = 0): the process was already running before the
  // store's bootstrap recreated its pod; taken as running until that pod runs or goes.
  bool installed_ = false;
  bool started_once_ = false;
  unsigned heartbeat_generation_ = 0;
  std::vector<hypervisor::DomainEvent> deferred_;  // domain events while no virt-handler process ran
};

}  // namespace kvsim::sim::kubevirt
