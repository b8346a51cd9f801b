#pragma once
// virt-api's admission of a VM with spec.instancetype / spec.preference, as
// KubeVirt v1.5.0 does it:
//  - the mutator (virtualmachines-mutator.kubevirt.io, pkg/instancetype/webhooks/vm/mutator.go)
//    resolves inferFromVolume into a name and kind from the volume's labels
//    (infer.go: PVC, DataVolume, dataVolumeTemplates, and a DataSource when the
//    kind is served);
//  - the validator (virtualmachine-validator.kubevirt.io, admitter.go and
//    vms-admitter.go) refuses a missing instance type or preference, a spread
//    topology the vCPUs do not divide into, VM fields the instance type also
//    sets, and preference requirements the resources do not meet.
#include "sim/api/store.hpp"

namespace kvsim::sim::kubevirt::instancetype {

// Runs on VirtualMachine creates and spec updates; other kinds pass untouched.
std::optional<api::Store::WebhookDenial> admit_vm(const api::Store& store, const models::Object* old,
                                                  models::Object& obj);

}  // namespace kvsim::sim::kubevirt::instancetype
