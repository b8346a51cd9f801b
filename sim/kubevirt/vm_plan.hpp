#pragma once
// virt-controller's VM reconciler decisions, pure (FIDELITY.md §1): what the
// run strategy asks of the VMI, the printableStatus, and the virtctl
// start/stop/restart table with its 409 refusals.
#include <optional>
#include <string>

#include "models/kubevirt.hpp"

namespace kvsim::sim::kubevirt {

struct VmPlan {
  bool create_vmi = false;
  bool delete_vmi = false;
  std::string why;  // the decision in words, for the trace
  bool consume_requests = false;  // state change requests handled
};

// `vmi` is the VMI of the same name when it exists (and is controlled by the VM).
VmPlan plan_vm(const models::VirtualMachine& vm, const models::VirtualMachineInstance* vmi);

// The printableStatus, first match wins, in upstream's order.
std::string printable_status(const models::VirtualMachine& vm, const models::VirtualMachineInstance* vmi,
                             bool create_expected);

struct VirtctlResult {
  std::string error;  // non-empty: 409 Conflict with this message
  std::optional<std::string> new_run_strategy;
  std::vector<models::StateChangeRequest> requests;  // replaces status.stateChangeRequests
};
// action: start, stop, restart.
VirtctlResult virtctl(const std::string& action, const models::VirtualMachine& vm,
                      const models::VirtualMachineInstance* vmi);

}  // namespace kvsim::sim::kubevirt
