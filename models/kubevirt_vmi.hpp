#pragma once
// kubevirt.io/v1 VirtualMachineInstance: its spec (domain, devices, networks, volumes),
// its status, and the checks and defaults virt-api applies to a VMI spec (also to a
// VM's template). Field names and required fields follow KubeVirt's OpenAPI schema.
#include "models/boxed.hpp"
#include "models/core.hpp"
#include "models/kubevirt_vmi_unsimulated.hpp"

namespace kvsim::models {

struct KvResourceRequirements {
  ResourceList requests;
  ResourceList limits;
  std::optional<bool> overcommitGuestOverhead;
};
template <class V>
void visit_fields(V& v, KvResourceRequirements& r) {
  v.field("requests", r.requests);
  v.field("limits", r.limits);
  v.field("overcommitGuestOverhead", r.overcommitGuestOverhead);
}

struct CPU {
  std::optional<std::int32_t> cores, sockets, threads, maxSockets;
  std::string model;
  std::optional<bool> dedicatedCpuPlacement, isolateEmulatorThread;
  Json features, numa, realtime;
};
template <class V>
void visit_fields(V& v, CPU& c) {
  v.field("cores", c.cores);
  v.field("sockets", c.sockets);
  v.field("threads", c.threads);
  v.field("maxSockets", c.maxSockets);
  v.field("model", c.model);
  v.field("dedicatedCpuPlacement", c.dedicatedCpuPlacement);
  v.field("isolateEmulatorThread", c.isolateEmulatorThread);
  v.not_simulated("features", c.features);
  v.not_simulated("numa", c.numa);
  v.not_simulated("realtime", c.realtime);
}

struct Memory {
  std::optional<Quantity> guest, maxGuest;
  Json hugepages;
  std::optional<ReservedOverhead> reservedOverhead;
};
template <class V>
void visit_fields(V& v, Memory& m) {
  v.field("guest", m.guest);
  v.field("maxGuest", m.maxGuest);
  v.not_simulated("hugepages", m.hugepages);
  v.not_simulated("reservedOverhead", m.reservedOverhead);
}

struct DiskTarget {
  std::string bus;
  std::optional<bool> readonly;
  std::string pciAddress;
};
template <class V>
void visit_fields(V& v, DiskTarget& d) {
  v.enumerated("bus", d.bus, {"virtio", "sata", "scsi", "usb"});
  v.field("readonly", d.readonly);
  v.field("pciAddress", d.pciAddress);
}

struct CDRomTarget {
  std::string bus;
  std::optional<bool> readonly;
  std::string tray;
};
template <class V>
void visit_fields(V& v, CDRomTarget& d) {
  v.enumerated("bus", d.bus, {"sata", "scsi"});
  v.field("readonly", d.readonly);
  v.enumerated("tray", d.tray, {"open", "closed"});
}

struct Disk {
  std::string name;
  std::optional<DiskTarget> disk;
  std::optional<CDRomTarget> cdrom;
  Json lun;
  std::optional<std::int32_t> bootOrder;
  std::string serial, cache, io, errorPolicy;
  std::optional<bool> dedicatedIOThread, shareable, changedBlockTracking;
  Json blockSize;
  std::string tag;
};
template <class V>
void visit_fields(V& v, Disk& d) {
  v.field("name", d.name, Required);
  v.field("disk", d.disk);
  v.field("cdrom", d.cdrom);
  v.opaque("lun", d.lun);
  v.field("bootOrder", d.bootOrder);
  v.field("serial", d.serial);
  v.enumerated("cache", d.cache, {"none", "writethrough", "writeback"});
  v.enumerated("io", d.io, {"native", "threads"});
  v.enumerated("errorPolicy", d.errorPolicy, {"stop", "ignore", "report", "enospace"});
  v.field("dedicatedIOThread", d.dedicatedIOThread);
  v.field("shareable", d.shareable);
  v.not_simulated("blockSize", d.blockSize);
  v.field("tag", d.tag);
  v.not_simulated("changedBlockTracking", d.changedBlockTracking);
}

struct Port {
  std::string name;
  std::int32_t port = 0;
  std::string protocol;
};
template <class V>
void visit_fields(V& v, Port& p) {
  v.field("name", p.name);
  v.field("port", p.port, Required);
  v.enumerated("protocol", p.protocol, {"TCP", "UDP"});
}

struct PluginBinding {
  std::string name;
};
template <class V>
void visit_fields(V& v, PluginBinding& b) {
  v.field("name", b.name, Required);
}

struct Interface {
  std::string name;
  std::string model;
  std::string macAddress;
  std::optional<std::int32_t> bootOrder;
  std::string pciAddress;
  std::vector<Port> ports;
  std::optional<Empty> masquerade, bridge, sriov;
  std::optional<PluginBinding> binding;
  std::string state;
  std::optional<DHCPOptions> dhcpOptions;
  Json tag;
  std::vector<PortRange> portRanges;
  std::optional<std::int32_t> acpiIndex;

