#pragma once
// The VM controller's part of dataVolumeTemplates (FIDELITY.md §7): each
// template becomes a DataVolume of its name in the VM's namespace, owned by
// the VM; the VMI is created only once all of them have Succeeded.
#include <memory>
#include <string>
#include <vector>

#include "models/cdi.hpp"
#include "models/kubevirt.hpp"
#include "sim/api/store.hpp"

namespace kvsim::sim::kubevirt::storage {

// The DataVolume a template renders; null (and `error` set) when its spec does not decode.
std::shared_ptr<models::DataVolume> data_volume_from_template(const models::VirtualMachine& vm,
                                                              const models::DataVolumeTemplateSpec& t,
                                                              std::string& error);

// The templates' DataVolumes that do not exist yet, with a `sourceRef` resolved to the
// DataSource's source as KubeVirt renders them (GenerateDataVolumeFromTemplate). A template
// whose DataSource is missing is not rendered: `failure` gets the VM controller's sync error
// (its Failure condition, reason FailedCreate), as v1.5's handleDataVolumes returns it.
std::vector<std::shared_ptr<models::DataVolume>> missing_data_volumes(const api::Store& store,
                                                                      const models::VirtualMachine& vm,
                                                                      std::vector<std::string>& errors,
                                                                      std::string& failure);

// What the VM's volumes imply for its printableStatus (see with_volume_status).
std::string vm_printable_with_volumes(const api::Store& store, const models::VirtualMachine& vm,
                                      const std::string& base, bool set_to_start);

// upstream dataVolumesReady: every DataVolume of the VM's dataVolumeTemplates has Succeeded.
bool vm_data_volumes_ready(const api::Store& store, const models::VirtualMachine& vm);

}  // namespace kvsim::sim::kubevirt::storage
