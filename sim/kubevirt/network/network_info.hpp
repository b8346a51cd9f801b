#pragma once
// The kubevirt.io/network-info annotation, pure. virt-controller adds it to a ready launcher pod
// (v1.5 pkg/network/pod/annotations/generator.go GenerateFromActivePod, pkg/network/downwardapi):
// for each SR-IOV interface, the device info Multus reported for its pod interface. A downward-API
// volume hands it to virt-launcher, which reads the VF's PCI address from it to build the
// domain's hostdev.
#include <string>

#include "models/kubevirt.hpp"
#include "models/pod.hpp"

namespace kvsim::sim::kubevirt::network {

inline constexpr const char* kNetworkInfoAnnotation = "kubevirt.io/network-info";

// {"interfaces":[{"network":"sriov-net","deviceInfo":{"type":"pci","version":"1.1.0","pci":{...}}}]},
// Go's json.Marshal of downwardapi.NetworkInfo; "" when no SR-IOV interface has device info yet.
// Upstream ranges over a Go map, so several interfaces come in no fixed order; kvsim lists
// them in spec order.
std::string network_info_annotation(const models::VirtualMachineInstance& vmi, const models::Pod& pod);

}  // namespace kvsim::sim::kubevirt::network