  // The binding method named by this interface: "masquerade", "bridge",
  // "sriov", "binding:<plugin>" or "" when none is set.
  std::string binding_method() const;
};
template <class V>
void visit_fields(V& v, Interface& i) {
  v.field("name", i.name, Required);
  v.enumerated("model", i.model, {"e1000", "e1000e", "igb", "ne2k_pci", "pcnet", "rtl8139", "virtio"});
  v.field("macAddress", i.macAddress);
  v.field("bootOrder", i.bootOrder);
  v.field("pciAddress", i.pciAddress);
  v.field("ports", i.ports);
  v.field("masquerade", i.masquerade);
  v.field("bridge", i.bridge);
  v.field("sriov", i.sriov);
  v.field("binding", i.binding);
  v.enumerated("state", i.state, {"absent", "down", "up"});
  v.not_simulated("dhcpOptions", i.dhcpOptions);
  v.not_simulated("tag", i.tag);
  v.field("acpiIndex", i.acpiIndex);
  v.not_modelled("macvtap");
  v.not_modelled("passt");
  v.not_modelled("passtBinding");
  v.not_modelled("slirp");
  v.not_simulated("portRanges", i.portRanges);
}

struct Devices {
  std::vector<Disk> disks;
  std::vector<Interface> interfaces;
  std::optional<bool> autoattachPodInterface, autoattachGraphicsDevice, autoattachSerialConsole,
      autoattachMemBalloon, autoattachInputDevice, autoattachVSOCK, networkInterfaceMultiqueue, blockMultiQueue,
      useVirtioTransitional, disableHotplug, logSerialConsole;
  Json rng, tpm, inputs, sound, clientPassthrough, downwardMetrics;
  std::optional<Watchdog> watchdog;
  std::optional<VideoDevice> video;
  std::vector<PanicDevice> panicDevices;
};
template <class V>
void visit_fields(V& v, Devices& d) {
  v.field("disks", d.disks);
  v.field("interfaces", d.interfaces);
  v.field("autoattachPodInterface", d.autoattachPodInterface);
  v.field("autoattachGraphicsDevice", d.autoattachGraphicsDevice);
  v.field("autoattachSerialConsole", d.autoattachSerialConsole);
  v.field("autoattachMemBalloon", d.autoattachMemBalloon);
  v.field("autoattachInputDevice", d.autoattachInputDevice);
  v.field("autoattachVSOCK", d.autoattachVSOCK);
  v.field("networkInterfaceMultiqueue", d.networkInterfaceMultiqueue);
  v.field("blockMultiQueue", d.blockMultiQueue);
  v.field("useVirtioTransitional", d.useVirtioTransitional);
  v.field("disableHotplug", d.disableHotplug);
  v.field("logSerialConsole", d.logSerialConsole);
  // tpm and downwardMetrics are simulated as the launcher's memory overhead they add.
  v.not_simulated("rng", d.rng);
  v.opaque("tpm", d.tpm);
  v.not_simulated("watchdog", d.watchdog);
  v.not_simulated("inputs", d.inputs);
  v.not_simulated("sound", d.sound);
  v.not_simulated("video", d.video);
  v.not_simulated("clientPassthrough", d.clientPassthrough);
  v.opaque("downwardMetrics", d.downwardMetrics);
  v.not_simulated("panicDevices", d.panicDevices);
  v.not_modelled("gpus");
  v.not_modelled("hostDevices");
  v.not_modelled("filesystems");
}

struct DomainSpec {
  KvResourceRequirements resources;
  Boxed<CPU> cpu;
  Boxed<Memory> memory;
  Json machine, firmware, clock, features;
  Boxed<Chassis> chassis;
  Devices devices;
  std::string ioThreadsPolicy;
  Boxed<DiskIOThreads> ioThreads;
  std::string rebootPolicy;
};
template <class V>
void visit_fields(V& v, DomainSpec& d) {
  v.field("resources", d.resources);
  v.field("cpu", d.cpu);
  v.field("memory", d.memory);
  v.opaque("machine", d.machine);  // defaulted by virt-api (the machine type) on every VMI: not worth a note
  v.opaque("firmware", d.firmware);  // simulated: a kernel boot container joins the launcher pod
  v.not_simulated("clock", d.clock);
  v.opaque("features", d.features);  // the guest OS reads Hyper-V enlightenments
  v.not_simulated("chassis", d.chassis);
  v.field("devices", d.devices, Required);
  v.not_simulated("ioThreadsPolicy", d.ioThreadsPolicy, {"shared", "auto", "supplementalPool"});
  v.not_simulated("ioThreads", d.ioThreads);
  v.enumerated("rebootPolicy", d.rebootPolicy, {"Reboot", "Terminate"});
  v.not_modelled("launchSecurity");
}

struct PodNetwork {
  std::string vmNetworkCIDR, vmIPv6NetworkCIDR;
};
template <class V>
void visit_fields(V& v, PodNetwork& p) {
  v.field("vmNetworkCIDR", p.vmNetworkCIDR);
  v.field("vmIPv6NetworkCIDR", p.vmIPv6NetworkCIDR);
}

struct MultusNetwork {
  std::string networkName;
  std::optional<bool> default_;
};
template <class V>
void visit_fields(V& v, MultusNetwork& m) {
  v.field("networkName", m.networkName, Required);
  v.field("default", m.default_);
}

struct Network {
  std::string name;
  std::optional<PodNetwork> pod;
  std::optional<MultusNetwork> multus;
};
template <class V>
void visit_fields(V& v, Network& n) {
  v.field("name", n.name, Required);
  v.field("pod", n.pod);
  v.field("multus", n.multus);
  v.not_modelled("resourceClaim");
}

struct ContainerDiskSource {
  std::string image, imagePullPolicy, path, imagePullSecret;
};
template <class V>
void visit_fields(V& v, ContainerDiskSource& c) {
  v.field("image", c.image, Required);
  v.enumerated("imagePullPolicy", c.imagePullPolicy, {"Always", "IfNotPresent", "Never"});
  v.field("path", c.path);
  v.field("imagePullSecret", c.imagePullSecret);
}

struct CloudInitSource {
  std::string userData, userDataBase64, networkData, networkDataBase64;
  Json secretRef, networkDataSecretRef;
};
template <class V>
void visit_fields(V& v, CloudInitSource& c) {
  v.field("userData", c.userData);
  v.field("userDataBase64", c.userDataBase64);
  v.field("networkData", c.networkData);
  v.field("networkDataBase64", c.networkDataBase64);
  v.opaque("secretRef", c.secretRef);
  v.opaque("networkDataSecretRef", c.networkDataSecretRef);
}

struct KvPVCSource {
  std::string claimName;
  std::optional<bool> readOnly, hotpluggable;
};
template <class V>
void visit_fields(V& v, KvPVCSource& s) {
  v.field("claimName", s.claimName, Required);
  v.field("readOnly", s.readOnly);
  v.field("hotpluggable", s.hotpluggable);
}

struct DataVolumeSource {
  std::string name;
  std::optional<bool> hotpluggable;
};
template <class V>
void visit_fields(V& v, DataVolumeSource& s) {
  v.field("name", s.name, Required);
  v.field("hotpluggable", s.hotpluggable);
}

struct EmptyDiskSource {
  Quantity capacity;
};
template <class V>
void visit_fields(V& v, EmptyDiskSource& s) {
  v.field("capacity", s.capacity, Required);
}

struct HostDisk {
  std::string path, type;
  std::optional<Quantity> capacity;
  std::optional<bool> shared;
};
template <class V>
void visit_fields(V& v, HostDisk& h) {
  v.field("path", h.path, Required);
  v.enumerated("type", h.type, {"Disk", "DiskOrCreate"}, Required);
  v.field("capacity", h.capacity);
  v.field("shared", h.shared);
}

struct EphemeralVolumeSource {
  std::optional<PVCVolumeSource> persistentVolumeClaim;
};
template <class V>
void visit_fields(V& v, EphemeralVolumeSource& e) {
  v.field("persistentVolumeClaim", e.persistentVolumeClaim);
}

struct KvVolume {
  std::string name;
  std::optional<ContainerDiskSource> containerDisk;
  std::optional<CloudInitSource> cloudInitNoCloud, cloudInitConfigDrive;
  std::optional<KvPVCSource> persistentVolumeClaim;
  std::optional<DataVolumeSource> dataVolume;
  std::optional<EmptyDiskSource> emptyDisk;
  std::optional<EphemeralVolumeSource> ephemeral;
  std::optional<HostDisk> hostDisk;
  Json configMap, secret, serviceAccount, downwardAPI, downwardMetrics, sysprep;

