#include "sim/commands/vmi_data_commands.hpp"

#include <fmt/format.h>

#include "models/kubevirt.hpp"
#include "sim/commands/flags.hpp"
#include "sim/kubevirt/storage/vmi_volumes.hpp"

namespace kvsim::sim::commands {
namespace {

using models::VirtualMachineInstance;

std::string strip_kind(const std::string& name) {
  auto slash = name.find('/');
  return slash == std::string::npos ? name : name.substr(slash + 1);
}

// A VMI that virt-api would open a subresource connection to (it must be Running).
std::shared_ptr<const VirtualMachineInstance> running_vmi(cluster::Cluster& cluster, const std::string& ns,
                                                          const std::string& name, std::string& error) {
  auto vmi = cluster.store().get<VirtualMachineInstance>(ns, name);
  if (!vmi) {
    error = fmt::format("Error from server (NotFound): virtualmachineinstances.kubevirt.io \"{}\" not found", name);
    return nullptr;
  }
  if (vmi->status.phase != "Running") {
    error = fmt::format("error: can't access VMI {}: VMI is not running", name);
    return nullptr;
  }
  return vmi;
}

std::shared_ptr<const models::Pod> launcher_pod_of(cluster::Cluster& cluster, const VirtualMachineInstance& vmi) {
  for (const auto& o : cluster.store().owned_by(vmi.metadata.uid))
    if (o->kind == "Pod" && !o->metadata.being_deleted()) return std::static_pointer_cast<const models::Pod>(o);
  return nullptr;
}

bool parse_port(const std::string& s, int& out) {
  if (s.empty() || s.size() > 5 || s.find_first_not_of("0123456789") != std::string::npos) return false;
  out = std::stoi(s);
  return out >= 1 && out <= 65535;
}

}  // namespace

Outcome port_forward_command(cluster::Cluster& cluster, const std::vector<std::string>& args) {
  Flags f = parse_flags(args);
  if (!f.error.empty()) return {{}, "error: " + f.error};
  if (f.positional.size() != 2) return {{}, "error: usage: port-forward vmi/NAME LOCAL:REMOTE [-n NS]"};
  const auto& target = f.positional[0];
  if (!target.starts_with("vmi/") && !target.starts_with("vm/") && !target.starts_with("vmi.") &&
      !target.starts_with("vm."))
    return {{}, "error: target must be vmi/NAME or vm/NAME"};
  int local = 0, remote = 0;
  const auto& ports = f.positional[1];
  const auto colon = ports.find(':');
  const std::string local_s = colon == std::string::npos ? ports : ports.substr(0, colon);
  const std::string remote_s = colon == std::string::npos ? ports : ports.substr(colon + 1);
  if (!parse_port(local_s, local) || !parse_port(remote_s, remote))
    return {{}, fmt::format("error: invalid port \"{}\": want LOCAL:REMOTE, each 1-65535", ports)};
  std::string error;
  auto vmi = running_vmi(cluster, f.ns, strip_kind(target), error);
  if (!vmi) return {{}, error};
  auto pod = launcher_pod_of(cluster, *vmi);
  // The tunnel ends in the launcher pod's network namespace: only the pod network's interface is reached.
  const models::Interface* itf = nullptr;
  for (const auto& n : vmi->spec.networks)
    if (n.pod)
      for (const auto& i : vmi->spec.domain.devices.interfaces)
        if (i.name == n.name) itf = &i;
  if (!itf || !pod)
    return {{}, fmt::format("error: VMI {} has no interface on the pod network: port-forward reaches only that one",
                            vmi->metadata.name)};
  std::string last_hop;
  if (itf->masquerade) {
    if (!itf->ports.empty()) {
      bool listed = false;
      std::string list;
      for (const auto& p : itf->ports) {
        if (p.port == remote && p.protocol != "UDP") listed = true;
        list += (list.empty() ? "" : ", ") + std::to_string(p.port);
      }
      if (!listed)
        return {{}, fmt::format("error: port {} of VMI {} is not forwarded: masquerade interface {} forwards only "
                                "ports [{}] to the guest (add it to spec.domain.devices.interfaces[].ports)",
                                remote, vmi->metadata.name, itf->name, list)};
    }
    last_hop = fmt::format("masquerade NAT ({}:{} -> guest 10.0.2.2:{})", pod->status.podIP, remote, remote);
  } else if (itf->bridge) {
    last_hop = fmt::format("bridge (the guest holds the pod IP itself): guest {}:{}", pod->status.podIP, remote);
  } else {
    last_hop = fmt::format("binding {}: guest port {}", itf->binding_method(), remote);
  }
  std::string out = fmt::format("Forwarding from 127.0.0.1:{} -> {}\n", local, remote);
  out += fmt::format("Forwarding from [::1]:{} -> {}\n", local, remote);
  out += fmt::format(
      "path: localhost:{} -> API server (virtualmachineinstances/{}/portforward/{}/tcp, upgraded to a stream) -> "
      "virt-handler on {} -> launcher pod {} ({}) -> {}\n",
      local, vmi->metadata.name, remote, vmi->status.nodeName, pod->metadata.name, pod->status.podIP, last_hop);
  out += "(the guest port is otherwise reachable only from inside the cluster, unless a Service or Route exposes it)\n";
  return {out, {}};
}

Outcome guest_disk_command(cluster::Cluster& cluster, const std::vector<std::string>& args) {
  Flags f = parse_flags(args);
  if (!f.error.empty()) return {{}, "error: " + f.error};
  const auto& p = f.positional;
  const bool write = !p.empty() && p[0] == "write";
  if (p.empty() || (write && p.size() < 4) || (!write && (p[0] != "read" || p.size() != 3)))
    return {{}, "error: usage: guest write VMI DISK TEXT... | guest read VMI DISK [-n NS]"};
  std::string error;
  auto vmi = running_vmi(cluster, f.ns, strip_kind(p[1]), error);
  if (!vmi) return {{}, error};
  const std::string& disk = p[2];
  const models::KvVolume* volume = nullptr;
  for (const auto& v : vmi->spec.volumes)
    if (v.name == disk) volume = &v;
  if (!volume) return {{}, fmt::format("error: VMI {} has no disk \"{}\"", vmi->metadata.name, disk)};
  if (volume->cloudInitNoCloud || volume->cloudInitConfigDrive || !volume->configMap.is_null() ||
      !volume->secret.is_null())
    return {{}, fmt::format("error: disk {} is read-only in the guest", disk)};
  // Find the object that holds the bytes: the PV bound to the claim, or the launcher pod.
  std::shared_ptr<const models::Object> holder;
  std::string where;
  const auto claim = kubevirt::storage::claim_of(*volume);
  if (!claim.empty()) {
    auto pvc = cluster.store().get<models::PersistentVolumeClaim>(vmi->metadata.namespace_, claim);
    if (pvc && !pvc->spec.volumeName.empty()) holder = cluster.store().get<models::PersistentVolume>("", pvc->spec.volumeName);
    where = fmt::format("PersistentVolumeClaim {} (volume {}): kept when the VMI goes", claim,
                        pvc ? pvc->spec.volumeName : std::string("?"));
  } else {
    holder = launcher_pod_of(cluster, *vmi);
    where = fmt::format("{} {}: a writable layer in launcher pod {}, lost when the VMI goes", volume->source_type(), disk,
                        holder ? holder->metadata.name : std::string("?"));
  }
  if (!holder) return {{}, fmt::format("error: disk {} of VMI {} has no backing store yet", disk, vmi->metadata.name)};
  // A pod may hold several ephemeral disks; a PV is one disk.
  const std::string annotation = claim.empty() ? std::string(kDiskDataAnnotation) + "." + disk : kDiskDataAnnotation;
  if (!write) {
    auto it = holder->metadata.annotations.find(annotation);
    if (it == holder->metadata.annotations.end()) return {fmt::format("(disk {} holds no data written by the guest)\n", disk), {}};
    return {it->second + "\n", {}};
  }
  std::string text;
  for (std::size_t i = 3; i < p.size(); ++i) text += (i > 3 ? " " : "") + p[i];
  auto next = holder->clone();
  next->metadata.annotations[annotation] = text;
  next->metadata.resourceVersion.clear();
  auto r = cluster.store().update(next, api::Cause{"guest/" + vmi->metadata.name, "disk " + disk + " written",
                                                   "the guest wrote to its disk"});
  if (!r.ok()) return {{}, "error: " + r.error};
  return {fmt::format("wrote {} bytes to disk {} of {}: {}\n", text.size(), disk, vmi->metadata.name, where), {}};
}

}  // namespace kvsim::sim::commands
