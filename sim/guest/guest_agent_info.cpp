#include "sim/guest/guest_agent_info.hpp"

namespace kvsim::sim::guest {
namespace {

using models::Json;

// The root filesystem type each distribution's cloud image is built with.
std::string root_fs_type(const GuestOs& os) {
  if (os.family == "fedora") return "btrfs";
  if (os.family == "centos" || os.family == "rhel") return "xfs";
  if (os.windows()) return "NTFS";
  return "ext4";
}

Json filesystem(const GuestOs& os, std::int64_t disk_bytes) {
  // Roughly what a freshly booted cloud image uses of its disk.
  const std::int64_t used = std::min<std::int64_t>(disk_bytes / 4, std::int64_t{1288490188});
  return {{"diskName", os.windows() ? "C:" : "vda1"},
          {"mountPoint", os.windows() ? "C:\\" : "/"},
          {"fileSystemType", root_fs_type(os)},
          {"usedBytes", used},
          {"totalBytes", disk_bytes},
          {"disk", Json::array({{{"busType", "virtio"}}})}};
}

}  // namespace

Json guest_agent_info(const GuestOs& os, const GuestView& view, std::int64_t disk_bytes) {
  Json commands = Json::array();
  for (const char* c : {"guest-exec", "guest-fsfreeze-freeze", "guest-fsfreeze-status", "guest-fsfreeze-thaw",
                        "guest-get-fsinfo", "guest-get-host-name", "guest-get-osinfo", "guest-get-timezone",
                        "guest-get-users", "guest-info", "guest-network-get-interfaces", "guest-ping",
                        "guest-set-user-password", "guest-shutdown"})
    commands.push_back({{"name", c}, {"enabled", true}});
  const std::string name = os.pretty_name.substr(0, os.pretty_name.find(' '));
  return {{"guestAgentVersion", "8.2.2"},
          {"supportedCommands", commands},
          {"hostname", view.hostname},
          {"os",
           {{"name", name},
            {"kernelRelease", os.kernel},
            {"version", os.version_id},
            {"prettyName", os.pretty_name},
            {"versionId", os.version_id},
            {"kernelVersion", "#1 SMP PREEMPT_DYNAMIC"},
            {"machine", "x86_64"},
            {"id", os.os_id}}},
          {"timezone", "UTC, 0"},
          {"fsInfo", {{"disks", Json::array({filesystem(os, disk_bytes)})}}},
          {"fsFreezeStatus", "thawed"}};
}

Json guest_user_list() { return {{"metadata", Json::object()}, {"items", Json::array()}}; }

Json guest_filesystem_list(const GuestOs& os, std::int64_t disk_bytes) {
  return {{"metadata", Json::object()}, {"items", Json::array({filesystem(os, disk_bytes)})}};
}

}  // namespace kvsim::sim::guest
