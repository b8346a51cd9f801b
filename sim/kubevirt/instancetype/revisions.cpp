#include "sim/kubevirt/instancetype/revisions.hpp"

#include <fmt/format.h>

#include "models/codec/same_encoding.hpp"
#include "sim/kubevirt/instancetype/expansion.hpp"
#include "sim/kubevirt/instancetype/lookup.hpp"

namespace kvsim::sim::kubevirt::instancetype {

namespace {

models::OwnerReference vm_owner(const models::VirtualMachine& vm) {
  return {"kubevirt.io/v1", "VirtualMachine", vm.metadata.name, vm.metadata.uid, true, true};
}

std::string version_of(const std::string& api_version) {
  const auto slash = api_version.find('/');
  return slash == std::string::npos ? api_version : api_version.substr(slash + 1);
}

// syncStatusWithMatcher: the ref follows the matcher; a changed name or kind drops
// the old revision, and a missing one is stored.
models::Boxed<models::InstancetypeStatusRef> sync_ref(const api::Store& store, const models::VirtualMachine& vm,
                                                      Matcher which, RevisionSync& out) {
  const auto& matcher = which == Matcher::Instancetype ? vm.spec.instancetype : vm.spec.preference;
  const auto& current = which == Matcher::Instancetype ? vm.status.instancetypeRef : vm.status.preferenceRef;
  if (!matcher) return current;
  auto ref = current.value_or(models::InstancetypeStatusRef{});
  bool clear = false;
  if (!matcher->name.empty() && matcher->name != ref.name) ref.name = matcher->name, clear = true;
  if (!matcher->kind.empty() && matcher->kind != ref.kind) ref.kind = matcher->kind, clear = true;
  if (!matcher->inferFromVolume.empty() && matcher->inferFromVolume != ref.inferFromVolume)
    ref.inferFromVolume = matcher->inferFromVolume, clear = true;
  if (clear) ref.controllerRevisionRef.reset();
  if (matcher->inferFromVolumeFailurePolicy) ref.inferFromVolumeFailurePolicy = matcher->inferFromVolumeFailurePolicy;
  if (!matcher->revisionName.empty()) ref.controllerRevisionRef = models::ControllerRevisionRef{matcher->revisionName};
  if (!ref.controllerRevisionRef) {
    std::string error;
    auto source = find_object(store, vm, which, error);
    if (!source) {
      out.error = error;
      return current;
    }
    auto revision = revision_of(vm, *source);
    // An existing revision of that name is reused (upstream compares its data).
    if (!store.get(models::ControllerRevision::kind_info(), vm.metadata.namespace_, revision->metadata.name))
      out.to_create.push_back(revision);
    ref.controllerRevisionRef = models::ControllerRevisionRef{revision->metadata.name};
  }
  return ref;
}

}  // namespace

RevisionSync plan_revisions(const api::Store& store, const models::VirtualMachine& vm) {
  RevisionSync out;
  out.instancetype_ref = sync_ref(store, vm, Matcher::Instancetype, out);
  if (out.error.empty()) out.preference_ref = sync_ref(store, vm, Matcher::Preference, out);
  if (!out.error.empty()) {
    out.to_create.clear();
    return out;
  }
  out.status_changed = !models::same_encoding(out.instancetype_ref, vm.status.instancetypeRef) ||
                       !models::same_encoding(out.preference_ref, vm.status.preferenceRef);
  return out;
}

std::shared_ptr<models::ControllerRevision> revision_of(const models::VirtualMachine& vm,
                                                        const models::Object& source) {
  const auto version = version_of(source.apiVersion);
  auto r = std::make_shared<models::ControllerRevision>();
  r->apiVersion = "apps/v1";
  r->kind = "ControllerRevision";
  r->metadata.name = fmt::format("{}-{}-{}-{}-{}", vm.metadata.name, source.metadata.name, version,
                                 source.metadata.uid, source.metadata.generation);
  r->metadata.namespace_ = vm.metadata.namespace_;
  r->metadata.ownerReferences = {vm_owner(vm)};
  r->metadata.labels = {{"instancetype.kubevirt.io/object-generation", std::to_string(source.metadata.generation)},
                        {"instancetype.kubevirt.io/object-kind", source.kind},
                        {"instancetype.kubevirt.io/object-name", source.metadata.name},
                        {"instancetype.kubevirt.io/object-uid", source.metadata.uid},
                        {"instancetype.kubevirt.io/object-version", version}};
  // The object without the metadata upstream strips (labels, annotations,
  // finalizers, owner references, managed fields).
  auto data = source.to_json();
  if (data.contains("metadata"))
    for (const char* k : {"labels", "annotations", "finalizers", "ownerReferences", "managedFields"})
      data["metadata"].erase(k);
  r->data = std::move(data);
  return r;
}

std::string start_revision_name(const models::VirtualMachine& vm) {
  return fmt::format("revision-start-vm-{}-{}", vm.metadata.uid, vm.metadata.generation);
}

std::shared_ptr<models::ControllerRevision> start_revision(const models::VirtualMachine& vm) {
  auto spec = vm.spec;
  // patchVMRevision: the matchers name the revisions the VM is pinned to.
  if (spec.instancetype && vm.status.instancetypeRef && vm.status.instancetypeRef->controllerRevisionRef)
    spec.instancetype->revisionName = vm.status.instancetypeRef->controllerRevisionRef->name;
  if (spec.preference && vm.status.preferenceRef && vm.status.preferenceRef->controllerRevisionRef)
    spec.preference->revisionName = vm.status.preferenceRef->controllerRevisionRef->name;
  auto r = std::make_shared<models::ControllerRevision>();
  r->apiVersion = "apps/v1";
  r->kind = "ControllerRevision";
  r->metadata.name = start_revision_name(vm);
  r->metadata.namespace_ = vm.metadata.namespace_;
  r->metadata.ownerReferences = {vm_owner(vm)};
  r->data = models::Json{{"spec", models::encode_value(spec)}};
  r->revision = vm.metadata.generation;
  return r;
}

StartRevisions start_revisions_of(const api::Store& store, const models::VirtualMachine& vm) {
  StartRevisions out;
  const auto prefix = "revision-start-vm-" + vm.metadata.uid;
  const auto current = start_revision_name(vm);
  for (const auto& o : store.owned_by(vm.metadata.uid)) {
    if (o->kind != "ControllerRevision" || !o->metadata.name.starts_with(prefix)) continue;
    if (o->metadata.name == current) out.current_exists = true;
    else out.stale.push_back(o->metadata.name);
  }
  return out;
}

namespace {

// util.SetDefaultVolumeDisk and vmispec.SetDefaultNetworkInterface, which upstream
// runs before the preference: a disk per volume, and the pod network's
// masquerade interface, with no bus or model yet.
void default_devices(models::VMISpec& spec) {
  auto& devices = spec.domain.devices;
  for (const auto& v : spec.volumes) {
    bool has_disk = false;
    for (const auto& d : devices.disks) has_disk = has_disk || d.name == v.name;
    const auto type = v.source_type();
    if (has_disk || type == "serviceAccount" || type == "downwardMetrics") continue;
    models::Disk d;
    d.name = v.name;
    devices.disks.push_back(std::move(d));
  }
  if (spec.networks.empty() && devices.interfaces.empty() && devices.autoattachPodInterface.value_or(true)) {
    spec.networks.push_back(models::Network{"default", models::PodNetwork{}, std::nullopt});
    models::Interface itf;
    itf.name = "default";
    itf.masquerade = models::Empty{};
    devices.interfaces.push_back(std::move(itf));
  }
}

}  // namespace

std::string expand_vmi(const api::Store& store, const models::VirtualMachine& vm,
                       models::VirtualMachineInstance& vmi) {
  if (!vm.spec.instancetype && !vm.spec.preference) return "";
  std::string error;
  auto it = find_instancetype_spec(store, vm, error);
  if (!error.empty()) return error;
  auto pref = find_preference_spec(store, vm, error);
  if (!error.empty()) return error;
  // Preferred autoattach settings decide whether the default interface is added.
  if (pref && pref->devices) {
    auto& d = vmi.spec.domain.devices;
    if (pref->devices->preferredAutoattachPodInterface && !d.autoattachPodInterface)
      d.autoattachPodInterface = *pref->devices->preferredAutoattachPodInterface;
  }
  default_devices(vmi.spec);
  auto conflicts = apply("spec", it ? &*it : nullptr, pref ? &*pref : nullptr, vmi.spec, vmi.metadata.annotations);
  if (conflicts.empty()) return "";
  std::string fields;
  for (const auto& c : conflicts) fields += (fields.empty() ? "" : ", ") + c.field;
  return fmt::format("VMI conflicts with instancetype spec in fields: [{}]", fields);
}

}  // namespace kvsim::sim::kubevirt::instancetype
