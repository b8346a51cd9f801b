#pragma once
// virt-api's admission webhooks, the part that reads the cluster's KubeVirt
// configuration (the rest is pure and lives in models/kubevirt.cpp):
//  - the mutator gives a VMI (and a VM's template) with no spec.architecture
//    the configured default architecture;
//  - the validator refuses hostDisk volumes unless the HostDisk feature gate is
//    on, and hook sidecars (annotation hooks.kubevirt.io/hookSidecars) unless
//    the Sidecar gate is on, with upstream's field paths and messages.
#include "models/codec/decoder.hpp"
#include "models/meta.hpp"
#include "sim/kubevirt/kubevirt_config.hpp"

namespace kvsim::sim::kubevirt {

inline constexpr const char* kHookSidecarsAnnotation = "hooks.kubevirt.io/hookSidecars";

// Defaults and checks a VirtualMachineInstance or VirtualMachine being written;
// problems go to ctx (the write is then refused as Invalid). Other kinds pass.
void admit_kubevirt(const KubeVirtConfig& config, models::Object& obj, models::DecodeContext& ctx);

}  // namespace kvsim::sim::kubevirt
