#pragma once
// virt-api's admission webhooks, the part that reads the cluster's KubeVirt
// configuration (the rest is pure and lives in models/kubevirt.cpp):
//  - the mutators give a VMI (and a VM's template) with no spec.architecture
//    the configured default architecture;
//  - the validators deny hostDisk volumes unless the HostDisk feature gate is
//    on, and hook sidecars (annotation hooks.kubevirt.io/hookSidecars) unless
//    the Sidecar gate is on, with upstream's webhook names, field paths and messages.
#include <optional>

#include "sim/api/store.hpp"
#include "sim/kubevirt/kubevirt_config.hpp"

namespace kvsim::sim::kubevirt {

inline constexpr const char* kHookSidecarsAnnotation = "hooks.kubevirt.io/hookSidecars";

// Mutates, then validates, a VirtualMachineInstance (on create) or a
// VirtualMachine (create or update; `old` is set on update). Returns the
// validating webhook's denial, if any. Other kinds pass untouched.
std::optional<api::Store::WebhookDenial> admit_kubevirt(const KubeVirtConfig& config, const models::Object* old,
                                                        models::Object& obj);

}  // namespace kvsim::sim::kubevirt
