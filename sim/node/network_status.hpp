#pragma once
// The k8s.v1.cni.cncf.io/network-status annotation Multus writes on a pod when its sandbox is
// set up, pure: the cluster network's attachment (OVN-Kubernetes on eth0, default) then each
// secondary network the pod's k8s.v1.cni.cncf.io/networks annotation asks for, in that order.
// Each entry is Go's json.MarshalIndent(NetworkStatus, "", "    "), joined by "," inside
// "[...]" (network-attachment-definition-client SetNetworkStatus).
#include <functional>
#include <string>

#include "models/pod.hpp"

namespace kvsim::sim::node {

inline constexpr const char* kNetworkStatusAnnotation = "k8s.v1.cni.cncf.io/network-status";

// A MAC for a secondary interface that asked for none (the CNI plugin's random one).
using RandomMac = std::function<std::string()>;

// The annotation for `pod` with address `pod_ip`; "" for a host-network pod (no CNI runs).
std::string network_status(const models::Pod& pod, const std::string& pod_ip, const RandomMac& random_mac);

// OVN-Kubernetes' MAC for a pod address (util.IPAddrToHWAddr): 0a:58 then the IPv4 bytes.
std::string ovn_mac(const std::string& ipv4);

}  // namespace kvsim::sim::node
