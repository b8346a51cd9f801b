#include "sim/guest/guest_os.hpp"

#include <algorithm>
#include <cctype>

#include "models/cdi.hpp"
#include "models/core.hpp"
#include "sim/api/store.hpp"

namespace kvsim::sim::guest {
namespace {

std::string lower(std::string s) {
  std::ranges::transform(s, s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The volume behind a disk, as an image name or a claim name.
std::string volume_hint(const models::KvVolume& v) {
  if (v.containerDisk) return v.containerDisk->image;
  if (v.persistentVolumeClaim) return v.persistentVolumeClaim->claimName;
  if (v.dataVolume) return v.dataVolume->name;
  if (v.ephemeral && v.ephemeral->persistentVolumeClaim) return v.ephemeral->persistentVolumeClaim->claimName;
  return {};
}

// cloud-init `user:` / `password:` lines of #cloud-config user data.
std::string cloud_config_value(const std::string& user_data, const std::string& key) {
  std::size_t pos = 0;
  while (pos < user_data.size()) {
    auto end = user_data.find('\n', pos);
    if (end == std::string::npos) end = user_data.size();
    std::string line = user_data.substr(pos, end - pos);
    pos = end + 1;
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || first != 0) continue;  // top-level keys only
    if (line.rfind(key + ":", 0) != 0) continue;
    std::string value = line.substr(key.size() + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    while (!value.empty() && (value.back() == ' ' || value.back() == '\r')) value.pop_back();
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front())
      value = value.substr(1, value.size() - 2);
    return value;
  }
  return {};
}

GuestOs guess_from(const std::string& hint, bool hyperv) {
  const auto h = lower(hint);
  auto has = [&](const char* word) { return h.find(word) != std::string::npos; };
  // The kernels are those the upstream demo images shipped with (illustrative, not read from an image).
  if (hyperv || has("windows") || has("win10") || has("win11") || has("win2k")) {
    return {"windows", "Microsoft Windows Server 2022 Datacenter", "windows", "10.0.20348", "", "Administrator", "", false};
  }
  if (has("cirros")) {
    return {"cirros", "CirrOS 0.5.2", "cirros", "0.5.2", "5.3.0-26-generic", "cirros", "gocubsgo", true};
  }
  if (has("fedora")) {
    return {"fedora", "Fedora Linux 40 (Cloud Edition)", "fedora", "40", "6.8.5-301.fc40.x86_64", "fedora", "", false};
  }
  if (has("alpine")) {
    return {"alpine", "Alpine Linux v3.19", "alpine", "3.19.1", "6.6.14-0-virt", "root", "", true};
  }
  if (has("ubuntu")) {
    return {"ubuntu", "Ubuntu 22.04.4 LTS", "ubuntu", "22.04", "5.15.0-105-generic", "ubuntu", "", false};
  }
  if (has("centos")) {
    return {"centos", "CentOS Stream 9", "centos", "9", "5.14.0-427.el9.x86_64", "cloud-user", "", false};
  }
  if (has("rhel")) {
    return {"rhel", "Red Hat Enterprise Linux 9.4 (Plow)", "rhel", "9.4", "5.14.0-427.13.1.el9_4.x86_64", "cloud-user",
            "", false};
  }
  return {"linux", "Linux", "linux", "", "6.1.0-18-cloud-amd64", "cloud-user", "", false};
}

}  // namespace

std::string boot_image_hint(const models::VMISpec& spec) {
  // The disk with the lowest bootOrder boots; without bootOrder, the first disk listed.
  const models::Disk* boot = nullptr;
  for (const auto& d : spec.domain.devices.disks) {
    if (!boot) boot = &d;
    else if (d.bootOrder && (!boot->bootOrder || *d.bootOrder < *boot->bootOrder)) boot = &d;
  }
  if (boot)
    for (const auto& v : spec.volumes)
      if (v.name == boot->name && !volume_hint(v).empty()) return volume_hint(v);
  for (const auto& v : spec.volumes)
    if (!volume_hint(v).empty()) return volume_hint(v);
  return {};
}

GuestOs identify_guest(const models::VMISpec& spec, const SecretUserData& secret_user_data, const std::string& image) {
  const auto& features = spec.domain.features;
  const bool hyperv = features.is_object() && features.contains("hyperv");
  GuestOs os = guess_from(image.empty() ? boot_image_hint(spec) : image, hyperv);
  for (const auto& v : spec.volumes) {
    const auto* ci = v.cloudInitNoCloud ? &*v.cloudInitNoCloud : v.cloudInitConfigDrive ? &*v.cloudInitConfigDrive : nullptr;
    if (!ci) continue;
    std::string user_data = ci->userData;
    if (ci->secretRef.is_object() && secret_user_data)
      user_data = secret_user_data(ci->secretRef.value("name", std::string()));
    if (auto user = cloud_config_value(user_data, "user"); !user.empty()) os.user = user;
    if (auto password = cloud_config_value(user_data, "password"); !password.empty()) os.password = password;
  }
  return os;
}

std::string boot_image(const models::VirtualMachineInstance& vmi, const api::Store& store) {
  const auto hint = boot_image_hint(vmi.spec);
  // A DataVolume, or the PVC of the same name one made: what it was filled from.
  const auto dv = hint.empty() ? nullptr : store.get<models::DataVolume>(vmi.metadata.namespace_, hint);
  if (!dv) return hint;
  auto text = [](const models::Json& j, const char* key) {
    const auto v = j.is_object() ? j.find(key) : j.end();
    return j.is_object() && v != j.end() && v->is_string() ? v->get<std::string>() : std::string();
  };
  const auto& spec = dv->spec;
  if (auto name = text(spec.sourceRef, "name"); !name.empty()) return name;
  if (spec.source.is_object())
    for (const auto& [type, source] : spec.source.items()) {
      if (auto name = text(source, "name"); !name.empty()) return name;  // pvc, snapshot
      if (auto url = text(source, "url"); !url.empty()) return url;       // registry, http
    }
  return hint;
}

GuestOs identify_guest(const models::VirtualMachineInstance& vmi, const api::Store& store) {
  return identify_guest(
      vmi.spec,
      [&](const std::string& name) {
        auto secret = store.get<models::Secret>(vmi.metadata.namespace_, name);
        if (!secret) return std::string();
        if (auto v = secret->value("userdata")) return *v;
        return secret->value("userData").value_or(std::string());
      },
      boot_image(vmi, store));
}

}  // namespace kvsim::sim::guest
