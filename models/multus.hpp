#pragma once
// Multus' annotations (network-attachment-definition-client), read and written on both sides:
// virt-controller asks the launcher pod's networks, the node's CNI reports what each gave.
namespace kvsim::models {

// On a NAD: the device-plugin resource (an SR-IOV VF pool) its pods need.
inline constexpr const char* kResourceNameAnnotation = "k8s.v1.cni.cncf.io/resourceName";
// On a pod: the secondary networks it asks for.
inline constexpr const char* kNetworksAnnotation = "k8s.v1.cni.cncf.io/networks";
// On a pod: what each network gave it (written by Multus as the sandbox is set up).
inline constexpr const char* kNetworkStatusAnnotation = "k8s.v1.cni.cncf.io/network-status";

}  // namespace kvsim::models
