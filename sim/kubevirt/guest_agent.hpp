#pragma once
// Whether a VMI's guest runs the QEMU guest agent (AgentConnected, FIDELITY.md §6).
// A real cluster learns it from the guest; the sim decides from the VMI:
// - the annotation kvsim.io/guest-agent: "true" or "false" says so explicitly;
// - otherwise a containerDisk of a cloud image known to ship qemu-guest-agent
//   (Fedora, CentOS Stream, RHEL, Ubuntu, Debian: their cloud images enable it) has one,
//   and so has a disk cloned or imported from one (the golden images);
//   CirrOS and Alpine test images and everything else (PVC-installed Windows: the
//   virtio guest tools must be installed by hand) have none.
#include <string>

#include "models/kubevirt.hpp"

namespace kvsim::sim::kubevirt {

inline constexpr const char* kGuestAgentAnnotation = "kvsim.io/guest-agent";

// `boot_image`: the boot volume's image as guest::boot_image resolves it (a golden image's
// DataSource name for a cloned DataVolume), read as a containerDisk's image is.
bool guest_has_agent(const models::VirtualMachineInstance& vmi, const std::string& boot_image = {});

}  // namespace kvsim::sim::kubevirt
