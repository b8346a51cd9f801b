#include "sim/kubevirt/storage/vm_data_volumes.hpp"

#include "models/manifest.hpp"
#include "sim/kubevirt/storage/clone_source.hpp"
#include "sim/kubevirt/storage/vmi_volumes.hpp"

namespace kvsim::sim::kubevirt::storage {

std::shared_ptr<models::DataVolume> data_volume_from_template(const models::VirtualMachine& vm,
                                                              const models::DataVolumeTemplateSpec& t,
                                                              std::string& error) {
  // The template's spec is kept as written: decode it as the API server would a DataVolume.
  models::Json doc = {{"apiVersion", "cdi.kubevirt.io/v1beta1"}, {"kind", "DataVolume"},
                      {"metadata", {{"name", t.metadata.name}, {"namespace", vm.metadata.namespace_}}},
                      {"spec", t.spec.is_null() ? models::Json::object() : t.spec}};
  if (!t.metadata.labels.empty()) doc["metadata"]["labels"] = t.metadata.labels;
  if (!t.metadata.annotations.empty()) doc["metadata"]["annotations"] = t.metadata.annotations;
  auto loaded = models::load_manifests(doc.dump(), "dataVolumeTemplates/" + t.metadata.name);
  if (!loaded.ok() || loaded.objects.size() != 1) {
    error = loaded.problems.empty() ? "no object" : loaded.problems.front().str();
    return nullptr;
  }
  auto dv = std::static_pointer_cast<models::DataVolume>(loaded.objects.front());
  dv->metadata.ownerReferences = {{"kubevirt.io/v1", "VirtualMachine", vm.metadata.name, vm.metadata.uid, true, true}};
  return dv;
}

std::vector<std::shared_ptr<models::DataVolume>> missing_data_volumes(const api::Store& store,
                                                                      const models::VirtualMachine& vm,
                                                                      std::vector<std::string>& errors,
                                                                      std::string& failure) {
  std::vector<std::shared_ptr<models::DataVolume>> out;
  for (const auto& written : vm.spec.dataVolumeTemplates) {
    if (store.get<models::DataVolume>(vm.metadata.namespace_, written.metadata.name)) continue;
    auto t = written;
    if (t.spec.is_object() && t.spec.contains("sourceRef")) {
      const auto resolved = resolve_source_ref(store, vm.metadata.namespace_, t.spec["sourceRef"]);
      if (!resolved.error.empty()) {
        failure = "Error encountered while creating DataVolumes: unable to create DataVolume manifest: " + resolved.error;
        return {};
      }
      if (resolved.source.is_object()) {
        t.spec.erase("sourceRef");
        t.spec["source"] = resolved.source;
      }
    }
    std::string error;
    if (auto dv = data_volume_from_template(vm, t, error)) out.push_back(std::move(dv));
    else errors.push_back(error);
  }
  return out;
}

std::string vm_printable_with_volumes(const api::Store& store, const models::VirtualMachine& vm,
                                      const std::string& base, bool set_to_start) {
  const auto& ns = vm.metadata.namespace_;
  const auto status = volume_status(
      vm.spec.template_.spec.volumes,
      [&](const std::string& n) { return store.get<models::PersistentVolumeClaim>(ns, n).get(); },
      [&](const std::string& n) { return store.get<models::DataVolume>(ns, n).get(); });
  return with_volume_status(base, status, set_to_start);
}

bool vm_data_volumes_ready(const api::Store& store, const models::VirtualMachine& vm) {
  // Only the VM's own templates gate the VMI; a DataVolume it merely names is the VMI's to wait for.
  for (const auto& t : vm.spec.dataVolumeTemplates) {
    auto dv = store.get<models::DataVolume>(vm.metadata.namespace_, t.metadata.name);
    if (!dv || !dv->succeeded()) return false;
  }
  return true;
}

}  // namespace kvsim::sim::kubevirt::storage
