#include "sim/kubevirt/launcher_resources.hpp"

#include <cmath>

namespace kvsim::sim::kubevirt {
namespace {

constexpr std::int64_t kMi = 1024 * 1024;

models::Quantity quantity(const char* text) { return *models::Quantity::parse(text); }

const models::Quantity* find(const models::ResourceList& list, const char* key) {
  auto it = list.find(key);
  return it == list.end() ? nullptr : &it->second;
}

// The guest's memory request: the webhook copies memory.guest into the request when none is given.
std::int64_t guest_memory(const models::VMISpec& spec) {
  if (const auto* q = find(spec.domain.resources.requests, "memory")) return q->units_ceil();
  if (spec.domain.memory && spec.domain.memory->guest) return spec.domain.memory->guest->units_ceil();
  return 0;
}

bool dedicated_cpu(const models::VMISpec& spec) {
  return spec.domain.cpu && spec.domain.cpu->dedicatedCpuPlacement.value_or(false);
}

// VirtualMachineInstance.WantsToHaveQOSGuaranteed: CPU and memory requested, each equal to its limit.
bool wants_guaranteed_qos(const models::VMISpec& spec) {
  const auto& r = spec.domain.resources;
  const auto* req_mem = find(r.requests, "memory");
  const auto* req_cpu = find(r.requests, "cpu");
  const auto* lim_mem = find(r.limits, "memory");
  const auto* lim_cpu = find(r.limits, "cpu");
  return req_mem && !req_mem->is_zero() && lim_mem && *req_mem == *lim_mem && req_cpu && !req_cpu->is_zero() &&
         lim_cpu && *req_cpu == *lim_cpu;
}

bool has_json(const models::Json& j) { return !j.is_null(); }

}  // namespace

std::int64_t guest_vcpus(const models::VMISpec& spec) {
  const auto& cpu = spec.domain.cpu;
  if (cpu && (cpu->cores.value_or(0) || cpu->sockets.value_or(0) || cpu->threads.value_or(0))) {
    std::int64_t n = 1;
    for (auto part : {cpu->cores, cpu->sockets, cpu->threads})
      if (part.value_or(0) > 0) n *= *part;
    return n;
  }
  // SetDefaultGuestCPUTopology: sockets = the CPU limit, else the request (Value() rounds up).
  const auto& r = spec.domain.resources;
  if (const auto* lim = find(r.limits, "cpu")) return lim->units_ceil();
  if (const auto* req = find(r.requests, "cpu")) return req->units_ceil();
  return 1;
}

bool uses_vfio(const models::VMISpec& spec) {
  for (const auto& i : spec.domain.devices.interfaces)
    if (i.sriov) return true;
  return false;
}

std::int64_t launcher_memory_overhead(const models::VMISpec& spec) {
  std::int64_t overhead = 0;
  // Page tables: the request in (rounded-up) kilobytes, back to bytes, over 512.
  const std::int64_t kilo = (guest_memory(spec) + 999) / 1000;
  overhead += kilo * 1000 / 512;
  // Fixed RSS of virt-launcher-monitor, virt-launcher, virtlogd, virtqemud and QEMU (template.go).
  overhead += (25 + 100 + 25 + 40 + 30) * kMi;
  // CPU tables: 8 Mi per vCPU (at least one), and 8 Mi for the IOThread.
  overhead += 8 * kMi * std::max<std::int64_t>(1, guest_vcpus(spec)) + 8 * kMi;
  // Video RAM, unless the graphics device is turned off.
  if (spec.domain.devices.autoattachGraphicsDevice.value_or(true)) overhead += 16 * kMi;
  // arm64 UEFI: two 64 Mi pflash devices.
  if (spec.architecture == "arm64") overhead += 128 * kMi;
  // VFIO locks all guest RAM plus the MMIO space (1 Gi on x86).
  if (uses_vfio(spec)) overhead += 1024 * kMi;
  bool downward_metrics = has_json(spec.domain.devices.downwardMetrics);
  for (const auto& v : spec.volumes) downward_metrics = downward_metrics || has_json(v.downwardMetrics);
  if (downward_metrics) overhead += 1 * kMi;
  // swtpm.
  if (has_json(spec.domain.devices.tpm)) overhead += 53 * kMi;
  if (dedicated_cpu(spec) || wants_guaranteed_qos(spec)) overhead += 100 * kMi;
  return overhead;
}

models::ResourceRequirements compute_resources(const models::VMISpec& spec) {
  models::ResourceRequirements out;
  const auto& vm = spec.domain.resources;
  // Renderer.Requests(): what the renderer calculated, then the VMI's own requests over it.
  if (!dedicated_cpu(spec)) {
    // WithoutDedicatedCPU: vCPUs / cpuAllocationRatio.
    const double cores = static_cast<double>(guest_vcpus(spec)) / kCpuAllocationRatio;
    out.requests["cpu"] = models::Quantity::from_milli(std::llround(cores * 1000));
  }
  for (const auto& [k, q] : vm.requests) out.requests[k] = q;
  out.limits = vm.limits;
  if (!out.requests.contains("memory") && spec.domain.memory && spec.domain.memory->guest)
    out.requests["memory"] = *spec.domain.memory->guest;
  // WithMemoryOverhead: onto the request unless the guest overhead is overcommitted, and onto a limit.
  const auto overhead = models::Quantity::from_units(launcher_memory_overhead(spec));
  if (!vm.overcommitGuestOverhead.value_or(false)) out.requests["memory"] += overhead;
  if (out.limits.contains("memory")) out.limits["memory"] += overhead;
  // WithEphemeralStorageRequest: 50M for KubeVirt on top of what the user asked, and onto a limit.
  out.requests["ephemeral-storage"] += quantity("50M");
  if (out.limits.contains("ephemeral-storage")) out.limits["ephemeral-storage"] += quantity("50M");
  return out;
}

models::ResourceRequirements container_disk_resources() {
  models::ResourceRequirements r;
  r.requests["cpu"] = quantity("1m");
  r.requests["memory"] = quantity("1M");
  r.requests["ephemeral-storage"] = quantity("50M");
  r.limits["cpu"] = quantity("10m");
  r.limits["memory"] = quantity("40M");
  return r;
}

models::ResourceRequirements init_container_resources() {
  models::ResourceRequirements r;
  r.requests["cpu"] = quantity("10m");
  r.requests["memory"] = quantity("1M");
  r.limits["cpu"] = quantity("100m");
  r.limits["memory"] = quantity("40M");
  return r;
}

}  // namespace kvsim::sim::kubevirt
