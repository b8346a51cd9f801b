#include "sim/kubevirt/instancetype/lookup.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "models/controller_revision.hpp"
#include "models/manifest.hpp"

namespace kvsim::sim::kubevirt::instancetype {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

const models::InstancetypeMatcher* matcher_of(const models::VirtualMachine& vm, Matcher which) {
  const auto& m = which == Matcher::Instancetype ? vm.spec.instancetype : vm.spec.preference;
  return m ? &*m : nullptr;
}

const models::InstancetypeStatusRef* status_ref_of(const models::VirtualMachine& vm, Matcher which) {
  const auto& r = which == Matcher::Instancetype ? vm.status.instancetypeRef : vm.status.preferenceRef;
  return r ? &*r : nullptr;
}

// The kind a matcher's kind names (upstream accepts the singular and the plural,
// any case); null when it names neither.
const models::KindInfo* kind_of(const std::string& matcher_kind, Matcher which) {
  const auto k = lower(matcher_kind);
  if (which == Matcher::Instancetype) {
    if (k == "virtualmachineinstancetype" || k == "virtualmachineinstancetypes")
      return &models::VirtualMachineInstancetype::kind_info();
    if (k.empty() || k == "virtualmachineclusterinstancetype" || k == "virtualmachineclusterinstancetypes")
      return &models::VirtualMachineClusterInstancetype::kind_info();
    return nullptr;
  }
  if (k == "virtualmachinepreference" || k == "virtualmachinepreferences")
    return &models::VirtualMachinePreference::kind_info();
  if (k.empty() || k == "virtualmachineclusterpreference" || k == "virtualmachineclusterpreferences")
    return &models::VirtualMachineClusterPreference::kind_info();
  return nullptr;
}

std::string not_found(const models::KindInfo& kind, const std::string& name) {
  return fmt::format("{}.{} \"{}\" not found", kind.plural, kind.group(), name);
}

// revisionFinder: the revision the spec or the status pins, if any.
models::ObjectPtr pinned_revision(const api::Store& store, const models::VirtualMachine& vm, Matcher which,
                                  std::string& error) {
  std::string name = matcher_of(vm, which)->revisionName;
  if (name.empty())
    if (const auto* ref = status_ref_of(vm, which); ref && ref->controllerRevisionRef)
      name = ref->controllerRevisionRef->name;
  if (name.empty()) return nullptr;
  auto r = store.get(models::ControllerRevision::kind_info(), vm.metadata.namespace_, name);
  if (!r) error = fmt::format("controllerrevisions.apps \"{}\" not found", name);
  return r;
}

template <class Spec, class Namespaced, class Cluster>
std::optional<Spec> spec_of(const models::Object& o) {
  if (const auto* n = dynamic_cast<const Namespaced*>(&o)) return n->spec;
  if (const auto* c = dynamic_cast<const Cluster*>(&o)) return c->spec;
  return std::nullopt;
}

template <class Spec, class Namespaced, class Cluster>
std::optional<Spec> find_spec(const api::Store& store, const models::VirtualMachine& vm, Matcher which,
                              std::string& error) {
  if (!matcher_of(vm, which)) return std::nullopt;
  models::ObjectPtr object;
  if (auto revision = pinned_revision(store, vm, which, error)) {
    object = object_from_revision_data(static_cast<const models::ControllerRevision&>(*revision).data, error);
  } else if (error.empty()) {
    object = find_object(store, vm, which, error);
  }
  if (!object) return std::nullopt;
  auto spec = spec_of<Spec, Namespaced, Cluster>(*object);
  if (!spec) error = fmt::format("unexpected object in ControllerRevision: {}", object->kind);
  return spec;
}

}  // namespace

models::ObjectPtr find_object(const api::Store& store, const models::VirtualMachine& vm, Matcher which,
                              std::string& error) {
  const auto* m = matcher_of(vm, which);
  if (!m) return nullptr;
  const auto* kind = kind_of(m->kind, which);
  if (!kind) {
    error = fmt::format("got unexpected kind in {}: {}",
                        which == Matcher::Instancetype ? "InstancetypeMatcher" : "PreferenceMatcher", m->kind);
    return nullptr;
  }
  auto o = store.get(*kind, kind->namespaced ? vm.metadata.namespace_ : std::string(), m->name);
  if (!o) error = not_found(*kind, m->name);
  return o;
}

std::optional<models::InstancetypeSpec> find_instancetype_spec(const api::Store& store,
                                                               const models::VirtualMachine& vm, std::string& error) {
  return find_spec<models::InstancetypeSpec, models::VirtualMachineInstancetype,
                   models::VirtualMachineClusterInstancetype>(store, vm, Matcher::Instancetype, error);
}

std::optional<models::PreferenceSpec> find_preference_spec(const api::Store& store, const models::VirtualMachine& vm,
                                                           std::string& error) {
  return find_spec<models::PreferenceSpec, models::VirtualMachinePreference, models::VirtualMachineClusterPreference>(
      store, vm, Matcher::Preference, error);
}

models::ObjectPtr object_from_revision_data(const models::Json& data, std::string& error) {
  auto r = models::load_manifests(data.dump(), "controllerrevision data");
  if (!r.ok() || r.objects.size() != 1) {
    error = "ControllerRevision data does not hold one object: " + models::join_lines(r.problems);
    return nullptr;
  }
  return r.objects.front();
}

}  // namespace kvsim::sim::kubevirt::instancetype
