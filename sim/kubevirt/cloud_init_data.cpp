#include "sim/kubevirt/cloud_init_data.hpp"

namespace kvsim::sim::kubevirt {

std::string cloud_init_data_error(const models::VMISpec& spec, const SecretKeyReader& read) {
  for (const auto& volume : spec.volumes) {
    const auto* source = volume.cloudInitNoCloud     ? &*volume.cloudInitNoCloud
                         : volume.cloudInitConfigDrive ? &*volume.cloudInitConfigDrive
                                                       : nullptr;
    if (!source) continue;
    // resolveNoCloudSecrets / resolveConfigDriveSecrets: data from the Secrets' files, an
    // error only when every Secret named lacks its file.
    std::string user_data = source->userData, network_data = source->networkData;
    bool user_missing = false, network_missing = false;
    if (source->secretRef.is_object()) {
      const auto value = read(source->secretRef.value("name", std::string()), {"userdata", "userData"});
      user_missing = !value;
      if (value && !value->empty()) user_data = *value;
    }
    if (source->networkDataSecretRef.is_object()) {
      const auto value = read(source->networkDataSecretRef.value("name", std::string()), {"networkdata", "networkData"});
      network_missing = !value;
      if (value && !value->empty()) network_data = *value;
    }
    const std::string prefix = "ReadCloudInitVolumeDataSource failed: ";
    if (user_missing && network_missing) return prefix + "no cloud-init data-source found at volume: " + volume.name;
    // readCloudInitData: one of the four must say something.
    if (user_data.empty() && source->userDataBase64.empty() && network_data.empty() && source->networkDataBase64.empty())
      return prefix + "userDataBase64, userData, networkDataBase64 or networkData is required for a cloud-init data source";
    return {};  // upstream reads the first cloud-init volume only
  }
  return {};
}

}  // namespace kvsim::sim::kubevirt
