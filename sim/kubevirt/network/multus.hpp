#pragma once
// Multus secondary networks of a VMI, pure (FIDELITY.md §5): which
// NetworkAttachmentDefinition each `multus.networkName` names, the launcher
// pod's k8s.v1.cni.cncf.io/networks annotation, and the device-plugin
// resource (an SR-IOV VF pool) each network asks of the node.
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "models/kubevirt.hpp"
#include "models/multus.hpp"
#include "models/pod.hpp"

namespace kvsim::sim::kubevirt::network {

using models::kNetworksAnnotation;
using models::kNetworkStatusAnnotation;
using models::kResourceNameAnnotation;

// "ns/name" names a NAD in ns; a bare "name" is looked up in the VMI's own
// namespace (upstream getNamespaceAndNetworkName: never in another one).
std::pair<std::string, std::string> nad_of(const std::string& vmi_namespace, const std::string& network_name);

struct MultusAttachment {
  std::string network;    // the VMI's network name
  std::string nad_namespace, nad_name;
  std::string pod_interface;  // pod<hash of the network's name> (hashed_pod_interface_name)
  std::string resource;       // the NAD's resourceName annotation, "" when none
  std::string binding;        // the interface's binding method (bridge, sriov, ...)
  std::string mac;            // the interface's macAddress, "" when none is asked for
};

struct ResolvedNetworks {
  // Non-empty when a NAD is missing: virt-controller cannot render the pod.
  std::string error;
  std::vector<MultusAttachment> multus;
};

using NadLookup = std::function<const models::NetworkAttachmentDefinition*(const std::string& ns, const std::string& name)>;

ResolvedNetworks resolve_networks(const models::VirtualMachineInstance& vmi, const NadLookup& find_nad);

// A secondary network's interface in the launcher pod, as KubeVirt >= 1.1 names it
// (pkg/network/namescheme GenerateHashedInterfaceName): "pod" + the first 11 hex digits of
// sha256(the VMI network's name), e.g. "pod5862143f341" for network "sriov-net".
std::string hashed_pod_interface_name(const std::string& network);

// The pod annotation value, as virt-controller writes it:
// [{"name":"ptp-conf","namespace":"default","interface":"pode31d7ce2712"}] for network "ptp".
std::string networks_annotation(const std::vector<MultusAttachment>& multus);

// Each VMI network's interface inside the launcher pod: eth0 for the pod
// network, the networks annotation's "interface" for Multus ones (in the
// order of spec.networks, as the annotation was written).
std::map<std::string, std::string> pod_interfaces(const models::VirtualMachineInstance& vmi, const models::Pod& pod);

}  // namespace kvsim::sim::kubevirt::network
