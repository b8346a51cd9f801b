#include "sim/kubevirt/eviction_admitter.hpp"

#include <fmt/format.h>

namespace kvsim::sim::kubevirt {

std::string effective_eviction_strategy(const models::VirtualMachineInstance& vmi, const std::string& cluster_default) {
  const std::string s = vmi.spec.evictionStrategy.value_or(cluster_default);
  return s == "None" ? std::string() : s;
}

bool live_migratable(const models::VirtualMachineInstance& vmi) {
  const auto* c = models::find_condition(vmi.status.conditions, "LiveMigratable");
  return c && c->status == "True";
}

EvictionAdmission admit_launcher_eviction(const models::VirtualMachineInstance& vmi, const std::string& pod_node,
                                          const std::string& cluster_default) {
  const auto strategy = effective_eviction_strategy(vmi, cluster_default);
  bool mark = false;
  if (strategy == "LiveMigrate") {
    if (!live_migratable(vmi))
      return {EvictionAdmission::Deny,
              fmt::format("VMI {} is configured with an eviction strategy but is not live-migratable", vmi.metadata.name)};
    mark = true;
  } else if (strategy == "LiveMigrateIfPossible") {
    mark = live_migratable(vmi);
  } else if (strategy == "External") {
    mark = true;
  }
  // A VMI already marked, or whose pod is not the one on its node (a migration
  // target), passes the webhook: its PDB still keeps the pod.
  if (mark && vmi.status.nodeName == pod_node) return {EvictionAdmission::MarkAndKeep, {}};
  return {};
}

api::EvictionWebhook virt_api_eviction_webhook(api::Store& store, const engine::TimingProfile& profile) {
  return [&store, &profile](const models::Pod& pod) -> std::optional<api::EvictionResult> {
    auto label = pod.metadata.labels.find("kubevirt.io");
    if (label == pod.metadata.labels.end() || label->second != "virt-launcher") return std::nullopt;
    auto domain = pod.metadata.annotations.find("kubevirt.io/domain");
    if (domain == pod.metadata.annotations.end()) return std::nullopt;
    auto vmi = store.get<models::VirtualMachineInstance>(pod.metadata.namespace_, domain->second);
    if (!vmi)
      return api::EvictionResult{
          429, fmt::format("admission webhook \"{}\" denied the request: kubevirt failed getting the vmi: "
                           "virtualmachineinstances.kubevirt.io \"{}\" not found",
                           kEvictionWebhookName, domain->second)};
    const auto a = admit_launcher_eviction(*vmi, pod.spec.nodeName, profile.cluster_eviction_strategy);
    if (a.verdict == EvictionAdmission::Deny)
      return api::EvictionResult{429, fmt::format("admission webhook \"{}\" denied the request: {}", kEvictionWebhookName, a.message)};
    if (a.verdict == EvictionAdmission::Allow) return std::nullopt;
    if (vmi->status.evacuationNodeName.empty()) {
      auto next = std::static_pointer_cast<models::VirtualMachineInstance>(vmi->clone());
      next->status.evacuationNodeName = vmi->status.nodeName;
      next->metadata.resourceVersion.clear();
      store.update(next, api::Cause{"virt-api", "status.evacuationNodeName " + vmi->status.nodeName,
                                    "eviction of its launcher pod (evictionStrategy " +
                                        effective_eviction_strategy(*vmi, profile.cluster_eviction_strategy) + ")"});
    }
    // What the kubevirt-disruption-budget PDB answers for the kept pod.
    return api::EvictionResult{429, api::kBudgetViolation};
  };
}

}  // namespace kvsim::sim::kubevirt
