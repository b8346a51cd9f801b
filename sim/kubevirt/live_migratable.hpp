#pragma once
// The VMI's LiveMigratable condition (FIDELITY.md §7; upstream virt-controller
// calculateLiveMigrationCondition), pure: the first rule that blocks migration
// gives the reason and message; otherwise True. Rules are checked in upstream's
// order: disks, then interfaces. Extend here (one function per rule).
#include <functional>
#include <optional>
#include <string>

#include "models/kubevirt.hpp"

namespace kvsim::sim::kubevirt {

// Whether a claim is shared (its access modes include ReadWriteMany); nullopt when the
// claim is not known (not found yet: it does not block).
using ClaimShared = std::function<std::optional<bool>(const std::string& claim)>;

models::Condition live_migratable_condition(const models::VirtualMachineInstance& vmi, const ClaimShared& shared);

// A claim's access modes -> shared (spec, else status, as upstream's IsPVCShared reads them).
bool access_modes_shared(const std::vector<std::string>& modes);

}  // namespace kvsim::sim::kubevirt
