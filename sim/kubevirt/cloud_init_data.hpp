#pragma once
// What virt-launcher makes of a VMI's cloud-init volume before it defines the domain, pure
// (KubeVirt v1.5 pkg/cloud-init/cloud-init.go ReadCloudInitVolumeDataSource, called from
// virtwrap/manager.go preStartHook). The Secrets a volume names are mounted in the launcher
// pod (a missing one holds the pod in ContainerCreating, FailedMount); here it is a key that
// is missing, or a volume that ends up with no data at all.
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>

#include "models/kubevirt.hpp"
#include "sim/guest/guest_provisioning.hpp"
#include "sim/kubevirt/access_credentials.hpp"

namespace kvsim::sim::kubevirt {

// The value of the first of `keys` that Secret `secret` holds (readFirstFoundFileFromDir on
// its mounted files); nullopt when it holds none of them.
using SecretKeyReader =
    std::function<std::optional<std::string>(const std::string& secret, std::initializer_list<const char*> keys)>;

// "" when the first cloud-init volume (NoCloud or ConfigDrive) has user or network data; else
// the launcher's error, as virt-handler's SyncVMI call reports it back:
//   ReadCloudInitVolumeDataSource failed: no cloud-init data-source found at volume: cloudinitdisk
//   ReadCloudInitVolumeDataSource failed: userDataBase64, userData, networkDataBase64 or networkData is required ...
std::string cloud_init_data_error(const models::VMISpec& spec, const SecretKeyReader& read);

// The data source virt-launcher builds from the first cloud-init volume once the data is
// there (ReadCloudInitVolumeDataSource): user and network data, each from its Secret when
// one is named and holds it, else inline, else base64; and the meta-data's public keys of
// the accessCredentials propagated through that data source.
guest::GuestProvisioning cloud_init_seed(const models::VMISpec& spec, const SecretKeyReader& read_key,
                                         const SecretFilesReader& read_files);

}  // namespace kvsim::sim::kubevirt
