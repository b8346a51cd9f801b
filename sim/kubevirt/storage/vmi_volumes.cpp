#include "sim/kubevirt/storage/vmi_volumes.hpp"

#include <fmt/format.h>

namespace kvsim::sim::kubevirt::storage {

std::string claim_of(const models::KvVolume& v) {
  if (v.persistentVolumeClaim) return v.persistentVolumeClaim->claimName;
  if (v.dataVolume) return v.dataVolume->name;
  return "";
}

VolumeCheck check_vmi_volumes(const std::vector<models::KvVolume>& volumes, const std::string& ns,
                              const PvcLookup& find_pvc, const DvLookup& find_dv) {
  VolumeCheck c;
  for (const auto& v : volumes) {
    const auto claim = claim_of(v);
    if (claim.empty()) continue;
    const auto* dv = v.dataVolume ? find_dv(claim) : nullptr;
    if (!find_pvc(claim) && !dv) {
      // pkg/virt-controller/watch/vmi.go: the render error for a claim not (yet) there.
      c.missing_pvc = fmt::format("PVC {}/{} does not exist, waiting for it to appear", ns, claim);
      return c;
    }
    if (dv && !dv->succeeded() && c.waiting_for.empty())
      c.waiting_for = fmt::format("DataVolume {} is {}", claim, dv->status.phase.empty() ? "Pending" : dv->status.phase);
  }
  return c;
}

VolumeStatus volume_status(const std::vector<models::KvVolume>& volumes, const PvcLookup& find_pvc,
                           const DvLookup& find_dv) {
  VolumeStatus s;
  for (const auto& v : volumes) {
    const auto claim = claim_of(v);
    if (claim.empty()) continue;
    if (v.dataVolume) {
      const auto* dv = find_dv(claim);
      if (dv && !dv->succeeded() && dv->status.phase != "Failed") s.provisioning = true;
      // storagetypes.HasDataVolumeErrors: Failed, or an importer stopped by an error.
      const auto* running = dv ? models::find_condition(dv->status.conditions, "Running") : nullptr;
      if (dv && (dv->status.phase == "Failed" ||
                 (running && running->status == "False" &&
                  (running->reason == "Error" || running->reason == "ImagePullFailed"))))
        s.data_volume_error = true;
    }
    if (const auto* pvc = find_pvc(claim); pvc && pvc->status.phase == "Pending") s.unbound_claim = true;
  }
  return s;
}

std::string with_volume_status(const std::string& base, const VolumeStatus& volumes, bool set_to_start) {
  const bool lower = base == "ErrImagePull" || base == "ImagePullBackOff" || base == "Starting" ||
                     base == "CrashLoopBackOff" || base == "Stopped" || base == "Unknown";
  // DataVolumeError ranks below ErrorPvcNotFound and above ErrorUnschedulable (vm.go setPrintableStatus).
  if (volumes.data_volume_error && (lower || base == "ErrorUnschedulable")) return "DataVolumeError";
  if (!lower) return base;
  if (volumes.provisioning) return "Provisioning";
  if (volumes.unbound_claim && set_to_start) return "WaitingForVolumeBinding";
  return base;
}

}  // namespace kvsim::sim::kubevirt::storage
