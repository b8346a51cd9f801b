#pragma once
// What runs inside a simulated guest, guessed the way an administrator would:
// from the disk image the VMI boots (containerDisk image, DataVolume source,
// PVC name) and the domain's features (Hyper-V enlightenments mean Windows).
// The `sim` backend has no real guest: this is what its serial console,
// `console --exec` and RDP answer from. Hybrid mode shows the real thing.
#include <functional>
#include <string>

#include "models/kubevirt.hpp"

namespace kvsim::sim::api {
class Store;
}

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
// `secret_user_data` answers the user data a cloud-init Secret
// (userDataSecretRef) holds; without it such a volume adds nothing.
using SecretUserData = std::function<std::string(const std::string& secret_name)>;
// `image`: the boot image as boot_image() resolved it ("" reads the spec alone).
GuestOs identify_guest(const models::VMISpec& spec, const SecretUserData& secret_user_data = {},
                       const std::string& image = {});
// The boot image hint, with what the cluster knows of a DataVolume (or of the PVC one
// filled): the DataSource it was cloned from (a golden image: fedora, rhel9, ...), the PVC
// it was cloned from, or the URL it was imported from.
std::string boot_image(const models::VirtualMachineInstance& vmi, const api::Store& store);
// The guest of a VMI, its cloud-init Secrets read from its namespace (the
// "userdata" key, else "userData", as virt-launcher reads the mounted Secret).
GuestOs identify_guest(const models::VirtualMachineInstance& vmi, const api::Store& store);

}  // namespace kvsim::sim::guest
