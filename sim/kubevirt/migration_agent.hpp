#pragma once
// virt-handler's part of a live migration (pkg/virt-handler/vm.go with
// virt-launcher's live-migration-source/target), one per node, on the node's
// virt-handler reactor:
//  - target: when the VMI's migrationState names this node, prepare the
//    incoming domain (paused, listening) and publish targetNodeAddress
//    (-> TargetReady); once the source reports completion, resume the domain
//    here and point the VMI at this node (nodeName, label, interfaces);
//  - source: once the target is ready, start the pre-copy (startTimestamp, mode
//    PreCopy; -> Running): rounds of real SimGrid transfers to the target host
//    (memory, then the pages dirtied meanwhile, then the stop-and-copy rest),
//    under the completion and progress timeouts; an abort request cancels it; a
//    target host going down fails it. It reports completed or failed.
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "models/kubevirt.hpp"
#include "sim/controllers/component.hpp"
#include "sim/engine/watched_transfer.hpp"
#include "sim/hypervisor/hypervisor.hpp"
#include "sim/kubevirt/migration_plan.hpp"

namespace kvsim::sim::kubevirt {

// The node's container runtime hears the pod's processes exit (virt-launcher, then the
// containerDisk containers that wait for it): the kubelet reports the pod Succeeded.
using LauncherExited = std::function<void(const std::string& ns, const std::string& pod)>;

class MigrationAgent {
 public:
  MigrationAgent(controllers::Context& ctx, engine::Reactor& reactor, hypervisor::Hypervisor& hv, std::string node,
                 std::string component);
  // The VMI runs on this node and has a migrationState.
  void source(const models::VirtualMachineInstance& vmi);
  // The VMI is labelled as migrating to this node.
  void target(const models::VirtualMachineInstance& vmi);
  // The host went down: transfers in flight went with it.
  void lost();
  void on_launcher_exit(LauncherExited f) { launcher_exited_ = std::move(f); }

  static std::string domain_name(const models::VirtualMachineInstance& vmi) {
    return vmi.metadata.namespace_ + "_" + vmi.metadata.name;
  }

 private:
  struct Outbound {
    std::string vmi_key, target_node;
    PrecopyParams params;
    double started = 0;
    double round_bytes = 0;      // what the round being sent carries
    double best_remaining = 0;   // the lowest remaining data seen at a round's end
    double last_progress = 0;
    bool progressing = true;     // the round being sent is a new low (or the first pass)
    bool stop_copy = false;      // the round being sent is the last one
    std::uint64_t round = 0;     // invalidates timers of earlier rounds
    std::string abort_reason;    // why it was cancelled (timeout or abort request)
    std::shared_ptr<engine::TransferControl> control;
  };
  void start_outbound(const models::VirtualMachineInstance& vmi);
  void send_round(const std::string& uid, double bytes);
  void round_done(const std::string& uid, const engine::TransferOutcome& outcome);
  void check_timeouts(const std::string& uid, std::uint64_t round);
  void finish(const std::string& uid, bool ok, const std::string& reason);
  void prepare_target(const std::string& key, const std::string& uid);
  void claim(const models::VirtualMachineInstance& vmi);
  bool update_vmi(std::shared_ptr<models::VirtualMachineInstance> next, const std::string& change,
                  const std::string& why);

  controllers::Context& ctx_;
  engine::Reactor& reactor_;
  hypervisor::Hypervisor& hv_;
  std::string node_, component_;
  std::map<std::string, Outbound> outbound_;  // by migration UID
  std::set<std::string> preparing_;           // migration UIDs whose target is being prepared here
  LauncherExited launcher_exited_;
};

}  // namespace kvsim::sim::kubevirt
