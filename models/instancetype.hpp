#pragma once
// The instancetype.kubevirt.io/v1beta1 group: VirtualMachine(Cluster)Instancetype
// (how big a VM is: guest CPUs and memory) and VirtualMachine(Cluster)Preference
// (how its devices, firmware and CPU topology are laid out). Fields follow
// kubevirt.io/api instancetype/v1beta1/types.go at KubeVirt v1.5.0; the parts a
// VMI keeps as JSON (features, firmware, clock, rng, tpm...) are kept as JSON here
// too, so the expansion copies them across unchanged.
#include "models/kubevirt.hpp"

namespace kvsim::models {

struct CPUInstancetype {
  std::int32_t guest = 0;  // uint32 upstream
  std::optional<std::string> model;
  std::optional<bool> dedicatedCPUPlacement, isolateEmulatorThread;
  Json numa, realtime;
  std::optional<std::int32_t> maxSockets;
};
template <class V>
void visit_fields(V& v, CPUInstancetype& c) {
  v.field("guest", c.guest, Required);
  v.field("model", c.model);
  v.field("dedicatedCPUPlacement", c.dedicatedCPUPlacement);
  v.opaque("numa", c.numa);
  v.field("isolateEmulatorThread", c.isolateEmulatorThread);
  v.opaque("realtime", c.realtime);
  v.field("maxSockets", c.maxSockets);
}

struct MemoryInstancetype {
  Quantity guest;
  Json hugepages;
  std::int32_t overcommitPercent = 0;
  std::optional<Quantity> maxGuest;
};
template <class V>
void visit_fields(V& v, MemoryInstancetype& m) {
  v.field("guest", m.guest, Required);
  v.opaque("hugepages", m.hugepages);
  v.field("overcommitPercent", m.overcommitPercent);
  v.field("maxGuest", m.maxGuest);
}

struct InstancetypeSpec {
  std::map<std::string, std::string> nodeSelector;
  std::string schedulerName;
  CPUInstancetype cpu;
  MemoryInstancetype memory;
  Json gpus, hostDevices;
  std::optional<std::string> ioThreadsPolicy;
  Json launchSecurity;
  std::optional<DiskIOThreads> ioThreads;
  std::map<std::string, std::string> annotations;
};
template <class V>
void visit_fields(V& v, InstancetypeSpec& s) {
  v.field("nodeSelector", s.nodeSelector);
  v.field("schedulerName", s.schedulerName);
  v.field("cpu", s.cpu, Required);
  v.field("memory", s.memory, Required);
  v.opaque("gpus", s.gpus);
  v.opaque("hostDevices", s.hostDevices);
  v.enumerated("ioThreadsPolicy", s.ioThreadsPolicy, {"shared", "auto", "supplementalPool"});
  v.opaque("launchSecurity", s.launchSecurity);
  v.not_simulated("ioThreads", s.ioThreads);  // not copied into the VMI either
  v.field("annotations", s.annotations);
}

struct SpreadOptions {
  std::optional<std::string> across;
  std::optional<std::int32_t> ratio;
};
template <class V>
void visit_fields(V& v, SpreadOptions& s) {
  v.enumerated("across", s.across, {"SocketsCoresThreads", "SocketsCores", "CoresThreads"});
  v.field("ratio", s.ratio);
}

struct CPUPreferences {
  std::optional<std::string> preferredCPUTopology;
  std::optional<SpreadOptions> spreadOptions;
  Json preferredCPUFeatures;
};
template <class V>
void visit_fields(V& v, CPUPreferences& c) {
  v.enumerated("preferredCPUTopology", c.preferredCPUTopology,
               {"preferSockets", "preferCores", "preferThreads", "preferSpread", "preferAny", "sockets", "cores",
                "threads", "spread", "any"});
  v.field("spreadOptions", c.spreadOptions);
  v.opaque("preferredCPUFeatures", c.preferredCPUFeatures);
}

struct DevicePreferences {
  std::optional<bool> preferredAutoattachGraphicsDevice, preferredAutoattachMemBalloon,
      preferredAutoattachPodInterface, preferredAutoattachSerialConsole, preferredAutoattachInputDevice,
      preferredDisableHotplug, preferredUseVirtioTransitional, preferredDiskDedicatedIoThread,
      preferredBlockMultiQueue, preferredNetworkInterfaceMultiQueue;
  std::string preferredSoundModel, preferredInputBus, preferredInputType, preferredDiskBus, preferredLunBus,
      preferredCdromBus, preferredDiskCache, preferredDiskIO, preferredInterfaceModel, preferredPanicDeviceModel,
      preferredVideoType;
  Json preferredVirtualGPUOptions, preferredDiskBlockSize, preferredRng, preferredTPM, preferredInterfaceMasquerade;
};
template <class V>
void visit_fields(V& v, DevicePreferences& d) {
  v.field("preferredAutoattachGraphicsDevice", d.preferredAutoattachGraphicsDevice);
  v.field("preferredAutoattachMemBalloon", d.preferredAutoattachMemBalloon);
  v.field("preferredAutoattachPodInterface", d.preferredAutoattachPodInterface);
  v.field("preferredAutoattachSerialConsole", d.preferredAutoattachSerialConsole);
  v.field("preferredAutoattachInputDevice", d.preferredAutoattachInputDevice);
  v.field("preferredDisableHotplug", d.preferredDisableHotplug);
  v.opaque("preferredVirtualGPUOptions", d.preferredVirtualGPUOptions);
  v.field("preferredSoundModel", d.preferredSoundModel);
  v.field("preferredUseVirtioTransitional", d.preferredUseVirtioTransitional);
  v.enumerated("preferredInputBus", d.preferredInputBus, {"usb", "virtio"});
  v.enumerated("preferredInputType", d.preferredInputType, {"tablet", "keyboard"});
  v.enumerated("preferredDiskBus", d.preferredDiskBus, {"virtio", "sata", "scsi", "usb"});
  v.enumerated("preferredLunBus", d.preferredLunBus, {"virtio", "sata", "scsi", "usb"});
  v.enumerated("preferredCdromBus", d.preferredCdromBus, {"virtio", "sata", "scsi", "usb"});
  v.field("preferredDiskDedicatedIoThread", d.preferredDiskDedicatedIoThread);
  v.enumerated("preferredDiskCache", d.preferredDiskCache, {"none", "writethrough", "writeback"});
  v.enumerated("preferredDiskIO", d.preferredDiskIO, {"native", "threads"});
  v.opaque("preferredDiskBlockSize", d.preferredDiskBlockSize);
  v.field("preferredInterfaceModel", d.preferredInterfaceModel);
  v.opaque("preferredRng", d.preferredRng);
  v.field("preferredBlockMultiQueue", d.preferredBlockMultiQueue);
  v.field("preferredNetworkInterfaceMultiQueue", d.preferredNetworkInterfaceMultiQueue);
  v.opaque("preferredTPM", d.preferredTPM);
  v.opaque("preferredInterfaceMasquerade", d.preferredInterfaceMasquerade);
  // Not applied to the VMI by kvsim's expansion.
  v.not_simulated("preferredPanicDeviceModel", d.preferredPanicDeviceModel);
  v.not_simulated("preferredVideoType", d.preferredVideoType);
}

// Each a KubeVirt v1 type the VMI keeps as JSON.
struct FeaturePreferences {
  Json preferredAcpi, preferredApic, preferredHyperv, preferredKvm, preferredPvspinlock, preferredSmm;
};
template <class V>
void visit_fields(V& v, FeaturePreferences& f) {
  v.opaque("preferredAcpi", f.preferredAcpi);
  v.opaque("preferredApic", f.preferredApic);
  v.opaque("preferredHyperv", f.preferredHyperv);
  v.opaque("preferredKvm", f.preferredKvm);
  v.opaque("preferredPvspinlock", f.preferredPvspinlock);
  v.opaque("preferredSmm", f.preferredSmm);
}

struct FirmwarePreferences {
  std::optional<bool> preferredUseBios, preferredUseBiosSerial, preferredUseEfi, preferredUseSecureBoot;
  Json preferredEfi;
};
template <class V>
void visit_fields(V& v, FirmwarePreferences& f) {
  v.field("preferredUseBios", f.preferredUseBios);
  v.field("preferredUseBiosSerial", f.preferredUseBiosSerial);
  v.field("preferredUseEfi", f.preferredUseEfi);
  v.field("preferredUseSecureBoot", f.preferredUseSecureBoot);
  v.opaque("preferredEfi", f.preferredEfi);
}

struct MachinePreferences {
  std::string preferredMachineType;
};
template <class V>
void visit_fields(V& v, MachinePreferences& m) {
  v.field("preferredMachineType", m.preferredMachineType);
}

struct ClockPreferences {
  Json preferredClockOffset, preferredTimer;
};
template <class V>
void visit_fields(V& v, ClockPreferences& c) {
  v.opaque("preferredClockOffset", c.preferredClockOffset);
  v.opaque("preferredTimer", c.preferredTimer);
}

struct VolumePreferences {
  std::string preferredStorageClassName;
};
template <class V>
void visit_fields(V& v, VolumePreferences& p) {
  v.field("preferredStorageClassName", p.preferredStorageClassName);
}

struct CPUPreferenceRequirement {
  std::int32_t guest = 0;
};
template <class V>
void visit_fields(V& v, CPUPreferenceRequirement& c) {
  v.field("guest", c.guest, Required);
}
struct MemoryPreferenceRequirement {
  Quantity guest;
};
template <class V>
void visit_fields(V& v, MemoryPreferenceRequirement& m) {
  v.field("guest", m.guest, Required);
}
struct PreferenceRequirements {
  std::optional<CPUPreferenceRequirement> cpu;
  std::optional<MemoryPreferenceRequirement> memory;
  std::string architecture;
};
template <class V>
void visit_fields(V& v, PreferenceRequirements& r) {
  v.field("cpu", r.cpu);
  v.field("memory", r.memory);
  v.not_simulated("architecture", r.architecture);  // not checked against the VM's
}

struct PreferenceSpec {
  std::optional<ClockPreferences> clock;
  std::optional<CPUPreferences> cpu;
  std::optional<DevicePreferences> devices;
  std::optional<FeaturePreferences> features;
  std::optional<FirmwarePreferences> firmware;
  std::optional<MachinePreferences> machine;
  std::optional<VolumePreferences> volumes;
  std::optional<std::string> preferredSubdomain;
  std::optional<std::int64_t> preferredTerminationGracePeriodSeconds;
  std::optional<PreferenceRequirements> requirements;
  std::map<std::string, std::string> annotations;
  std::int32_t preferSpreadSocketToCoreRatio = 0;
  std::string preferredArchitecture;
  Json preferredLaunchSecurity;
};
template <class V>
void visit_fields(V& v, PreferenceSpec& s) {
  v.field("clock", s.clock);
  v.field("cpu", s.cpu);
  v.field("devices", s.devices);
  v.field("features", s.features);
  v.field("firmware", s.firmware);
  v.field("machine", s.machine);
  v.field("volumes", s.volumes);
  v.field("preferredSubdomain", s.preferredSubdomain);
  v.field("preferredTerminationGracePeriodSeconds", s.preferredTerminationGracePeriodSeconds);
  v.field("requirements", s.requirements);
  v.field("annotations", s.annotations);
  v.field("preferSpreadSocketToCoreRatio", s.preferSpreadSocketToCoreRatio);
  // Not applied to the VMI by kvsim's expansion.
  v.not_simulated("preferredArchitecture", s.preferredArchitecture);
  v.not_simulated("preferredLaunchSecurity", s.preferredLaunchSecurity);
}

// The namespaced and the cluster-wide kinds share their spec, as upstream.
template <class Self, class Spec>
struct SpecObject : ObjectOf<Self> {
  Spec spec;
};
struct VirtualMachineInstancetype : SpecObject<VirtualMachineInstancetype, InstancetypeSpec> {
  static const KindInfo& kind_info();
};
struct VirtualMachineClusterInstancetype : SpecObject<VirtualMachineClusterInstancetype, InstancetypeSpec> {
  static const KindInfo& kind_info();
};
struct VirtualMachinePreference : SpecObject<VirtualMachinePreference, PreferenceSpec> {
  static const KindInfo& kind_info();
};
struct VirtualMachineClusterPreference : SpecObject<VirtualMachineClusterPreference, PreferenceSpec> {
  static const KindInfo& kind_info();
};
template <class V>
void visit_fields(V& v, VirtualMachineInstancetype& o) {
  visit_header(v, o);
  v.field("spec", o.spec, Required);
}
template <class V>
void visit_fields(V& v, VirtualMachineClusterInstancetype& o) {
  visit_header(v, o);
  v.field("spec", o.spec, Required);
}
template <class V>
void visit_fields(V& v, VirtualMachinePreference& o) {
  visit_header(v, o);
  v.field("spec", o.spec, Required);
}
template <class V>
void visit_fields(V& v, VirtualMachineClusterPreference& o) {
  visit_header(v, o);
  v.field("spec", o.spec, Required);
}

// The labels that name a volume's default instance type and preference
// (instancetype/register.go), read by inferFromVolume.
inline constexpr const char* kDefaultInstancetypeLabel = "instancetype.kubevirt.io/default-instancetype";
inline constexpr const char* kDefaultInstancetypeKindLabel = "instancetype.kubevirt.io/default-instancetype-kind";
inline constexpr const char* kDefaultPreferenceLabel = "instancetype.kubevirt.io/default-preference";
inline constexpr const char* kDefaultPreferenceKindLabel = "instancetype.kubevirt.io/default-preference-kind";

}  // namespace kvsim::models
