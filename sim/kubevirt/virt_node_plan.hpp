#pragma once
// virt-controller's node controller decisions, pure (FIDELITY.md §4;
// pkg/virt-controller/watch/node): a node whose virt-handler heartbeat
// (annotation kubevirt.io/heartbeat) is older than the timeout, or a node
// that is gone, is unresponsive. An unresponsive node still labelled
// kubevirt.io/schedulable=true is labelled false; its active VMIs whose
// launcher pod is not alive are marked Failed (reason NodeUnresponsive).
// A launcher pod that is merely Terminating (its kubelet unreachable) is
// alive: those VMIs stay Running until the pod object is gone.
#include <set>
#include <string>
#include <vector>

#include "models/kubevirt.hpp"
#include "models/core.hpp"
#include "models/pod.hpp"

namespace kvsim::sim::kubevirt {

inline constexpr const char* kSchedulableLabel = "kubevirt.io/schedulable";
inline constexpr const char* kHeartbeatAnnotation = "kubevirt.io/heartbeat";
inline constexpr const char* kNodeUnresponsive = "NodeUnresponsive";

struct VirtNodePlan {
  bool unresponsive = false;
  bool mark_unschedulable = false;
  std::vector<std::string> fail_vmis;  // "ns/name" of VMIs to mark Failed
  bool recheck = false;                // look again after the recheck interval (the node exists)
};

// Alive, as alivePodsOnNode has it: controlled by a VMI, not Failed or
// Succeeded, and not every container terminated.
bool launcher_alive(const models::Pod& pod);

// `node` null: the Node is gone. `vmis`: the VMIs whose status.nodeName is
// the node; `alive_owner_uids`: the VMI uids owning an alive launcher pod there.
VirtNodePlan plan_virt_node(const models::Node* node, const std::vector<const models::VirtualMachineInstance*>& vmis,
                            const std::set<std::string>& alive_owner_uids, double now, double heartbeat_timeout);

// createEventIfNodeHasOrphanedVMIs: an unresponsive node that still exists, with active
// (not final) VMIs but no virt-handler pod, while the virt-handler DaemonSet has what it wants
// scheduled (so none is coming), earns a Warning on the node.
bool orphaned_vmis_on_node(const VirtNodePlan& plan, const models::Node* node,
                           const std::vector<const models::VirtualMachineInstance*>& vmis, bool handler_pod_on_node,
                           bool handler_daemonset_settled);
inline constexpr const char* kOrphanedVmisMessage =
    "virt-handler is not present, there are orphaned vmis on this node. Run virt-handler on this node to migrate or "
    "remove them.";

}  // namespace kvsim::sim::kubevirt
