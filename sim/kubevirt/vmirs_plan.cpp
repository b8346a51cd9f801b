#include "sim/kubevirt/vmirs_plan.hpp"

#include <algorithm>

namespace kvsim::sim::kubevirt {

std::string vmirs_base_name(const models::VirtualMachineInstanceReplicaSet& rs) {
  if (!rs.spec.template_.metadata.name.empty()) return rs.spec.template_.metadata.name;
  if (!rs.spec.template_.metadata.generateName.empty()) return rs.spec.template_.metadata.generateName;
  return rs.metadata.name;
}

VmirsPlan plan_vmirs(const models::VirtualMachineInstanceReplicaSet& rs,
                     const std::vector<const models::VirtualMachineInstance*>& vmis) {
  VmirsPlan p;
  // An invalid spec is not acted on (upstream logs it and does not requeue).
  if (!rs.spec.selector || rs.spec.template_.metadata.labels.empty() ||
      !rs.spec.selector->matches(rs.spec.template_.metadata.labels)) {
    p.why = "selector does not match the template's labels";
    return p;
  }
  std::vector<const models::VirtualMachineInstance*> active;
  for (const auto* vmi : vmis) {
    const auto* ref = vmi->metadata.controller_ref();
    const bool ours = ref && ref->uid == rs.metadata.uid;
    if (!ours) {
      if (ref || vmi->metadata.being_deleted() || !rs.spec.selector->matches(vmi->metadata.labels)) continue;
      p.adopt.push_back(vmi->metadata.name);
    }
    if (vmi->metadata.being_deleted()) continue;
    if (vmi->is_final()) {
      p.finished.push_back(vmi->metadata.name);
      continue;
    }
    active.push_back(vmi);
    const auto* ready = models::find_condition(vmi->status.conditions, "Ready");
    if (ready && ready->status == "True") ++p.ready;
  }
  p.replicas = static_cast<std::int32_t>(active.size());
  if (rs.spec.paused.value_or(false) || rs.metadata.being_deleted()) {
    p.finished.clear();
    p.why = rs.metadata.being_deleted() ? "replica set is being deleted" : "replica set is paused";
    return p;
  }
  const int wanted = rs.spec.replicas.value_or(1);
  const int diff = static_cast<int>(active.size()) - wanted;
  constexpr int kBurstReplicas = 250;  // virt-controller's --replicaset-burst default
  if (diff < 0) {
    p.create = std::min(-diff, kBurstReplicas);
    p.why = "replicas " + std::to_string(wanted) + ", active " + std::to_string(active.size());
  } else if (diff > 0) {
    for (int i = 0; i < std::min(diff, kBurstReplicas); ++i) p.scale_down.push_back(active[i]->metadata.name);
    p.why = "replicas " + std::to_string(wanted) + ", active " + std::to_string(active.size());
  } else if (!p.finished.empty()) {
    p.why = "finished VMIs are replaced";
  }
  return p;
}

}  // namespace kvsim::sim::kubevirt
