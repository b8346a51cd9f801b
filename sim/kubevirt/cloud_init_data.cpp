#include "sim/kubevirt/cloud_init_data.hpp"

#include "models/base64.hpp"

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

namespace {

// readRawOrBase64Data: the raw text, else the decoded base64 (nothing when it does not decode).
std::string raw_or_base64(const std::string& raw, const std::string& base64) {
  if (!raw.empty() || base64.empty()) return raw;
  std::size_t bad = 0;
  return models::base64_decode(base64, bad).value_or(std::string());
}

}  // namespace

guest::GuestProvisioning cloud_init_seed(const models::VMISpec& spec, const SecretKeyReader& read_key,
                                         const SecretFilesReader& read_files) {
  guest::GuestProvisioning seed;
  for (const auto& volume : spec.volumes) {
    const auto* source = volume.cloudInitNoCloud     ? &*volume.cloudInitNoCloud
                         : volume.cloudInitConfigDrive ? &*volume.cloudInitConfigDrive
                                                       : nullptr;
    if (!source) continue;
    seed.cloud_init = true;
    seed.config_drive = !volume.cloudInitNoCloud;
    std::string user_data = source->userData, network_data = source->networkData;
    if (source->secretRef.is_object())
      if (auto v = read_key(source->secretRef.value("name", std::string()), {"userdata", "userData"}); v && !v->empty())
        user_data = *v;
    if (source->networkDataSecretRef.is_object())
      if (auto v = read_key(source->networkDataSecretRef.value("name", std::string()), {"networkdata", "networkData"});
          v && !v->empty())
        network_data = *v;
    seed.user_data = raw_or_base64(user_data, source->userDataBase64);
    seed.network_data = raw_or_base64(network_data, source->networkDataBase64);
    seed.public_keys = cloud_init_public_keys(spec, seed.config_drive, read_files);
    return seed;  // upstream reads the first cloud-init volume only
  }
  return seed;
}

}  // namespace kvsim::sim::kubevirt
