#pragma once
// CDI's storage capabilities (containerized-data-importer pkg/storagecapabilities,
// CapabilitiesByProvisionerKey): the access and volume modes CDI knows a well-known
// provisioner to support, best first. A StorageProfile lists them as its
// claimPropertySets, and a DataVolume written with the `storage:` API takes the modes
// it leaves out from them: on ODF's RBD class that is ReadWriteMany Block, which makes
// the VM live-migratable.
#include <optional>
#include <string>
#include <vector>

#include "models/core.hpp"

namespace kvsim::sim::kubevirt::storage {

struct ClaimProperties {
  std::string access_mode;  // ReadWriteMany, ReadWriteOnce, ReadOnlyMany
  std::string volume_mode;  // Block, Filesystem
};

// Empty for a provisioner CDI does not know.
std::vector<ClaimProperties> provisioner_capabilities(const std::string& provisioner);

// The modes a `storage:` claim spec leaves out, filled from `capabilities` as CDI's
// storage API renders the PVC: neither given -> the first set; only the volume mode ->
// the first set of that mode; only access modes -> the mode of the first set offering one
// of them. Without a matching set, the spec is left as it is.
void complete_claim_modes(models::PersistentVolumeClaimSpec& spec, const std::vector<ClaimProperties>& capabilities);

}  // namespace kvsim::sim::kubevirt::storage
