#pragma once
// What runs inside a simulated guest, guessed the way an administrator would:
// from the disk image the VMI boots (containerDisk image, DataVolume source,
// PVC name) and the domain's features (Hyper-V enlightenments mean Windows).
// The `sim` backend has no real guest: this is what its serial console,
// `console --exec` and RDP answer from. Hybrid mode shows the real thing.
#include <string>

#include "models/kubevirt.hpp"

namespace kvsim::sim::guest {

struct GuestOs {
  std::string family;        // cirros, fedora, alpine, ubuntu, centos, rhel, windows, linux
  std::string pretty_name;   // /etc/os-release PRETTY_NAME
  std::string os_id;         // /etc/os-release ID
  std::string version_id;    // /etc/os-release VERSION_ID
  std::string kernel;        // uname -r
  std::string user;          // the image's default login (cloud-init `user:` overrides)
  std::string password;      // empty: no password known, logins fail
  bool busybox = false;      // ash error wording ("-sh: x: not found")
  bool windows() const { return family == "windows"; }
};

// The image name the guest boots from, first disk first: what identify_guest reads.
std::string boot_image_hint(const models::VMISpec& spec);
GuestOs identify_guest(const models::VMISpec& spec);

}  // namespace kvsim::sim::guest
