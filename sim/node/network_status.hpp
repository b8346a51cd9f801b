#pragma once
// The k8s.v1.cni.cncf.io/network-status annotation Multus writes on a pod when its sandbox is
// set up, pure: the cluster network's attachment (OVN-Kubernetes on eth0, default) then each
// secondary network the pod's k8s.v1.cni.cncf.io/networks annotation asks for, in that order.
// Each entry is Go's json.MarshalIndent(NetworkStatus, "", "    "), joined by "," inside
// "[...]" (network-attachment-definition-client SetNetworkStatus).
// A network backed by a device (an SR-IOV VF bound to vfio-pci, as KubeVirt uses them) has no
// netdev in the pod: its entry has no IP and no MAC of its own, and carries the device-info
// the device plugin wrote for the VF (device-info spec 1.1.0, type pci).
#include <functional>
#include <string>
#include <vector>

#include "models/multus.hpp"
#include "models/pod.hpp"

namespace kvsim::sim::node {

using models::kNetworkStatusAnnotation;

// A MAC for a secondary interface that asked for none (the CNI plugin's random one).
using RandomMac = std::function<std::string()>;
// The PCI address of the device the pod got for the NAD `ns`/`name`; "" when the network
// needs no device (not SR-IOV).
using DeviceFor = std::function<std::string(const std::string& ns, const std::string& name)>;

// The annotation for `pod` with address `pod_ip`; "" for a host-network pod (no CNI runs).
std::string network_status(const models::Pod& pod, const std::string& pod_ip, const RandomMac& random_mac,
                           const DeviceFor& device_for);

// The PCI address of the `index`-th virtual function of a node's SR-IOV NIC. Real addresses
// depend on the card; kvsim lays them out as an Intel X710 does (PF at 3b:00.0, VFs from 3b:02.0,
// eight functions per device).
std::string vf_pci_address(int index);

// The PCI addresses in `pod`'s network-status device-info entries: the devices it holds.
std::vector<std::string> device_pci_addresses(const models::Pod& pod);

// OVN-Kubernetes' MAC for a pod address (util.IPAddrToHWAddr): 0a:58 then the IPv4 bytes.
std::string ovn_mac(const std::string& ipv4);

}  // namespace kvsim::sim::node
