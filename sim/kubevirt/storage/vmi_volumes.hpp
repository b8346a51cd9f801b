#pragma once
// The claims behind a VMI's volumes, pure (FIDELITY.md §7): what keeps
// virt-controller from rendering the launcher pod (a missing PVC, a
// DataVolume still importing), and the VM printableStatus the volumes
// imply (Provisioning, WaitingForVolumeBinding) in upstream's precedence.
#include <functional>
#include <string>
#include <vector>

#include "models/cdi.hpp"
#include "models/kubevirt.hpp"

namespace kvsim::sim::kubevirt::storage {

// The claim a volume mounts: persistentVolumeClaim.claimName or the
// DataVolume's name (CDI names its PVC after it); "" for other sources.
std::string claim_of(const models::KvVolume& v);

using PvcLookup = std::function<const models::PersistentVolumeClaim*(const std::string& name)>;
using DvLookup = std::function<const models::DataVolume*(const std::string& name)>;

struct VolumeCheck {
  // Non-empty: a claim is missing (Synchronized=False, reason FailedPvcNotFound).
  std::string missing_pvc;
  // Non-empty: a DataVolume has not finished importing; the pod waits.
  std::string waiting_for;
};
// Looks up claims and DataVolumes in the VMI's namespace.
VolumeCheck check_vmi_volumes(const std::vector<models::KvVolume>& volumes, const std::string& ns,
                              const PvcLookup& find_pvc, const DvLookup& find_dv);

struct VolumeStatus {
  bool provisioning = false;    // a DataVolume exists and is still importing
  bool unbound_claim = false;   // a claim exists in phase Pending
  bool data_volume_error = false;  // a DataVolume Failed, or its importer stopped by an error
};
VolumeStatus volume_status(const std::vector<models::KvVolume>& volumes, const PvcLookup& find_pvc,
                           const DvLookup& find_dv);

// Upstream's printableStatus order puts Provisioning and then
// WaitingForVolumeBinding after ErrorUnschedulable and before
// ErrImagePull/ImagePullBackOff/Starting/CrashLoopBackOff/Stopped:
// `base` is the status without the volumes; WaitingForVolumeBinding only
// when the VM is set to start.
std::string with_volume_status(const std::string& base, const VolumeStatus& volumes, bool set_to_start);

}  // namespace kvsim::sim::kubevirt::storage
