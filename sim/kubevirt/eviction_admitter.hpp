#pragma once
// virt-api's pods/eviction admission webhook for virt-launcher pods
// (pkg/virt-api/webhooks/validating-webhook/admitters/pod-eviction-admitter.go)
// and the effective evictionStrategy (the VMI's spec.evictionStrategy, else
// the cluster's: KubeVirt CR spec.configuration.evictionStrategy, which HCO sets
// to LiveMigrate):
//   None                  -> the eviction goes through; the VM's runStrategy restarts it.
//   LiveMigrate           -> not migratable: denied (429, the upstream message);
//                            else the VMI is marked (status.evacuationNodeName) and the
//                            launcher pod stays: virt-controller's evacuation controller
//                            migrates it away.
//   LiveMigrateIfPossible -> as LiveMigrate when migratable, else as None.
//   External              -> marked and kept, for an external controller to act on.
// Upstream the marked pod is kept by the kubevirt-disruption-budget PDB that
// virt-controller makes for such VMIs, so the eviction answers 429 with the PDB
// message and kubectl drain retries every 5 s; that PDB is not an object here:
// the webhook answers what it would.
#include <string>

#include "models/kubevirt.hpp"
#include "models/pod.hpp"
#include "sim/api/eviction.hpp"
#include "sim/engine/profile.hpp"

namespace kvsim::sim::kubevirt {

// "" when neither the VMI nor the cluster sets one (or either says None).
std::string effective_eviction_strategy(const models::VirtualMachineInstance& vmi, const std::string& cluster_default);

// IsMigratable: the LiveMigratable condition is True.
bool live_migratable(const models::VirtualMachineInstance& vmi);

struct EvictionAdmission {
  enum Verdict { Allow, Deny, MarkAndKeep } verdict = Allow;
  std::string message;  // Deny: the webhook's message
};

// Pure: what the webhook does for `vmi`'s launcher pod on `pod_node`.
EvictionAdmission admit_launcher_eviction(const models::VirtualMachineInstance& vmi, const std::string& pod_node,
                                          const std::string& cluster_default);

// The webhook as the cluster registers it: reads the VMI, marks it, answers.
api::EvictionWebhook virt_api_eviction_webhook(api::Store& store, const engine::TimingProfile& profile);

inline constexpr const char* kEvictionWebhookName = "virt-launcher-eviction-interceptor.kubevirt.io";

}  // namespace kvsim::sim::kubevirt
