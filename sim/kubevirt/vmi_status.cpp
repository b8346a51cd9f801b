#include "sim/kubevirt/vmi_status.hpp"

#include <boost/crc.hpp>

#include <algorithm>
#include <map>

namespace kvsim::sim::kubevirt {

bool pod_down_or_going_down(const models::Pod& pod) {
  if (pod.status.phase == "Succeeded" || pod.status.phase == "Failed" || pod.metadata.being_deleted()) return true;
  for (const auto& cs : pod.status.containerStatuses)
    if (cs.name == "compute" && cs.state.terminated) return true;
  return false;
}

models::Condition ready_condition_from_pod(const models::VirtualMachineInstance& vmi, const models::Pod* pod) {
  if (!pod) return {"Ready", "False", "PodNotExists", "virt-launcher pod has not yet been scheduled"};
  if (pod_down_or_going_down(*pod)) return {"Ready", "False", "PodTerminating", "virt-launcher pod is terminating"};
  if (vmi.status.phase != "Running") return {"Ready", "False", "GuestNotRunning", "Guest VM is not reported as running"};
  if (const auto* c = models::find_condition(pod->status.conditions, "Ready")) return {"Ready", c->status, c->reason, c->message};
  return {"Ready", "False", "PodConditionMissing", "virt-launcher pod is missing the Ready condition"};
}

std::string launcher_image(const models::Pod& pod) {
  for (const auto& c : pod.spec.containers)
    if (c.name == "compute") return c.image;
  return {};
}

namespace {

models::Json quantities(const models::ResourceList& list) {
  models::Json out = models::Json::object();
  for (const auto& [name, q] : list) out[name] = q.text();
  return out;
}

// The claim a volume reads (PVCNameFromVirtVolume): a DataVolume's claim has its name.
std::string claim_of(const models::KvVolume& v) {
  if (v.persistentVolumeClaim) return v.persistentVolumeClaim->claimName;
  if (v.dataVolume) return v.dataVolume->name;
  return {};
}

// updateChecksumInfo's crc32 (IEEE) of a containerDisk's image file. kvsim's images have no
// bytes, so the checksum is taken over the image reference: stable per image, and a
// different image gives a different checksum, which is what the field is read for.
std::uint32_t disk_checksum(const std::string& image) {
  boost::crc_32_type crc;
  crc.process_bytes(image.data(), image.size());
  return crc.checksum();
}

void sort_by_name(models::Json& statuses) {
  std::stable_sort(statuses.begin(), statuses.end(), [](const models::Json& a, const models::Json& b) {
    return a.value("name", std::string()) < b.value("name", std::string());
  });
}

}  // namespace

models::Json volume_status(const models::VirtualMachineInstance& vmi, const ClaimLookup& find_claim) {
  std::map<std::string, models::Json> known;
  if (vmi.status.volumeStatus.is_array())
    for (const auto& s : vmi.status.volumeStatus) known[s.value("name", std::string())] = s;
  models::Json out = models::Json::array();
  for (const auto& v : vmi.spec.volumes) {
    models::Json s = known.contains(v.name) ? known[v.name] : models::Json{{"name", v.name}, {"target", ""}};
    if (const auto claim = claim_of(v); !claim.empty())
      if (const auto* pvc = find_claim(claim)) {
        models::Json info = {{"claimName", pvc->metadata.name}};
        if (!pvc->spec.accessModes.empty()) info["accessModes"] = pvc->spec.accessModes;
        if (!pvc->spec.volumeMode.empty()) info["volumeMode"] = pvc->spec.volumeMode;
        if (!pvc->status.capacity.empty()) info["capacity"] = quantities(pvc->status.capacity);
        if (!pvc->spec.resources.requests.empty()) info["requests"] = quantities(pvc->spec.resources.requests);
        // getFilesystemOverhead: none on a block device; CDI's global default (0.055) on a filesystem.
        info["filesystemOverhead"] = pvc->spec.volumeMode == "Block" ? "0" : "0.055";
        s["persistentVolumeClaimInfo"] = std::move(info);
      }
    out.push_back(std::move(s));
  }
  sort_by_name(out);
  return out;
}

models::Json volume_status_with_targets(const models::VirtualMachineInstance& vmi) {
  if (!vmi.status.volumeStatus.is_array() || vmi.status.volumeStatus.empty()) return vmi.status.volumeStatus;
  // virt-launcher's converter names devices per bus prefix, in disk order.
  std::map<std::string, std::string> target_of;
  std::map<std::string, int> used;
  for (const auto& d : vmi.spec.domain.devices.disks) {
    const std::string bus = d.disk ? d.disk->bus : d.cdrom ? d.cdrom->bus : "";
    const std::string prefix = bus == "virtio" || bus.empty() ? "vd" : "sd";
    target_of[d.name] = prefix + static_cast<char>('a' + used[prefix]++ % 26);
  }
  std::map<std::string, std::string> image_of;
  for (const auto& v : vmi.spec.volumes)
    if (v.containerDisk) image_of[v.name] = v.containerDisk->image;
  models::Json out = vmi.status.volumeStatus;
  for (auto& s : out) {
    const std::string name = s.value("name", std::string());
    if (auto it = target_of.find(name); it != target_of.end()) s["target"] = it->second;
    if (auto it = image_of.find(name); it != image_of.end())
      s["containerDiskVolume"] = models::Json{{"checksum", disk_checksum(it->second)}};
  }
  sort_by_name(out);
  return out;
}

}  // namespace kvsim::sim::kubevirt
