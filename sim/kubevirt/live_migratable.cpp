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

models::Condition storage_live_migratable_condition(const models::VirtualMachineInstance& vmi) {
  // calculateLiveStorageMigrationCondition: every rule but the disks', each as "Reason: message".
  if (auto why = interfaces_block(vmi))
    return {"StorageLiveMigratable", "False", "NotMigratable", "InterfaceNotLiveMigratable: " + *why};
  return {"StorageLiveMigratable", "True", "", ""};
}

std::string migration_method(const models::VirtualMachineInstance& vmi, const ClaimShared& shared) {
  // checkVolumesForMigration: any disk copied with the guest's memory (a local volume, a
  // non-shared claim or host disk) makes it a block migration; read-only CD-ROMs are skipped.
  for (const auto& v : vmi.spec.volumes) {
    std::string claim;
    if (v.persistentVolumeClaim) claim = v.persistentVolumeClaim->claimName;
    else if (v.dataVolume) claim = v.dataVolume->name;
    if (!claim.empty()) {
      if (auto s = shared(claim); !s || !*s) return "BlockMigration";
      continue;
    }
    if (v.hostDisk) {
      if (!v.hostDisk->shared.value_or(false)) return "BlockMigration";
      continue;
    }
    const auto disk = std::find_if(vmi.spec.domain.devices.disks.begin(), vmi.spec.domain.devices.disks.end(),
                                   [&](const models::Disk& d) { return d.name == v.name; });
    if (disk != vmi.spec.domain.devices.disks.end() && disk->cdrom && disk->cdrom->readonly.value_or(true)) continue;
    return "BlockMigration";
  }
  return "LiveMigration";
}

models::Condition live_migratable_condition(const models::VirtualMachineInstance& vmi, const ClaimShared& shared) {
  if (auto why = disks_block(vmi, shared)) return {"LiveMigratable", "False", "DisksNotLiveMigratable", *why};
  if (auto why = interfaces_block(vmi)) return {"LiveMigratable", "False", "InterfaceNotLiveMigratable", *why};
  return {"LiveMigratable", "True", "", ""};
}

}  // namespace kvsim::sim::kubevirt
