#pragma once
// The virt-launcher pod virt-controller creates for a VMI (FIDELITY.md §3).
#include <memory>

#include <vector>

#include "models/kubevirt.hpp"
#include "sim/kubevirt/network/multus.hpp"

namespace kvsim::sim::kubevirt {

// The launcher pod's readiness gate: True while the VMI is not paused (VirtualMachineUnpaused).
inline constexpr const char* kUnpausedCondition = "kubevirt.io/virtual-machine-unpaused";

inline constexpr const char* kLauncherImage = "registry.redhat.io/container-native-virtualization/virt-launcher-rhel9:v4.19";

// `multus`: the VMI's resolved secondary networks (the networks annotation,
// one device-plugin resource per network that names one, e.g. an SR-IOV VF).
std::shared_ptr<models::Pod> launcher_pod(const models::VirtualMachineInstance& vmi,
                                          const std::vector<network::MultusAttachment>& multus = {});

}  // namespace kvsim::sim::kubevirt
