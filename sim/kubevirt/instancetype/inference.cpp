#include "sim/kubevirt/instancetype/inference.hpp"

#include <fmt/format.h>

#include "models/cdi.hpp"
#include "models/instancetype.hpp"
#include "models/registry.hpp"

namespace kvsim::sim::kubevirt::instancetype {

namespace {

struct Inferred {
  std::string name, kind;
  std::string error;
  bool ignorable = false;  // upstream's IgnoreableInferenceError
};

Inferred fail(std::string error, bool ignorable) { return {{}, {}, std::move(error), ignorable}; }

struct Labels {
  const char* name;
  const char* kind;
};

Inferred from_labels(const models::Labels& labels, Labels want) {
  auto it = labels.find(want.name);
  if (it == labels.end()) return fail(fmt::format("unable to find required {} label on the volume", want.name), true);
  auto kind = labels.find(want.kind);
  return {it->second, kind == labels.end() ? "" : kind->second, {}, false};
}

Inferred from_pvc(const api::Store& store, const std::string& ns, const std::string& name, Labels want) {
  auto pvc = store.get(models::PersistentVolumeClaim::kind_info(), ns, name);
  if (!pvc) return fail(fmt::format("persistentvolumeclaims \"{}\" not found", name), false);
  return from_labels(pvc->metadata.labels, want);
}

Inferred from_data_source(const api::Store& store, const std::string& ns, const std::string& name, Labels want) {
  const auto* kind = models::find_kind("cdi.kubevirt.io/v1beta1", "DataSource");
  if (!kind || !kind->not_modelled.empty())
    return fail(fmt::format("datasources.cdi.kubevirt.io \"{}\" not found", name), false);
  auto ds = store.get(*kind, ns, name);
  if (!ds) return fail(fmt::format("datasources.cdi.kubevirt.io \"{}\" not found", name), false);
  auto r = from_labels(ds->metadata.labels, want);
  if (r.error.empty()) return r;
  const auto json = ds->to_json();
  const auto pvc = json.value(models::Json::json_pointer("/spec/source/pvc"), models::Json());
  if (pvc.is_object()) return from_pvc(store, pvc.value("namespace", ns), pvc.value("name", ""), want);
  return fail("unable to infer defaults from DataSource that doesn't provide DataVolumeSourcePVC", true);
}

Inferred from_data_volume_spec(const api::Store& store, const models::DataVolumeSpec& spec, const std::string& ns,
                               Labels want) {
  if (spec.source.is_object() && spec.source.contains("pvc")) {
    const auto& pvc = spec.source["pvc"];
    return from_pvc(store, pvc.value("namespace", ""), pvc.value("name", ""), want);
  }
  if (spec.sourceRef.is_object()) {
    const auto kind = spec.sourceRef.value("kind", "");
    if (kind == "DataSource")
      return from_data_source(store, spec.sourceRef.value("namespace", ns), spec.sourceRef.value("name", ""), want);
    return fail(fmt::format("unable to infer defaults from DataVolumeSourceRef as Kind {} is not supported", kind), true);
  }
  return fail("unable to infer defaults from DataVolumeSpec as DataVolumeSource is not supported", true);
}

Inferred from_data_volume(const api::Store& store, const models::VirtualMachine& vm, const std::string& name,
                          Labels want) {
  const auto& ns = vm.metadata.namespace_;
  for (const auto& t : vm.spec.dataVolumeTemplates) {
    if (t.metadata.name != name) continue;
    // The template's spec is kept as written; decode the parts inference reads.
    models::DataVolumeSpec spec;
    spec.source = t.spec.value("source", models::Json());
    spec.sourceRef = t.spec.value("sourceRef", models::Json());
    return from_data_volume_spec(store, spec, ns, want);
  }
  auto dv = store.get<models::DataVolume>(ns, name);
  if (!dv) return from_pvc(store, ns, name, want);
  auto r = from_labels(dv->metadata.labels, want);
  if (r.error.empty()) return r;
  return from_data_volume_spec(store, dv->spec, ns, want);
}

Inferred from_volumes(const api::Store& store, const models::VirtualMachine& vm, const std::string& volume,
                      Labels want) {
  for (const auto& v : vm.spec.template_.spec.volumes) {
    if (v.name != volume) continue;
    if (v.persistentVolumeClaim) return from_pvc(store, vm.metadata.namespace_, v.persistentVolumeClaim->claimName, want);
    if (v.dataVolume) return from_data_volume(store, vm, v.dataVolume->name, want);
    return fail(fmt::format("unable to infer defaults from volume {} as type is not supported", volume), true);
  }
  return fail(fmt::format("unable to find volume {} to infer defaults", volume), false);
}

// handler.Instancetype / handler.Preference.
std::string infer(const api::Store& store, models::VirtualMachine& vm, models::Boxed<models::InstancetypeMatcher>& m,
                  Labels want, bool clears_memory) {
  if (!m || m->inferFromVolume.empty()) return "";
  const bool ignore = m->inferFromVolumeFailurePolicy.value_or("") == "Ignore";
  auto r = from_volumes(store, vm, m->inferFromVolume, want);
  if (!r.error.empty()) {
    if (r.ignorable && ignore) {
      m.reset();
      return "";
    }
    return r.error;
  }
  // With Ignore, the VM's own memory gives way to the inferred instance type.
  if (ignore && clears_memory) vm.spec.template_.spec.domain.memory.reset();
  m = models::InstancetypeMatcher{r.name, r.kind, {}, {}, std::nullopt};
  return "";
}

}  // namespace

std::string infer_matchers(const api::Store& store, models::VirtualMachine& vm) {
  if (auto e = infer(store, vm, vm.spec.instancetype,
                     {models::kDefaultInstancetypeLabel, models::kDefaultInstancetypeKindLabel}, true);
      !e.empty())
    return e;
  return infer(store, vm, vm.spec.preference, {models::kDefaultPreferenceLabel, models::kDefaultPreferenceKindLabel},
               false);
}

}  // namespace kvsim::sim::kubevirt::instancetype
