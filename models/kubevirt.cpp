#include "models/kubevirt.hpp"

#include <algorithm>

#include <fmt/format.h>

#include <set>

#include "models/codec/schema.hpp"
#include "models/names.hpp"
#include "models/validation.hpp"

namespace kvsim::models {

std::string Interface::binding_method() const {
  if (masquerade) return "masquerade";
  if (bridge) return "bridge";
  if (sriov) return "sriov";
  if (binding) return "binding:" + binding->name;
  return "";
}

std::string KvVolume::source_type() const {
  if (containerDisk) return "containerDisk";
  if (cloudInitNoCloud) return "cloudInitNoCloud";
  if (cloudInitConfigDrive) return "cloudInitConfigDrive";
  if (persistentVolumeClaim) return "persistentVolumeClaim";
  if (dataVolume) return "dataVolume";
  if (emptyDisk) return "emptyDisk";
  if (ephemeral) return "ephemeral";
  if (hostDisk) return "hostDisk";
  if (!configMap.is_null()) return "configMap";
  if (!secret.is_null()) return "secret";
  if (!serviceAccount.is_null()) return "serviceAccount";
  if (!downwardAPI.is_null()) return "downwardAPI";
  if (!downwardMetrics.is_null()) return "downwardMetrics";
  if (!sysprep.is_null()) return "sysprep";
  return "";
}

std::string VirtualMachine::run_strategy() const {
  if (spec.runStrategy) return *spec.runStrategy;
  if (spec.running) return *spec.running ? "Always" : "Halted";
  return "Halted";
}

namespace {

int count_bindings(const Interface& i) {
  return (i.masquerade ? 1 : 0) + (i.bridge ? 1 : 0) + (i.sriov ? 1 : 0) + (i.binding ? 1 : 0);
}

}  // namespace

// The checks virt-api's VMI admitter applies to a VMI spec (also a VM's template).
namespace {

// virt-api's validateAccessCredentials (KubeVirt v1.5 vmi-create-admitter.go): exactly one
// credential type, source and propagation method each, the cloud-init volume a propagation
// through cloud-init needs, and a user for the guest agent to write keys for. Each message
// names the credential, as upstream's does.
void validate_access_credentials(const VMISpec& s, const std::string& field, DecodeContext& ctx) {
  const bool no_cloud = std::any_of(s.volumes.begin(), s.volumes.end(), [](const KvVolume& v) { return v.cloudInitNoCloud.has_value(); });
  const bool config_drive =
      std::any_of(s.volumes.begin(), s.volumes.end(), [](const KvVolume& v) { return v.cloudInitConfigDrive.has_value(); });
  for (std::size_t i = 0; i < s.accessCredentials.size(); ++i) {
    const auto& cred = s.accessCredentials[i];
    const auto at = fmt::format("{}[{}]", field, i);
    int count = 0;
    if (const auto& ssh = cred.sshPublicKey) {
      ++count;
      const auto& method = ssh->propagationMethod;
      const int methods = (method.noCloud ? 1 : 0) + (method.configDrive ? 1 : 0) + (method.qemuGuestAgent ? 1 : 0);
      if (method.noCloud && !no_cloud)
        ctx.invalid(at + ".sshPublicKey.propagationMethod",
                    at + " requires a noCloud volume to exist when the noCloud propagationMethod is in use.");
      if (method.configDrive && !config_drive)
        ctx.invalid(at + ".sshPublicKey.propagationMethod",
                    at + " requires a configDrive volume to exist when the configDrive propagationMethod is in use.");
      if (method.qemuGuestAgent && method.qemuGuestAgent->users.empty())
        ctx.invalid(at + ".sshPublicKey.propagationMethod.qemuGuestAgent.users",
                    at + " requires at least one user to be present in the users list");
      if (!ssh->source.secret) ctx.invalid(at + ".sshPublicKey.source", at + " must have exactly one source set");
      if (methods != 1)
        ctx.invalid(at + ".sshPublicKey.propagationMethod", at + " must have exactly one propagationMethod set");
    }
    if (const auto& password = cred.userPassword) {
      ++count;
      if (!password->source.secret) ctx.invalid(at + ".userPassword.source", at + " must have exactly one source set");
      if (!password->propagationMethod.qemuGuestAgent)
        ctx.invalid(at + ".userPassword.propagationMethod", at + " must have exactly one propagationMethod set");
    }
    if (count != 1) ctx.invalid(at, at + " must have exactly one access credential type set");
  }
}

}  // namespace

void validate_vmi_spec(const VMISpec& s, const std::string& path, DecodeContext& ctx, bool memory_from_instancetype) {
  const auto& devices = s.domain.devices;
  std::set<std::string> volumes, networks, disks, interfaces;
  for (std::size_t i = 0; i < s.volumes.size(); ++i) {
    const auto& v = s.volumes[i];
    const auto p = fmt::format("{}.volumes[{}]", path, i);
    if (!volumes.insert(v.name).second) ctx.invalid(p + ".name", fmt::format("Duplicate value: \"{}\"", v.name));
    if (v.source_type().empty())
      ctx.invalid(p, fmt::format("volume '{}' must have exactly one volume source set", v.name));
  }
  for (std::size_t i = 0; i < devices.disks.size(); ++i) {
    const auto& d = devices.disks[i];
    const auto p = fmt::format("{}.domain.devices.disks[{}]", path, i);
    if (!disks.insert(d.name).second) ctx.invalid(p + ".name", fmt::format("Duplicate value: \"{}\"", d.name));
    if (!volumes.contains(d.name)) ctx.invalid(p + ".name", fmt::format("{}.Name '{}' not found.", p, d.name));
    if ((d.disk ? 1 : 0) + (d.cdrom ? 1 : 0) + (d.lun.is_null() ? 0 : 1) > 1)
      ctx.invalid(p, fmt::format("{} can only have a single target type defined", p));
  }
  std::string pod_network;
  for (std::size_t i = 0; i < s.networks.size(); ++i) {
    const auto& n = s.networks[i];
    const auto p = fmt::format("{}.networks[{}]", path, i);
    if (!networks.insert(n.name).second) ctx.invalid(p + ".name", fmt::format("Duplicate value: \"{}\"", n.name));
    const int sources = (n.pod ? 1 : 0) + (n.multus ? 1 : 0);
    if (sources != 1) ctx.invalid(p, "should have exactly one network type (pod or multus)");
    if (n.pod) {
      if (!pod_network.empty()) ctx.invalid(p + ".pod", "more than one interface is connected to a pod network");
      pod_network = n.name;
    }
    if (n.multus && n.multus->networkName.empty()) ctx.invalid(p + ".multus.networkName", "Required value");
  }
  for (std::size_t i = 0; i < devices.interfaces.size(); ++i) {
    const auto& itf = devices.interfaces[i];
    const auto p = fmt::format("{}.domain.devices.interfaces[{}]", path, i);
    if (!interfaces.insert(itf.name).second) ctx.invalid(p + ".name", fmt::format("Duplicate value: \"{}\"", itf.name));
    if (!networks.contains(itf.name)) ctx.invalid(p + ".name", fmt::format("{}.name '{}' not found.", p, itf.name));
    const int bindings = count_bindings(itf);
    if (bindings != 1)
      ctx.invalid(p, fmt::format("interface {} must have exactly one binding method (masquerade, bridge, sriov or "
                                 "binding), found {}",
                                 itf.name, bindings));
    if (itf.masquerade && networks.contains(itf.name) && itf.name != pod_network)
      ctx.invalid(p + ".masquerade", "Masquerade interface only implemented with pod network");
    for (std::size_t j = 0; j < itf.ports.size(); ++j) {
      const auto port = itf.ports[j].port;
      if (port < 1 || port > 65535)
        ctx.invalid(fmt::format("{}.ports[{}].port", p, j),
                    invalid_value(std::to_string(port), "port must be between 1 and 65535"));
      if (!itf.masquerade)
        ctx.invalid(fmt::format("{}.ports[{}]", p, j), "port forwarding is only supported with masquerade binding");
    }
  }
  for (std::size_t i = 0; i < s.networks.size(); ++i)
    if (!interfaces.contains(s.networks[i].name))
      ctx.invalid(fmt::format("{}.networks[{}].name", path, i),
                  fmt::format("{}.networks[{}].name '{}' not found.", path, i, s.networks[i].name));
  validate_access_credentials(s, path + ".accessCredentials", ctx);
  const bool has_memory = s.domain.resources.requests.contains("memory") || s.domain.resources.limits.contains("memory") ||
                          (s.domain.memory && (s.domain.memory->guest || !s.domain.memory->hugepages.is_null()));
  if (!has_memory && !memory_from_instancetype)
    ctx.invalid(path + ".domain.resources.requests.memory",
                fmt::format("Required value: no memory requested, at least one of '{0}.domain.memory.guest', "
                            "'{0}.domain.memory.hugepages.size' or '{0}.domain.resources.requests.memory' must be set",
                            path));
  if (s.terminationGracePeriodSeconds && *s.terminationGracePeriodSeconds < 0)
    ctx.invalid(path + ".terminationGracePeriodSeconds", "Invalid value: must be >= 0");
}

// virt-api's VMI mutator, with OpenShift's masquerade default for the pod network.
void default_vmi_spec(VMISpec& s) {
  auto& devices = s.domain.devices;
  if (s.networks.empty() && devices.interfaces.empty() && devices.autoattachPodInterface.value_or(true)) {
    s.networks.push_back(Network{"default", PodNetwork{}, std::nullopt});
    Interface itf;
    itf.name = "default";
    itf.masquerade = Empty{};
    devices.interfaces.push_back(std::move(itf));
  }
  for (auto& itf : devices.interfaces) {
    if (itf.model.empty() && !itf.sriov) itf.model = "virtio";
    for (auto& p : itf.ports)
      if (p.protocol.empty()) p.protocol = "TCP";
  }
  std::set<std::string> disk_names;
  for (auto& d : devices.disks) {
    disk_names.insert(d.name);
    if (!d.disk && !d.cdrom && d.lun.is_null()) d.disk = DiskTarget{};
    if (d.disk && d.disk->bus.empty()) d.disk->bus = "virtio";
  }
  for (const auto& v : s.volumes) {
    if (disk_names.contains(v.name)) continue;
    const auto type = v.source_type();
    // Volumes that are not block devices of the guest get no disk.
    if (type == "serviceAccount" || type == "downwardMetrics") continue;
    Disk d;
    d.name = v.name;
    d.disk = DiskTarget{"virtio", std::nullopt, {}};
    devices.disks.push_back(std::move(d));
  }
  if (!s.domain.cpu) s.domain.cpu = CPU{};
  // SetDefaultGuestCPUTopology (KubeVirt v1.5 pkg/defaults): with no topology at all, the
  // sockets are the CPU limit, else the CPU request (rounded up), else 1.
  if (!s.domain.cpu->cores.value_or(0) && !s.domain.cpu->sockets.value_or(0) && !s.domain.cpu->threads.value_or(0)) {
    const auto& r = s.domain.resources;
    const Quantity* cpu = nullptr;
    if (auto it = r.limits.find("cpu"); it != r.limits.end()) cpu = &it->second;
    else if (auto req = r.requests.find("cpu"); req != r.requests.end()) cpu = &req->second;
    if (cpu && cpu->units_ceil() > 1)
      s.domain.cpu->sockets = static_cast<std::int32_t>(std::min<std::int64_t>(cpu->units_ceil(), 1 << 20));
  }
  if (!s.domain.cpu->cores) s.domain.cpu->cores = 1;
  if (!s.domain.cpu->sockets) s.domain.cpu->sockets = 1;
  if (!s.domain.cpu->threads) s.domain.cpu->threads = 1;
  // Guest memory and the memory request stand in for each other.
  auto& requests = s.domain.resources.requests;
  if (s.domain.memory && s.domain.memory->guest && !requests.contains("memory"))
    requests["memory"] = *s.domain.memory->guest;
  if (!requests.contains("memory") && s.domain.resources.limits.contains("memory"))
    requests["memory"] = s.domain.resources.limits.at("memory");
  if (requests.contains("memory") && !(s.domain.memory && s.domain.memory->guest)) {
    if (!s.domain.memory) s.domain.memory = Memory{};
    s.domain.memory->guest = requests["memory"];
  }
  if (s.domain.machine.is_null()) s.domain.machine = Json{{"type", "q35"}};
  if (!s.terminationGracePeriodSeconds) s.terminationGracePeriodSeconds = 30;
}

namespace {

void validate_vmi(const Object& o, DecodeContext& ctx) {
  const auto& vmi = static_cast<const VirtualMachineInstance&>(o);
  validate_metadata(vmi.metadata, true, NameRule::Subdomain, ctx);
  validate_vmi_spec(vmi.spec, "spec", ctx);
}

void default_vmi(Object& o) {
  auto& vmi = static_cast<VirtualMachineInstance&>(o);
  default_vmi_spec(vmi.spec);
  if (!vmi.metadata.has_finalizer("kubevirt.io/foregroundDeleteVirtualMachine"))
    vmi.metadata.finalizers.push_back("kubevirt.io/foregroundDeleteVirtualMachine");
}

void validate_vm(const Object& o, DecodeContext& ctx) {
  const auto& vm = static_cast<const VirtualMachine&>(o);
  validate_metadata(vm.metadata, true, NameRule::Subdomain, ctx);
  if (vm.spec.running && vm.spec.runStrategy)
    ctx.invalid("spec.running",
                "Running and RunStrategy are mutually exclusive. Note that Running is deprecated, please use "
                "RunStrategy instead");
  validate_vmi_spec(vm.spec.template_.spec, "spec.template.spec", ctx, vm.spec.instancetype.has_value());
  std::set<std::string> dv_volumes;
  for (const auto& v : vm.spec.template_.spec.volumes)
    if (v.dataVolume) dv_volumes.insert(v.dataVolume->name);
  for (std::size_t i = 0; i < vm.spec.dataVolumeTemplates.size(); ++i) {
    const auto& name = vm.spec.dataVolumeTemplates[i].metadata.name;
    const auto p = fmt::format("spec.dataVolumeTemplates[{}]", i);
    if (name.empty()) ctx.invalid(p + ".metadata.name", "Required value");
    else if (!dv_volumes.contains(name))
      ctx.invalid(p, fmt::format("DataVolumeTemplate entry {} must be referenced in the VMI template's 'volumes' list", p));
  }
}

void default_vm(Object& o) {
  auto& vm = static_cast<VirtualMachine&>(o);
  if (!vm.spec.running && !vm.spec.runStrategy) vm.spec.runStrategy = "Halted";
  // The CRD's default for status.printableStatus.
  if (vm.status.printableStatus.empty()) vm.status.printableStatus = "Stopped";
}

void validate_vmim(const Object& o, DecodeContext& ctx) {
  const auto& m = static_cast<const VirtualMachineInstanceMigration&>(o);
  validate_metadata(m.metadata, true, NameRule::Subdomain, ctx);
  if (m.spec.vmiName.empty()) ctx.invalid("spec.vmiName", "Required value: must be set");
}

void validate_vmirs(const Object& o, DecodeContext& ctx) {
  const auto& rs = static_cast<const VirtualMachineInstanceReplicaSet&>(o);
  validate_metadata(rs.metadata, true, NameRule::Subdomain, ctx);
  if (rs.spec.replicas && *rs.spec.replicas < 0)
    ctx.invalid("spec.replicas", invalid_value(std::to_string(*rs.spec.replicas), "must be greater than or equal to 0"));
  validate_workload_selector(rs.spec.selector, rs.spec.template_.metadata.labels, "spec.selector", ctx);
  validate_vmi_spec(rs.spec.template_.spec, "spec.template.spec", ctx);
}

void default_vmirs(Object& o) {
  auto& rs = static_cast<VirtualMachineInstanceReplicaSet&>(o);
  if (!rs.spec.replicas) rs.spec.replicas = 1;
}

void validate_nad(const Object& o, DecodeContext& ctx) {
  const auto& nad = static_cast<const NetworkAttachmentDefinition&>(o);
  validate_metadata(nad.metadata, true, NameRule::Subdomain, ctx);
  if (!nad.spec.config.empty() && !Json::accept(nad.spec.config))
    ctx.invalid("spec.config", "Invalid value: the CNI config is not valid JSON");
}

}  // namespace

const KindInfo& VirtualMachineInstance::kind_info() {
  static const KindInfo info = with_schema<VirtualMachineInstance>(
      {"VirtualMachineInstance", "kubevirt.io/v1", "virtualmachineinstances", {"vmi", "vmis"}, true, {},
       &decode_kind<VirtualMachineInstance>, &validate_vmi, &default_vmi});
  return info;
}
const KindInfo& VirtualMachine::kind_info() {
  static const KindInfo info = with_schema<VirtualMachine>(
      {"VirtualMachine", "kubevirt.io/v1", "virtualmachines", {"vm", "vms"}, true, {}, &decode_kind<VirtualMachine>,
       &validate_vm, &default_vm});
  return info;
}
const KindInfo& VirtualMachineInstanceMigration::kind_info() {
  static const KindInfo info = with_schema<VirtualMachineInstanceMigration>(
      {"VirtualMachineInstanceMigration", "kubevirt.io/v1", "virtualmachineinstancemigrations", {"vmim", "vmims"}, true,
       {}, &decode_kind<VirtualMachineInstanceMigration>, &validate_vmim, nullptr});
  return info;
}
const KindInfo& VirtualMachineInstanceReplicaSet::kind_info() {
  static const KindInfo info = with_schema<VirtualMachineInstanceReplicaSet>(
      {"VirtualMachineInstanceReplicaSet", "kubevirt.io/v1", "virtualmachineinstancereplicasets", {"vmirs", "vmirss"},
       true, {}, &decode_kind<VirtualMachineInstanceReplicaSet>, &validate_vmirs, &default_vmirs});
  return info;
}
const KindInfo& NetworkAttachmentDefinition::kind_info() {
  static const KindInfo info = with_schema<NetworkAttachmentDefinition>(
      {"NetworkAttachmentDefinition", "k8s.cni.cncf.io/v1", "network-attachment-definitions", {"net-attach-def"}, true,
       {}, &decode_kind<NetworkAttachmentDefinition>, &validate_nad, nullptr, false});
  return info;
}

}  // namespace kvsim::models
