#pragma once
// The VMI's LiveMigratable and StorageLiveMigratable conditions and its migration method
// (FIDELITY.md §7; KubeVirt v1.5 virt-handler vm.go calculateLiveMigrationCondition,
// calculateLiveStorageMigrationCondition, checkVolumesForMigration; kvsim computes them in
// virt-controller's VMI sync), pure: the first rule that blocks migration gives the reason and
// message; otherwise True. Rules are checked in upstream's order: disks, then interfaces.
// Extend here (one function per rule).
#include <functional>
#include <optional>
#include <string>

#include "models/kubevirt.hpp"

namespace kvsim::sim::kubevirt {

// Whether a claim is shared (its access modes include ReadWriteMany); nullopt when the
// claim is not known (not found yet: it does not block).
using ClaimShared = std::function<std::optional<bool>(const std::string& claim)>;

models::Condition live_migratable_condition(const models::VirtualMachineInstance& vmi, const ClaimShared& shared);

// StorageLiveMigratable (virt-handler calculateLiveStorageMigrationCondition): the same rules
// without the disks', False with reason NotMigratable and "Reason: message" of each that blocks.
models::Condition storage_live_migratable_condition(const models::VirtualMachineInstance& vmi);

// status.migrationMethod: BlockMigration when a volume is not on shared storage (a claim not
// known to be shared counts as not shared, as a missing volume status does upstream), else LiveMigration.
std::string migration_method(const models::VirtualMachineInstance& vmi, const ClaimShared& shared);

// A claim's access modes -> shared (spec, else status, as upstream's IsPVCShared reads them).
bool access_modes_shared(const std::vector<std::string>& modes);

}  // namespace kvsim::sim::kubevirt
