#include "sim/kubevirt/live_migratable.hpp"

#include <algorithm>

namespace kvsim::sim::kubevirt {
namespace {

// checkVolumesForMigration: every PVC or DataVolume must be shared (RWX).
std::optional<std::string> disks_block(const models::VirtualMachineInstance& vmi, const ClaimShared& shared) {
  for (const auto& v : vmi.spec.volumes) {
    std::string claim;
    if (v.persistentVolumeClaim) claim = v.persistentVolumeClaim->claimName;
    else if (v.dataVolume) claim = v.dataVolume->name;  // the DataVolume's PVC has its name
    if (claim.empty()) continue;
    if (auto s = shared(claim); s && !*s)
      return "cannot migrate VMI: PVC " + claim +
             " is not shared, live migration requires that all PVCs must be shared (using ReadWriteMany access mode)";
  }
  return std::nullopt;
}

// checkNetworkInterfacesForMigration: a bridge binding on the pod network cannot move its IP.
std::optional<std::string> interfaces_block(const models::VirtualMachineInstance& vmi) {
  for (const auto& n : vmi.spec.networks) {
    if (!n.pod) continue;
    for (const auto& itf : vmi.spec.domain.devices.interfaces)
      if (itf.name == n.name && itf.bridge &&
          !vmi.metadata.annotations.contains("kubevirt.io/allow-pod-bridge-network-live-migration"))
        return std::string(
            "cannot migrate VMI which does not use masquerade, bridge with "
            "kubevirt.io/allow-pod-bridge-network-live-migration VM annotation or a migratable plugin to connect to "
            "the pod network");
  }
  return std::nullopt;
}

}  // namespace

bool access_modes_shared(const std::vector<std::string>& modes) {
  return std::find(modes.begin(), modes.end(), "ReadWriteMany") != modes.end();
}

models::Condition live_migratable_condition(const models::VirtualMachineInstance& vmi, const ClaimShared& shared) {
  if (auto why = disks_block(vmi, shared)) return {"LiveMigratable", "False", "DisksNotLiveMigratable", *why};
  if (auto why = interfaces_block(vmi)) return {"LiveMigratable", "False", "InterfaceNotLiveMigratable", *why};
  return {"LiveMigratable", "True", "", ""};
}

}  // namespace kvsim::sim::kubevirt
