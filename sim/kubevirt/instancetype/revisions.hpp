#pragma once
// The ControllerRevisions virt-controller keeps for a VM, as KubeVirt v1.5.0 does:
//  - instance type and preference (pkg/instancetype/revision/store.go, the
//    default referencePolicy Reference): on the VM's first sync a copy of each
//    object it names, "<vm>-<object>-<version>-<object uid>-<object generation>",
//    owned by the VM and referenced from status.instancetypeRef/preferenceRef
//    .controllerRevisionRef; later edits of the object do not reach the VM;
//  - the start revision (pkg/virt-controller/watch/vm/vm.go createVMRevision):
//    "revision-start-vm-<vm uid>-<vm generation>", the VM spec a VMI starts from
//    (with the matchers' revisionName filled in), named by the VMI's
//    status.virtualMachineRevisionName; one per VM, an older one replaced.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/controller_revision.hpp"
#include "models/kubevirt.hpp"
#include "sim/api/store.hpp"

namespace kvsim::sim::kubevirt::instancetype {

struct RevisionSync {
  // The status refs the VM should have (unchanged when nothing is to do).
  models::Boxed<models::InstancetypeStatusRef> instancetype_ref, preference_ref;
  std::vector<std::shared_ptr<models::ControllerRevision>> to_create;
  std::string error;  // upstream's error, for the FailedCreate event
  bool status_changed = false;
};

// What the VM's sync must create and write (revisionHandler.Store).
RevisionSync plan_revisions(const api::Store& store, const models::VirtualMachine& vm);

// A copy of `source` (an instance type or preference) as upstream stores it.
std::shared_ptr<models::ControllerRevision> revision_of(const models::VirtualMachine& vm,
                                                        const models::Object& source);

// The start revision's name and object.
std::string start_revision_name(const models::VirtualMachine& vm);
std::shared_ptr<models::ControllerRevision> start_revision(const models::VirtualMachine& vm);
// deleteOlderVMRevision: the VM's start revisions of other generations (to
// delete), and whether this generation's is already stored.
struct StartRevisions {
  std::vector<std::string> stale;
  bool current_exists = false;
};
StartRevisions start_revisions_of(const api::Store& store, const models::VirtualMachine& vm);

// Applies the VM's pinned instance type and preference to the VMI it starts:
// the default disk and interface first (as upstream's setupVMIFromVM does, so
// that the preferred bus and model reach them). Returns upstream's error text,
// "" when applied (or nothing to apply).
std::string expand_vmi(const api::Store& store, const models::VirtualMachine& vm, models::VirtualMachineInstance& vmi);

}  // namespace kvsim::sim::kubevirt::instancetype
