#pragma once
// What the QEMU guest agent of a simulated guest reports, in the shapes
// virt-handler hands virt-api for `virtctl guestosinfo|userlist|fslist`
// (kubevirt.io/api core/v1 VirtualMachineInstanceGuestAgentInfo,
// VirtualMachineInstanceGuestOSUserList, VirtualMachineInstanceFileSystemList).
// The values come from what kvsim guesses of the guest (guest_os.hpp): its
// OS, kernel and hostname; nobody is logged in; one root filesystem whose
// type is the distribution's default and whose size is the boot disk's.
#include "models/codec/decoder.hpp"
#include "sim/guest/guest_os.hpp"
#include "sim/guest/serial_console.hpp"

namespace kvsim::sim::guest {

// `disk_bytes`: the boot disk's capacity (its claim's request; a containerDisk's image size).
models::Json guest_agent_info(const GuestOs& os, const GuestView& view, std::int64_t disk_bytes);
models::Json guest_user_list();
models::Json guest_filesystem_list(const GuestOs& os, std::int64_t disk_bytes);

}  // namespace kvsim::sim::guest
