#include "sim/kubevirt/instancetype/expansion.hpp"

#include <fmt/format.h>

namespace kvsim::sim::kubevirt::instancetype {

using models::Json;

std::string Conflict::text() const {
  return message.empty() ? fmt::format("VM field(s) {} conflicts with selected instance type", field) : message;
}

std::string conflicts_text(const Conflicts& conflicts) {
  std::string fields;
  for (const auto& c : conflicts) fields += (fields.empty() ? "" : ", ") + c.field;
  return fmt::format("VM field(s) {} conflicts with selected instance type", fields);
}

namespace {

bool set(const std::optional<std::int32_t>& v) { return v.value_or(0) != 0; }

// pkg/instancetype/apply/cpu.go: validateCPU, then the instance type's CPU fields and
// the guest topology the preference asks for.
Conflicts apply_cpu(const std::string& base, const models::InstancetypeSpec& it, const models::PreferenceSpec* pref,
                    models::VMISpec& spec) {
  auto& domain = spec.domain;
  if (!domain.cpu) domain.cpu = models::CPU{};
  auto& cpu = *domain.cpu;
  Conflicts c;
  const auto at = [&base](const std::string& rest) { return Conflict{base + ".domain." + rest, {}}; };
  if (domain.resources.requests.contains("cpu")) c.push_back(at("resources.requests.cpu"));
  if (domain.resources.limits.contains("cpu")) c.push_back(at("resources.limits.cpu"));
  if (set(cpu.sockets)) c.push_back(at("cpu.sockets"));
  if (set(cpu.cores)) c.push_back(at("cpu.cores"));
  if (set(cpu.threads)) c.push_back(at("cpu.threads"));
  if (!cpu.model.empty() && it.cpu.model) c.push_back(at("cpu.model"));
  if (cpu.dedicatedCpuPlacement.value_or(false) && it.cpu.dedicatedCPUPlacement) c.push_back(at("cpu.dedicatedCPUPlacement"));
  if (cpu.isolateEmulatorThread.value_or(false) && it.cpu.isolateEmulatorThread)
    c.push_back(at("cpu.isolateEmulatorThread"));
  if (!cpu.numa.is_null() && !it.cpu.numa.is_null()) c.push_back(at("cpu.numa"));
  if (!cpu.realtime.is_null() && !it.cpu.realtime.is_null()) c.push_back(at("cpu.realtime"));
  if (!c.empty()) return c;

  if (cpu.model.empty() && it.cpu.model) cpu.model = *it.cpu.model;
  if (it.cpu.dedicatedCPUPlacement) cpu.dedicatedCpuPlacement = *it.cpu.dedicatedCPUPlacement;
  if (it.cpu.isolateEmulatorThread) cpu.isolateEmulatorThread = *it.cpu.isolateEmulatorThread;
  if (cpu.numa.is_null()) cpu.numa = it.cpu.numa;
  if (cpu.realtime.is_null()) cpu.realtime = it.cpu.realtime;
  if (it.cpu.maxSockets) cpu.maxSockets = *it.cpu.maxSockets;

  // applyGuestCPUTopology: one of each, then the vCPUs where the preference puts them.
  const std::int32_t vcpus = it.cpu.guest;
  cpu.cores = cpu.sockets = cpu.threads = 1;
  if (vcpus == 1) return {};
  const auto topology = preferred_topology(pref);
  if (topology == "cores" || topology == "preferCores") {
    cpu.cores = vcpus;
  } else if (topology == "threads" || topology == "preferThreads") {
    cpu.threads = vcpus;
  } else if (topology == "spread" || topology == "preferSpread") {
    const auto spread = spread_options(*pref);
    if (spread.across == "SocketsCores") {
      cpu.cores = spread.ratio;
      cpu.sockets = vcpus / spread.ratio;
    } else if (spread.across == "CoresThreads") {
      cpu.threads = spread.ratio;
      cpu.cores = vcpus / spread.ratio;
    } else {  // SocketsCoresThreads: two threads per core
      cpu.threads = 2;
      cpu.cores = spread.ratio;
      cpu.sockets = vcpus / 2 / spread.ratio;
    }
  } else {  // sockets, any (and their deprecated spellings)
    cpu.sockets = vcpus;
  }
  return {};
}

// pkg/instancetype/apply/memory.go: any memory of the VM's own conflicts.
Conflicts apply_memory(const std::string& base, const models::InstancetypeSpec& it, models::VMISpec& spec) {
  auto& domain = spec.domain;
  if (domain.memory) return {{base + ".domain.memory", {}}};
  if (domain.resources.requests.contains("memory")) return {{base + ".domain.resources.requests.memory", {}}};
  if (domain.resources.limits.contains("memory")) return {{base + ".domain.resources.limits.memory", {}}};
  domain.memory = models::Memory{};
  domain.memory->guest = it.memory.guest;
  if (it.memory.overcommitPercent > 0) {
    // As upstream computes it, in float32: the pod requests that share of the guest memory.
    const auto guest = static_cast<float>(it.memory.guest.units_ceil());
    const auto requested =
        static_cast<std::int64_t>(guest * (1 - static_cast<float>(it.memory.overcommitPercent) / 100));
    domain.resources.requests["memory"] = models::Quantity::from_units(requested);
  }
  domain.memory->hugepages = it.memory.hugepages;
  if (it.memory.maxGuest) domain.memory->maxGuest = *it.memory.maxGuest;
  return {};
}

Conflicts apply_placement(const std::string& base, const models::InstancetypeSpec& it, models::VMISpec& spec) {
  Conflicts c;
  if (!it.nodeSelector.empty()) {
    if (!spec.nodeSelector.empty()) c.push_back({base + ".nodeSelector", {}});
    else spec.nodeSelector = it.nodeSelector;
  }
  if (!it.schedulerName.empty()) {
    if (!spec.schedulerName.empty()) c.push_back({base + ".schedulerName", {}});
    else spec.schedulerName = it.schedulerName;
  }
  if (it.ioThreadsPolicy) {
    if (!spec.domain.ioThreadsPolicy.empty()) c.push_back({base + ".domain.ioThreadsPolicy", {}});
    else spec.domain.ioThreadsPolicy = *it.ioThreadsPolicy;
  }
  // kvsim does not model these VMI fields yet: refuse rather than drop them.
  if (!it.launchSecurity.is_null())
    c.push_back({"spec.launchSecurity", "not modelled yet: spec.launchSecurity of the instance type"});
  if (!it.gpus.is_null() && !it.gpus.empty())
    c.push_back({"spec.gpus", "not modelled yet: spec.gpus of the instance type"});
  if (!it.hostDevices.is_null() && !it.hostDevices.empty())
    c.push_back({"spec.hostDevices", "not modelled yet: spec.hostDevices of the instance type"});
  return c;
}

// applyInstanceTypeAnnotations: a template annotation with another value conflicts
// (upstream names it "annotations.<key>", outside the base path).
Conflicts apply_annotations(const models::InstancetypeSpec& it, models::Sparse<models::Annotations>& annotations) {
  Conflicts c;
  for (const auto& [k, v] : it.annotations) {
    auto [pos, inserted] = annotations.emplace(k, v);
    if (!inserted && pos->second != v) c.push_back({"annotations." + k, {}});
  }
  return c;
}

void fill(std::optional<bool>& target, const std::optional<bool>& preferred) {
  if (preferred && !target) target = *preferred;
}
void fill(std::string& target, const std::string& preferred) {
  if (!preferred.empty() && target.empty()) target = preferred;
}
void fill(Json& target, const Json& preferred) {
  if (!preferred.is_null() && target.is_null()) target = preferred;
}
// A key of a JSON object, set when absent.
void fill_key(Json& object, const char* key, const Json& preferred) {
  if (preferred.is_null()) return;
  if (!object.is_object()) object = Json::object();
  if (!object.contains(key)) object[key] = preferred;
}

bool on_pod_network(const std::string& name, const models::VMISpec& spec) {
  for (const auto& n : spec.networks)
    if (n.name == name) return n.pod.has_value();
  return false;
}

// preference/apply/device.go, disk.go, interface.go.
void apply_devices(const models::DevicePreferences& p, models::VMISpec& spec) {
  auto& d = spec.domain.devices;
  fill(d.autoattachGraphicsDevice, p.preferredAutoattachGraphicsDevice);
  fill(d.autoattachMemBalloon, p.preferredAutoattachMemBalloon);
  fill(d.autoattachPodInterface, p.preferredAutoattachPodInterface);
  fill(d.autoattachSerialConsole, p.preferredAutoattachSerialConsole);
  fill(d.useVirtioTransitional, p.preferredUseVirtioTransitional);
  fill(d.blockMultiQueue, p.preferredBlockMultiQueue);
  fill(d.networkInterfaceMultiqueue, p.preferredNetworkInterfaceMultiQueue);
  fill(d.autoattachInputDevice, p.preferredAutoattachInputDevice);
  if (p.preferredDisableHotplug) d.disableHotplug = *p.preferredDisableHotplug;
  if (!p.preferredSoundModel.empty() && d.sound.is_object() && !d.sound.contains("model"))
    d.sound["model"] = p.preferredSoundModel;
  fill(d.rng, p.preferredRng);
  fill(d.tpm, p.preferredTPM);
  for (auto& disk : d.disks) {
    if (!disk.disk && !disk.cdrom && disk.lun.is_null()) disk.disk = models::DiskTarget{};
    if (disk.disk) {
      fill(disk.disk->bus, p.preferredDiskBus);
      fill(disk.blockSize, p.preferredDiskBlockSize);
      fill(disk.cache, p.preferredDiskCache);
      fill(disk.io, p.preferredDiskIO);
      if (p.preferredDiskDedicatedIoThread && !disk.dedicatedIOThread && disk.disk->bus == "virtio")
        disk.dedicatedIOThread = *p.preferredDiskDedicatedIoThread;
    } else if (disk.cdrom) {
      fill(disk.cdrom->bus, p.preferredCdromBus);
    } else if (!p.preferredLunBus.empty() && disk.lun.is_object() && !disk.lun.contains("bus")) {
      disk.lun["bus"] = p.preferredLunBus;
    }
  }
  for (auto& itf : d.interfaces) {
    fill(itf.model, p.preferredInterfaceModel);
    if (!p.preferredInterfaceMasquerade.is_null() && itf.binding_method().empty() && on_pod_network(itf.name, spec))
      itf.masquerade = models::Empty{};
  }
  if (d.inputs.is_array())
    for (auto& input : d.inputs) {
      if (!input.is_object()) continue;
      if (!p.preferredInputBus.empty() && !input.contains("bus")) input["bus"] = p.preferredInputBus;
      if (!p.preferredInputType.empty() && !input.contains("type")) input["type"] = p.preferredInputType;
    }
}

// preference/apply/features.go: ACPI is taken as preferred; the rest only when unset.
void apply_features(const models::FeaturePreferences& p, Json& features) {
  if (!features.is_object()) features = Json::object();
  if (!p.preferredAcpi.is_null()) features["acpi"] = p.preferredAcpi;
  fill_key(features, "apic", p.preferredApic);
  if (p.preferredHyperv.is_object()) {
    if (!features.contains("hyperv")) features["hyperv"] = Json::object();
    for (const auto& [k, v] : p.preferredHyperv.items()) fill_key(features["hyperv"], k.c_str(), v);
  }
  fill_key(features, "kvm", p.preferredKvm);
  fill_key(features, "pvspinlock", p.preferredPvspinlock);
  fill_key(features, "smm", p.preferredSmm);
}

// preference/apply/firmware.go: BIOS, or the preferred EFI when no bootloader is chosen.
void apply_firmware(const models::FirmwarePreferences& p, Json& firmware) {
  if (!firmware.is_object()) firmware = Json::object();
  if (!firmware.contains("bootloader") || !firmware["bootloader"].is_object()) firmware["bootloader"] = Json::object();
  auto& boot = firmware["bootloader"];
  const auto none = [&boot] { return !boot.contains("bios") && !boot.contains("efi"); };
  if (p.preferredUseBios.value_or(false) && none()) boot["bios"] = Json::object();
  if (p.preferredUseBiosSerial && boot.contains("bios") && !boot["bios"].contains("useSerial"))
    boot["bios"]["useSerial"] = *p.preferredUseBiosSerial;
  if (none() && !p.preferredEfi.is_null()) {
    boot["efi"] = p.preferredEfi;
    return;
  }
  if (p.preferredUseEfi.value_or(false) && none()) boot["efi"] = Json::object();
  if (p.preferredUseSecureBoot && boot.contains("efi") && !boot["efi"].contains("secureBoot"))
    boot["efi"]["secureBoot"] = *p.preferredUseSecureBoot;
}

// preference/apply/clock.go: the offset (utc or timezone, inline in clock) and timers.
void apply_clock(const models::ClockPreferences& p, Json& clock) {
  if (!clock.is_object()) clock = Json::object();
  if (p.preferredClockOffset.is_object() && !clock.contains("utc") && !clock.contains("timezone"))
    for (const auto& [k, v] : p.preferredClockOffset.items()) clock[k] = v;
  fill_key(clock, "timer", p.preferredTimer);
}

void apply_cpu_features(const models::CPUPreferences& p, models::VMISpec& spec) {
  if (!p.preferredCPUFeatures.is_array() || p.preferredCPUFeatures.empty()) return;
  if (!spec.domain.cpu) spec.domain.cpu = models::CPU{};
  auto& features = spec.domain.cpu->features;
  if (!features.is_array()) features = Json::array();
  for (const auto& f : p.preferredCPUFeatures) {
    bool found = false;
    for (const auto& have : features) found = found || (have.value("name", "") == f.value("name", ""));
    if (!found) features.push_back(f);
  }
}

}  // namespace

std::string preferred_topology(const models::PreferenceSpec* preference) {
  if (preference && preference->cpu && preference->cpu->preferredCPUTopology) return *preference->cpu->preferredCPUTopology;
  return "sockets";
}

Spread spread_options(const models::PreferenceSpec& preference) {
  Spread s;
  if (preference.preferSpreadSocketToCoreRatio != 0) s.ratio = preference.preferSpreadSocketToCoreRatio;
  if (preference.cpu && preference.cpu->spreadOptions) {
    const auto& o = *preference.cpu->spreadOptions;
    if (o.across) s.across = *o.across;
    if (o.ratio) s.ratio = *o.ratio;
  }
  return s;
}

void apply_preference(const models::PreferenceSpec& p, models::VMISpec& spec,
                      models::Sparse<models::Annotations>& annotations) {
  if (p.cpu) apply_cpu_features(*p.cpu, spec);
  if (p.devices) apply_devices(*p.devices, spec);
  if (p.features) apply_features(*p.features, spec.domain.features);
  if (p.firmware) apply_firmware(*p.firmware, spec.domain.firmware);
  if (p.machine && !p.machine->preferredMachineType.empty()) {
    auto& machine = spec.domain.machine;
    if (!machine.is_object()) machine = Json::object();
    if (machine.value("type", "").empty()) machine["type"] = p.machine->preferredMachineType;
  }
  if (p.clock) apply_clock(*p.clock, spec.domain.clock);
  if (spec.subdomain.empty() && p.preferredSubdomain) spec.subdomain = *p.preferredSubdomain;
  if (p.preferredTerminationGracePeriodSeconds && !spec.terminationGracePeriodSeconds)
    spec.terminationGracePeriodSeconds = *p.preferredTerminationGracePeriodSeconds;
  for (const auto& [k, v] : p.annotations) annotations.emplace(k, v);
}

Conflicts apply(const std::string& base, const models::InstancetypeSpec* instancetype,
                const models::PreferenceSpec* preference, models::VMISpec& spec,
                models::Sparse<models::Annotations>& annotations) {
  if (instancetype) {
    Conflicts c = apply_placement(base, *instancetype, spec);
    for (auto& x : apply_cpu(base, *instancetype, preference, spec)) c.push_back(std::move(x));
    for (auto& x : apply_memory(base, *instancetype, spec)) c.push_back(std::move(x));
    for (auto& x : apply_annotations(*instancetype, annotations)) c.push_back(std::move(x));
    if (!c.empty()) return c;
  }
  if (preference) apply_preference(*preference, spec, annotations);
  return {};
}

std::optional<Conflict> check_spread_topology(const models::InstancetypeSpec* instancetype,
                                              const models::PreferenceSpec* preference) {
  const auto topology = preferred_topology(preference);
  if (!instancetype || (topology != "spread" && topology != "preferSpread")) return std::nullopt;
  const auto s = spread_options(*preference);
  const std::int32_t guest = instancetype->cpu.guest;
  const std::string field = "instancetype.spec.cpu.guest";
  if (s.ratio <= 0) return Conflict{field, fmt::format("spread ratio {} of the preference must be positive", s.ratio)};
  if (s.across == "SocketsCores" && guest % s.ratio)
    return Conflict{field, fmt::format("{} vCPUs provided by the instance type are not divisible by the "
                                       "Spec.PreferSpreadSocketToCoreRatio or Spec.CPU.PreferSpreadOptions.Ratio of {} "
                                       "provided by the preference",
                                       guest, s.ratio)};
  if (s.across == "CoresThreads" && guest % s.ratio)
    return Conflict{field, fmt::format("{} vCPUs provided by the instance type are not divisible by the number of "
                                       "threads per core {}",
                                       guest, s.ratio)};
  if (s.across == "SocketsCoresThreads" && (guest % 2 || (guest / 2) % s.ratio))
    return Conflict{field, fmt::format("{} vCPUs provided by the instance type are not divisible by the number of "
                                       "threads per core {} and Spec.PreferSpreadSocketToCoreRatio or "
                                       "Spec.CPU.PreferSpreadOptions.Ratio of {}",
                                       guest, 2, s.ratio)};
  return std::nullopt;
}

namespace {

std::optional<RequirementFailure> check_cpu_requirement(const models::InstancetypeSpec* it,
                                                        const models::PreferenceSpec& p, const models::VMISpec& spec) {
  const std::int32_t need = p.requirements->cpu->guest;
  if (it) {
    if (it->cpu.guest < need)
      return RequirementFailure{{"spec.instancetype"},
                                fmt::format("insufficient CPU resources of {} vCPU provided by instance type, "
                                            "preference requires {} vCPU",
                                            it->cpu.guest, need)};
    return std::nullopt;
  }
  const std::string base = "spec.template.spec.domain.cpu";
  if (!spec.domain.cpu)
    return RequirementFailure{{base}, fmt::format("no CPU resources provided by VirtualMachine, preference requires "
                                                  "{} vCPU",
                                                  need)};
  const auto& cpu = *spec.domain.cpu;
  const std::int32_t sockets = cpu.sockets.value_or(0), cores = cpu.cores.value_or(0), threads = cpu.threads.value_or(0);
  const auto short_of = [&](std::int32_t have, std::vector<std::string> fields, const std::string& as) {
    return RequirementFailure{std::move(fields), fmt::format("insufficient CPU resources of {} vCPU provided by "
                                                             "VirtualMachine, preference requires {} vCPU provided as {}",
                                                             have, need, as)};
  };
  const auto topology = preferred_topology(&p);
  if (topology == "threads" || topology == "preferThreads") {
    if (threads < need) return short_of(threads, {base + ".threads"}, "threads");
  } else if (topology == "cores" || topology == "preferCores") {
    if (cores < need) return short_of(cores, {base + ".cores"}, "cores");
  } else if (topology == "sockets" || topology == "preferSockets") {
    if (sockets < need) return short_of(sockets, {base + ".sockets"}, "sockets");
  } else if (topology == "spread" || topology == "preferSpread") {
    const auto across = spread_options(p).across;
    if (across == "SocketsCores" && sockets * cores < need)
      return short_of(sockets * cores, {base + ".sockets", base + ".cores"}, across);
    if (across == "CoresThreads" && cores * threads < need)
      return short_of(cores * threads, {base + ".cores", base + ".threads"}, across);
    if (across == "SocketsCoresThreads" && sockets * cores * threads < need)
      return short_of(sockets * cores * threads, {base + ".sockets", base + ".cores", base + ".threads"}, across);
  } else if (cores * sockets * threads < need) {  // any
    return short_of(cores * sockets * threads, {base + ".cores", base + ".sockets", base + ".threads"},
                    "cores, sockets and threads");
  }
  return std::nullopt;
}

}  // namespace

std::optional<RequirementFailure> check_requirements(const models::InstancetypeSpec* instancetype,
                                                     const models::PreferenceSpec* preference,
                                                     const models::VMISpec& spec) {
  if (!preference || !preference->requirements) return std::nullopt;
  const auto& req = *preference->requirements;
  if (req.cpu)
    if (auto f = check_cpu_requirement(instancetype, *preference, spec)) return f;
  if (req.memory) {
    const auto& need = req.memory->guest;
    if (instancetype && instancetype->memory.guest < need)
      return RequirementFailure{{"spec.instancetype"},
                                fmt::format("insufficient Memory resources of {} provided by instance type, preference "
                                            "requires {}",
                                            instancetype->memory.guest.text(), need.text())};
    const auto& memory = spec.domain.memory;
    if (!instancetype && memory && memory->guest && *memory->guest < need)
      return RequirementFailure{{"spec.template.spec.domain.memory"},
                                fmt::format("insufficient Memory resources of {} provided by VirtualMachine, "
                                            "preference requires {}",
                                            memory->guest->text(), need.text())};
  }
  return std::nullopt;
}

}  // namespace kvsim::sim::kubevirt::instancetype
