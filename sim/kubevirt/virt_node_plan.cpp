#include "sim/kubevirt/virt_node_plan.hpp"

#include "models/codec/timestamp.hpp"

namespace kvsim::sim::kubevirt {

bool launcher_alive(const models::Pod& pod) {
  const auto* ref = pod.metadata.controller_ref();
  if (!ref || ref->kind != "VirtualMachineInstance") return false;
  if (pod.status.phase == "Failed" || pod.status.phase == "Succeeded") return false;
  if (pod.status.containerStatuses.empty()) return true;
  for (const auto& cs : pod.status.containerStatuses)
    if (!cs.state.terminated) return true;
  return false;
}

VirtNodePlan plan_virt_node(const models::Node* node, const std::vector<const models::VirtualMachineInstance*>& vmis,
                            const std::set<std::string>& alive_owner_uids, double now, double heartbeat_timeout) {
  VirtNodePlan p;
  p.recheck = node != nullptr;
  if (node) {
    // No heartbeat annotation yet (virt-handler never ran there): not unresponsive.
    auto it = node->metadata.annotations.find(kHeartbeatAnnotation);
    if (it == node->metadata.annotations.end()) return p;
    auto beat = models::parse_rfc3339(it->second);
    if (!beat || beat->seconds >= now - heartbeat_timeout) return p;
  }
  p.unresponsive = true;
  if (node) {
    auto label = node->metadata.labels.find(kSchedulableLabel);
    p.mark_unschedulable = label != node->metadata.labels.end() && label->second == "true";
  }
  for (const auto* vmi : vmis) {
    if (vmi->is_final() || alive_owner_uids.contains(vmi->metadata.uid)) continue;
    p.fail_vmis.push_back(vmi->metadata.namespace_ + "/" + vmi->metadata.name);
  }
  return p;
}

bool orphaned_vmis_on_node(const VirtNodePlan& plan, const models::Node* node,
                           const std::vector<const models::VirtualMachineInstance*>& vmis, bool handler_pod_on_node,
                           bool handler_daemonset_settled) {
  if (!plan.unresponsive || !node || handler_pod_on_node || !handler_daemonset_settled) return false;
  for (const auto* vmi : vmis)
    if (!vmi->is_final()) return true;
  return false;
}

}  // namespace kvsim::sim::kubevirt
