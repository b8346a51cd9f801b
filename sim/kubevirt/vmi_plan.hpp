#pragma once
// virt-controller's VMI reconciler decisions, pure (FIDELITY.md §2): the
// phase from the launcher pod's state, and the pod to create or delete.
#include <string>

#include "models/kubevirt.hpp"

namespace kvsim::sim::kubevirt {

inline constexpr const char* kVmiFinalizer = "kubevirt.io/foregroundDeleteVirtualMachine";
inline constexpr const char* kVmFinalizer = "kubevirt.io/virtualMachineControllerFinalize";

struct VmiPlan {
  bool create_pod = false;
  bool delete_pod = false;
  bool remove_finalizer = false;
  std::string phase;  // the phase to write, "" = unchanged
  std::string node;   // status.nodeName to write on Scheduled
  std::string why;
};

// `pod` is the VMI's launcher pod when one exists.
VmiPlan plan_vmi(const models::VirtualMachineInstance& vmi, const models::Pod* pod);

}  // namespace kvsim::sim::kubevirt
