#include "sim/kubevirt/subresources/vmi_requests.hpp"

#include <fmt/format.h>

#include "models/core.hpp"
#include "models/kubevirt.hpp"
#include "sim/guest/guest_agent_info.hpp"
#include "sim/kubevirt/subresources/request_options.hpp"
#include "sim/kubevirt/virt_handler.hpp"

namespace kvsim::sim::kubevirt::subresources {
namespace {

using models::VirtualMachineInstance;

bool has_condition(const VirtualMachineInstance& vmi, const char* type) {
  return models::find_condition(vmi.status.conditions, type) != nullptr;
}

// virt-api reaches a VMI's virt-handler only while the VMI is Running or
// Scheduled (getVirtHandlerConnForVMI, a 400), and then over the network: a
// node that is down does not answer (a 500 from the dial or the call).
std::string virt_handler_error(cluster::Cluster& cluster, const VirtualMachineInstance& vmi, bool& bad_request) {
  bad_request = false;
  if (vmi.status.phase != "Running" && vmi.status.phase != "Scheduled") {
    bad_request = true;
    return fmt::format("Unable to connect to VirtualMachineInstance because phase is {} instead of Running or Scheduled",
                       vmi.status.phase);
  }
  if (!cluster.node_host_up(vmi.status.nodeName) || !cluster.virt_handler(vmi.status.nodeName))
    return fmt::format("dial tcp {}:8186: connect: no route to host (virt-handler on {} does not answer: the node is down)",
                       vmi.status.nodeName, vmi.status.nodeName);
  return {};
}

// The boot disk's size: its claim's capacity (or request), else the containerDisk image's.
std::int64_t boot_disk_bytes(const api::Store& store, const VirtualMachineInstance& vmi, const guest::GuestOs& os) {
  for (const auto& v : vmi.spec.volumes) {
    std::string claim;
    if (v.persistentVolumeClaim) claim = v.persistentVolumeClaim->claimName;
    else if (v.dataVolume) claim = v.dataVolume->name;
    if (claim.empty()) continue;
    if (auto pvc = store.get<models::PersistentVolumeClaim>(vmi.metadata.namespace_, claim)) {
      if (auto c = pvc->status.capacity.find("storage"); c != pvc->status.capacity.end()) return c->second.units_ceil();
      if (auto r = pvc->spec.resources.requests.find("storage"); r != pvc->spec.resources.requests.end())
        return r->second.units_ceil();
    }
    break;
  }
  // CirrOS' image is 112 MiB; the distributions' cloud images are 5 GiB disks.
  return os.family == "cirros" ? std::int64_t{117440512} : std::int64_t{5368709120};
}

}  // namespace

Answer pause_vmi(cluster::Cluster& cluster, const std::string& action, const std::string& ns, const std::string& name,
                 const std::string& body) {
  std::string error;
  auto options = decode_options(action == "pause" ? "PauseOptions" : "UnpauseOptions", body, error);
  if (!options) return bad_request(error);
  auto vmi = cluster.store().get<VirtualMachineInstance>(ns, name);
  if (!vmi) return not_found("virtualmachineinstance", name);
  if (action == "pause") {
    if (vmi->status.phase != "Running") return conflict("virtualmachineinstance", name, "VM is not running");
    if (!vmi->spec.livenessProbe.is_null())
      return forbidden("virtualmachineinstance", name, "Pausing VMIs with LivenessProbe is currently not supported");
    if (has_condition(*vmi, "Paused")) return conflict("virtualmachineinstance", name, "VMI is already paused");
  } else {
    if (vmi->status.phase != "Running") return conflict("virtualmachineinstance", name, "VMI is not running");
    if (!has_condition(*vmi, "Paused")) return conflict("virtualmachineinstance", name, "VMI is not paused");
  }
  bool bad = false;
  error = virt_handler_error(cluster, *vmi, bad);
  if (!error.empty()) return bad ? bad_request(error) : internal_error(error);
  if (options->dry_run) return ok_empty();
  error = cluster.virt_handler(vmi->status.nodeName)->guest_action(*vmi, action);
  if (!error.empty()) return internal_error(error);
  return ok_empty();
}

Answer guest_agent_request(cluster::Cluster& cluster, const std::string& what, const std::string& ns,
                           const std::string& name) {
  auto vmi = cluster.store().get<VirtualMachineInstance>(ns, name);
  // httpGetRequestHandler answers every refusal with response.WriteError(500, err): the
  // Status's message as plain text.
  if (!vmi) return plain_error(500, not_found("virtualmachineinstance", name).message);
  if (vmi->status.phase != "Running") return plain_error(500, conflict("virtualmachineinstance", name, "VMI is not running").message);
  if (!has_condition(*vmi, "AgentConnected"))
    return plain_error(500, conflict("virtualmachineinstance", name, "VMI does not have guest agent connected").message);
  bool bad = false;
  if (auto error = virt_handler_error(cluster, *vmi, bad); !error.empty()) return plain_error(500, error);
  const auto os = guest::identify_guest(*vmi, cluster.store());
  const auto disk = boot_disk_bytes(cluster.store(), *vmi, os);
  if (what == "guestosinfo") return ok_json(guest::guest_agent_info(os, guest::view_of(*vmi, cluster.now()), disk));
  if (what == "userlist") return ok_json(guest::guest_user_list());
  return ok_json(guest::guest_filesystem_list(os, disk));
}

Answer stream_check(cluster::Cluster& cluster, const std::string& what, const std::string& ns, const std::string& name) {
  auto vmi = cluster.store().get<VirtualMachineInstance>(ns, name);
  if (!vmi) return not_found("virtualmachineinstance", name);
  const auto& devices = vmi->spec.domain.devices;
  if (what == "console") {
    if (devices.autoattachSerialConsole && !*devices.autoattachSerialConsole)
      return bad_request("No serial consoles are present.");
    if (vmi->status.phase == "Failed") return conflict("virtualmachineinstance", name, "VMI is in failed status");
  } else if (devices.autoattachGraphicsDevice && !*devices.autoattachGraphicsDevice) {
    return bad_request("No graphics devices are present.");
  }
  if (vmi->status.phase != "Running") return bad_request("VMI is not running");
  bool bad = false;
  if (auto error = virt_handler_error(cluster, *vmi, bad); !error.empty())
    return bad ? bad_request(error) : internal_error("dialing virt-handler: " + error);
  return ok_empty();
}

}  // namespace kvsim::sim::kubevirt::subresources
