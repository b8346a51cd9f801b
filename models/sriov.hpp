#pragma once
// The SR-IOV Network Operator's API (sriovnetwork.openshift.io/v1), FIDELITY.md §5:
// a SriovNetworkNodePolicy carves virtual functions (VFs) out of the NICs of
// the nodes it selects and advertises them as the extended resource
// openshift.io/<resourceName>; a SriovNetwork names such a resource and makes
// the operator create a NetworkAttachmentDefinition of the same name.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/core.hpp"

namespace kvsim::models {

// The resource prefix the operator gives every VF pool (its default on OpenShift).
inline constexpr const char* kSriovResourcePrefix = "openshift.io/";

struct SriovNicSelector {
  std::string vendor, deviceID, netFilter;
  std::vector<std::string> pfNames, rootDevices;
};
template <class V>
void visit_fields(V& v, SriovNicSelector& n) {
  v.field("vendor", n.vendor);
  v.field("deviceID", n.deviceID);
  v.field("netFilter", n.netFilter);
  v.field("pfNames", n.pfNames);
  v.field("rootDevices", n.rootDevices);
}

struct SriovNetworkNodePolicySpec {
  std::string resourceName;
  std::map<std::string, std::string> nodeSelector;
  std::optional<std::int32_t> priority, mtu;
  std::int32_t numVfs = 0;
  SriovNicSelector nicSelector;
  std::string deviceType;  // netdevice (default) or vfio-pci (what KubeVirt passes through)
  std::optional<bool> isRdma, needVhostNet, excludeTopology, externallyManaged;
  std::string linkType, eSwitchMode;
};
template <class V>
void visit_fields(V& v, SriovNetworkNodePolicySpec& s) {
  v.field("resourceName", s.resourceName, Required);
  v.field("nodeSelector", s.nodeSelector, Required);
  v.field("priority", s.priority);
  v.field("mtu", s.mtu);
  v.field("numVfs", s.numVfs, Required);
  v.field("nicSelector", s.nicSelector, Required);
  v.enumerated("deviceType", s.deviceType, {"netdevice", "vfio-pci"});
  v.field("isRdma", s.isRdma);
  v.field("needVhostNet", s.needVhostNet);
  v.field("excludeTopology", s.excludeTopology);
  v.field("externallyManaged", s.externallyManaged);
  v.enumerated("linkType", s.linkType, {"eth", "ETH", "ib", "IB"});
  v.enumerated("eSwitchMode", s.eSwitchMode, {"legacy", "switchdev"});
  v.not_modelled("vdpaType");
  v.not_modelled("bridge");
}

struct SriovNetworkNodePolicy : ObjectOf<SriovNetworkNodePolicy> {
  SriovNetworkNodePolicySpec spec;
  Json status;
  static const KindInfo& kind_info();
};
template <class V>
void visit_fields(V& v, SriovNetworkNodePolicy& o) {
  visit_header(v, o);
  v.field("spec", o.spec, Required);
  v.opaque("status", o.status);
}

struct SriovNetworkSpec {
  std::string resourceName, networkNamespace, spoofChk, trust, ipam, linkState, capabilities, metaPlugins, logLevel,
      logFile;
  std::optional<std::int32_t> vlan, vlanQoS, maxTxRate, minTxRate;
};
template <class V>
void visit_fields(V& v, SriovNetworkSpec& s) {
  v.field("resourceName", s.resourceName, Required);
  v.field("networkNamespace", s.networkNamespace);
  v.field("vlan", s.vlan);
  v.field("vlanQoS", s.vlanQoS);
  v.enumerated("spoofChk", s.spoofChk, {"on", "off"});
  v.enumerated("trust", s.trust, {"on", "off"});
  v.field("ipam", s.ipam);
  v.enumerated("linkState", s.linkState, {"auto", "enable", "disable"});
  v.field("capabilities", s.capabilities);
  v.field("maxTxRate", s.maxTxRate);
  v.field("minTxRate", s.minTxRate);
  v.field("metaPlugins", s.metaPlugins);
  v.enumerated("logLevel", s.logLevel, {"panic", "error", "warning", "info", "debug", ""});
  v.field("logFile", s.logFile);
}

struct SriovNetwork : ObjectOf<SriovNetwork> {
  SriovNetworkSpec spec;
  Json status;
  static const KindInfo& kind_info();
  // Where its NAD goes: networkNamespace, or the SriovNetwork's own namespace.
  const std::string& target_namespace() const {
    return spec.networkNamespace.empty() ? metadata.namespace_ : spec.networkNamespace;
  }
};
template <class V>
void visit_fields(V& v, SriovNetwork& o) {
  visit_header(v, o);
  v.field("spec", o.spec, Required);
  v.opaque("status", o.status);
}

}  // namespace kvsim::models
