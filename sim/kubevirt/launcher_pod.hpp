#pragma once
// The virt-launcher pod virt-controller creates for a VMI (FIDELITY.md §3).
#include <memory>

#include "models/kubevirt.hpp"

namespace kvsim::sim::kubevirt {

inline constexpr const char* kLauncherImage = "registry.redhat.io/container-native-virtualization/virt-launcher-rhel9:v4.19";

std::shared_ptr<models::Pod> launcher_pod(const models::VirtualMachineInstance& vmi);

}  // namespace kvsim::sim::kubevirt
