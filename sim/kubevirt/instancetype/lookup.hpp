#pragma once
// Finding what a VM's spec.instancetype / spec.preference names, as KubeVirt
// v1.5.0's finders do (pkg/instancetype/find, pkg/instancetype/preference/find):
// the pinned ControllerRevision first (spec.*.revisionName, else
// status.*Ref.controllerRevisionRef), else the object of the matcher's kind
// (the cluster-wide kind when the kind is empty).
#include <optional>
#include <string>

#include "models/instancetype.hpp"
#include "sim/api/store.hpp"

namespace kvsim::sim::kubevirt::instancetype {

// Which of a VM's two matchers.
enum class Matcher { Instancetype, Preference };

// The object a matcher names (not its revision); null with `error` set as the
// client's error reads ("virtualmachineclusterinstancetypes.instancetype.kubevirt.io
// \"x\" not found", or an unexpected kind).
models::ObjectPtr find_object(const api::Store& store, const models::VirtualMachine& vm, Matcher which,
                              std::string& error);

// The spec the VM is expanded with: from its revision when pinned, else from the
// object. nullopt with `error` empty when the VM has no such matcher.
std::optional<models::InstancetypeSpec> find_instancetype_spec(const api::Store& store,
                                                               const models::VirtualMachine& vm, std::string& error);
std::optional<models::PreferenceSpec> find_preference_spec(const api::Store& store, const models::VirtualMachine& vm,
                                                           std::string& error);

// The spec kept in a ControllerRevision's data (the object as upstream stores it).
models::ObjectPtr object_from_revision_data(const models::Json& data, std::string& error);

}  // namespace kvsim::sim::kubevirt::instancetype
