#pragma once
// The resources of a virt-launcher pod's containers, as virt-controller's
// template service renders them in KubeVirt v1.5 (FIDELITY.md §10):
// pkg/virt-controller/services/renderresources.go (GetMemoryOverhead,
// WithoutDedicatedCPU, WithMemoryOverhead, WithEphemeralStorageRequest),
// template.go (the overhead constants) and pkg/container-disk/container-disk.go.
// Pure functions: no store, no SimGrid.
#include <cstdint>

#include "models/kubevirt.hpp"

namespace kvsim::sim::kubevirt {

// KubeVirt's default spec.configuration.developerConfiguration.cpuAllocationRatio
// (virt-config.go DefaultCPUAllocationRatio); HCO leaves it at 10.
inline constexpr int kCpuAllocationRatio = 10;

// The number of vCPUs the guest gets (hardware.GetNumberOfVCPUs on the topology
// the webhook defaults: sockets from the CPU limit, else the CPU request, else 1).
std::int64_t guest_vcpus(const models::VMISpec& spec);

// Whether the VMI passes a device through VFIO (util.IsVFIOVMI): an SR-IOV
// interface here (GPUs and host devices are not modelled).
bool uses_vfio(const models::VMISpec& spec);

// GetMemoryOverhead: what virt-launcher, virtqemud, virtlogd and QEMU need on top
// of the guest's RAM, in bytes.
std::int64_t launcher_memory_overhead(const models::VMISpec& spec);

// The compute container's requests and limits (without device-plugin resources,
// which follow the VMI's networks). `guest_memory`: the VMI's memory request.
models::ResourceRequirements compute_resources(const models::VMISpec& spec);

// A containerDisk container (and its -init twin, and the kernel-boot container):
// 1m CPU, 1M memory and 50M of ephemeral storage requested, 10m and 40M limits.
models::ResourceRequirements container_disk_resources();

// The container-disk-binary init container: 10m and 1M requested, 100m and 40M limits.
models::ResourceRequirements init_container_resources();

}  // namespace kvsim::sim::kubevirt