  // The volume source's field name ("containerDisk", ...), "" when none is set.
  std::string source_type() const;
};
template <class V>
void visit_fields(V& v, KvVolume& k) {
  v.field("name", k.name, Required);
  v.field("containerDisk", k.containerDisk);
  v.field("cloudInitNoCloud", k.cloudInitNoCloud);
  v.field("cloudInitConfigDrive", k.cloudInitConfigDrive);
  v.field("persistentVolumeClaim", k.persistentVolumeClaim);
  v.field("dataVolume", k.dataVolume);
  v.field("emptyDisk", k.emptyDisk);
  v.field("ephemeral", k.ephemeral);
  v.field("hostDisk", k.hostDisk);
  v.opaque("configMap", k.configMap);
  v.opaque("secret", k.secret);
  v.opaque("serviceAccount", k.serviceAccount);
  v.not_simulated("downwardAPI", k.downwardAPI);
  v.opaque("downwardMetrics", k.downwardMetrics);
  v.not_simulated("sysprep", k.sysprep);
  v.not_modelled("memoryDump");
  v.not_modelled("containerPath");
}

// spec.accessCredentials (KubeVirt v1.5 staging/src/kubevirt.io/api/core/v1/schema.go): SSH
// public keys or user passwords from a Secret, handed to the guest through cloud-init's
// metadata (noCloud, configDrive) or written by virt-launcher through the guest agent.
struct AccessCredentialSecretSource {
  std::string secretName;
};
template <class V>
void visit_fields(V& v, AccessCredentialSecretSource& s) {
  v.field("secretName", s.secretName, Required);
}

// The source of an access credential (Only one of its members may be specified).
struct AccessCredentialSource {
  std::optional<AccessCredentialSecretSource> secret;
};
template <class V>
void visit_fields(V& v, AccessCredentialSource& s) {
  v.field("secret", s.secret);
}

struct QemuGuestAgentSSHPropagation {
  std::vector<std::string> users;
};
template <class V>
void visit_fields(V& v, QemuGuestAgentSSHPropagation& q) {
  v.field("users", q.users, Required);
}

struct SSHPublicKeyPropagationMethod {
  std::optional<Empty> configDrive, noCloud;
  std::optional<QemuGuestAgentSSHPropagation> qemuGuestAgent;
};
template <class V>
void visit_fields(V& v, SSHPublicKeyPropagationMethod& m) {
  v.field("configDrive", m.configDrive);
  v.field("noCloud", m.noCloud);
  v.field("qemuGuestAgent", m.qemuGuestAgent);
}

struct SSHPublicKeyAccessCredential {
  AccessCredentialSource source;
  SSHPublicKeyPropagationMethod propagationMethod;
};
template <class V>
void visit_fields(V& v, SSHPublicKeyAccessCredential& c) {
  v.field("source", c.source, Required);
  v.field("propagationMethod", c.propagationMethod, Required);
}

struct UserPasswordPropagationMethod {
  std::optional<Empty> qemuGuestAgent;
};
template <class V>
void visit_fields(V& v, UserPasswordPropagationMethod& m) {
  v.field("qemuGuestAgent", m.qemuGuestAgent);
}

struct UserPasswordAccessCredential {
  AccessCredentialSource source;
  UserPasswordPropagationMethod propagationMethod;
};
template <class V>
void visit_fields(V& v, UserPasswordAccessCredential& c) {
  v.field("source", c.source, Required);
  v.field("propagationMethod", c.propagationMethod, Required);
}

struct AccessCredential {
  std::optional<SSHPublicKeyAccessCredential> sshPublicKey;
  std::optional<UserPasswordAccessCredential> userPassword;
  // The Secret it reads ("" when it names none).
  std::string secret_name() const {
    if (sshPublicKey) return sshPublicKey->source.secret ? sshPublicKey->source.secret->secretName : std::string();
    if (userPassword) return userPassword->source.secret ? userPassword->source.secret->secretName : std::string();
    return {};
  }
};
template <class V>
void visit_fields(V& v, AccessCredential& c) {
  v.field("sshPublicKey", c.sshPublicKey);
  v.field("userPassword", c.userPassword);
}

struct VMISpec {
  DomainSpec domain;
  std::vector<Network> networks;
  std::vector<KvVolume> volumes;
  std::optional<std::int64_t> terminationGracePeriodSeconds;
  std::optional<std::string> evictionStrategy;
  std::map<std::string, std::string> nodeSelector;
  Boxed<Affinity> affinity;
  std::vector<Toleration> tolerations;
  std::string hostname, subdomain, priorityClassName, schedulerName, serviceAccountName;
  std::string startStrategy, architecture, dnsPolicy;
  Json livenessProbe, readinessProbe;
  std::vector<AccessCredential> accessCredentials;
  Boxed<PodDNSConfig> dnsConfig;
  std::vector<TopologySpreadConstraint> topologySpreadConstraints;
};
template <class V>
void visit_fields(V& v, VMISpec& s) {
  v.field("domain", s.domain, Required);
  v.field("networks", s.networks);
  v.field("volumes", s.volumes);
  v.field("terminationGracePeriodSeconds", s.terminationGracePeriodSeconds);
  v.enumerated("evictionStrategy", s.evictionStrategy, {"None", "LiveMigrate", "LiveMigrateIfPossible", "External"});
  v.field("nodeSelector", s.nodeSelector);
  v.field("affinity", s.affinity);
  v.field("tolerations", s.tolerations);
  v.field("hostname", s.hostname);
  v.field("subdomain", s.subdomain);
  v.field("priorityClassName", s.priorityClassName);
  v.field("schedulerName", s.schedulerName);
  v.field("serviceAccountName", s.serviceAccountName);
  v.enumerated("startStrategy", s.startStrategy, {"Paused"});
  v.field("architecture", s.architecture);
  v.enumerated("dnsPolicy", s.dnsPolicy, {"ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"});
  v.opaque("livenessProbe", s.livenessProbe);
  v.not_simulated("readinessProbe", s.readinessProbe);
  v.field("accessCredentials", s.accessCredentials);
  v.not_simulated("dnsConfig", s.dnsConfig);
  v.not_simulated("topologySpreadConstraints", s.topologySpreadConstraints);
  v.not_modelled("resourceClaims");
  v.not_modelled("utilityVolumes");
}

struct VMINetworkInterfaceStatus {
  std::string name, ipAddress, mac, interfaceName, infoSource, podInterfaceName, linkState;
  std::vector<std::string> ipAddresses;
  std::optional<std::int32_t> queueCount;
};
template <class V>
void visit_fields(V& v, VMINetworkInterfaceStatus& s) {
  v.field("name", s.name);
  v.field("ipAddress", s.ipAddress);
  v.field("ipAddresses", s.ipAddresses);
  v.field("mac", s.mac);
  v.field("interfaceName", s.interfaceName);
  v.field("infoSource", s.infoSource);
  v.field("podInterfaceName", s.podInterfaceName);
  v.field("queueCount", s.queueCount);
  v.field("linkState", s.linkState);
}

struct PhaseTransition {
  std::string phase;
  std::optional<Timestamp> phaseTransitionTimestamp;
};
template <class V>
void visit_fields(V& v, PhaseTransition& p) {
  v.field("phase", p.phase);
  v.field("phaseTransitionTimestamp", p.phaseTransitionTimestamp);
}

struct VMIStatus {
  std::string phase;
  std::string reason;
  std::string nodeName;
  std::vector<Condition> conditions;
  std::vector<VMINetworkInterfaceStatus> interfaces;
  std::vector<PhaseTransition> phaseTransitionTimestamps;
  std::map<std::string, std::string> activePods;  // launcher pod UID -> node
  std::string qosClass, migrationMethod, launcherContainerImageVersion, evacuationNodeName;
  std::string virtualMachineRevisionName;
  Json guestOSInfo, migrationState, volumeStatus;
  // Upstream's CPUTopology, MemoryStatus and Machine, kept as their JSON (nothing reads them back).
  Json currentCPUTopology, memory, machine;
};
template <class V>
void visit_fields(V& v, VMIStatus& s) {
  v.field("phase", s.phase);
  v.field("reason", s.reason);
  v.field("nodeName", s.nodeName);
  v.field("conditions", s.conditions);
  v.field("interfaces", s.interfaces);
  v.field("phaseTransitionTimestamps", s.phaseTransitionTimestamps);
  v.field("activePods", s.activePods);
  v.field("qosClass", s.qosClass);
  v.field("migrationMethod", s.migrationMethod);
  v.field("launcherContainerImageVersion", s.launcherContainerImageVersion);
  v.field("evacuationNodeName", s.evacuationNodeName);
  v.opaque("guestOSInfo", s.guestOSInfo);
  v.opaque("migrationState", s.migrationState);
  v.opaque("volumeStatus", s.volumeStatus);
  v.opaque("currentCPUTopology", s.currentCPUTopology);
  v.opaque("memory", s.memory);
  v.opaque("machine", s.machine);
  v.field("virtualMachineRevisionName", s.virtualMachineRevisionName);
  for (const char* k : {"runtimeUser", "selinuxContext", "kernelBootStatus", "fsFreezeStatus", "topologyHints",
                        "VSOCKCID", "migratedVolumes", "migrationTransport", "changedBlockTracking"})
    v.ignore(k);
}

struct VirtualMachineInstance : ObjectOf<VirtualMachineInstance> {
  VMISpec spec;
  VMIStatus status;
  static const KindInfo& kind_info();
  bool is_final() const { return status.phase == "Succeeded" || status.phase == "Failed"; }
};
template <class V>
void visit_fields(V& v, VirtualMachineInstance& o) {
  visit_header(v, o);
  v.field("spec", o.spec, Required);
  v.field("status", o.status);
}
// `memory_from_instancetype`: a VM with spec.instancetype gets its guest memory
// from it (the webhook checked the expanded template), so none is required here.
void validate_vmi_spec(const VMISpec& s, const std::string& path, DecodeContext& ctx,
                       bool memory_from_instancetype = false);
void default_vmi_spec(VMISpec& s);

}  // namespace kvsim::models
