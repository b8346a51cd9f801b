#pragma once
// Parts of a VMI's status that virt-controller and virt-handler derive from what they see,
// pure (KubeVirt v1.5 pkg/virt-controller/watch/vmi/vmi.go updateStatus, pkg/virt-handler/vm.go
// updateVMIStatusFromDomain): the Ready condition from the launcher pod, the launcher image,
// the volumes' status, and the disk targets the domain gives them.
#include <functional>
#include <string>

#include "models/core.hpp"
#include "models/kubevirt.hpp"

namespace kvsim::sim::kubevirt {

// controller.IsPodDownOrGoingDown: the pod is Succeeded or Failed, its compute container has
// stopped, or it is being deleted.
bool pod_down_or_going_down(const models::Pod& pod);

// syncReadyConditionFromPod: no pod -> PodNotExists; a pod down or going down -> PodTerminating;
// a guest not Running -> GuestNotRunning; else the pod's own Ready (PodConditionMissing without one).
models::Condition ready_condition_from_pod(const models::VirtualMachineInstance& vmi, const models::Pod* pod);

// The compute container's image (status.launcherContainerImageVersion), "" without one.
std::string launcher_image(const models::Pod& pod);

// updateVolumeStatus: one entry per spec volume, sorted by name, keeping what an earlier status
// knew (the target); a PVC or DataVolume volume whose claim exists gets its persistentVolumeClaimInfo.
using ClaimLookup = std::function<const models::PersistentVolumeClaim*(const std::string& claim)>;
models::Json volume_status(const models::VirtualMachineInstance& vmi, const ClaimLookup& find_claim);

// updateVolumeStatusesFromDomain: each disk's target device in the domain (vda, vdb, ... for
// virtio; sda, ... for sata and scsi, in disk order), the entries sorted by name; and
// updateChecksumInfo: each containerDisk's containerDiskVolume.checksum (v1.5 virt-handler vm.go).
models::Json volume_status_with_targets(const models::VirtualMachineInstance& vmi);

}  // namespace kvsim::sim::kubevirt
