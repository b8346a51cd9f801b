#pragma once
// The core/v1 group (and PriorityClass): Node, Namespace, Service,
// PersistentVolume, PersistentVolumeClaim, Event; Pod is in pod.hpp.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/pod.hpp"

namespace kvsim::models {

struct Taint {
  std::string key;
  std::string value;
  std::string effect;
  std::optional<Timestamp> timeAdded;
  friend bool operator==(const Taint& a, const Taint& b) {
    return a.key == b.key && a.value == b.value && a.effect == b.effect;
  }
};
template <class V>
void visit_fields(V& v, Taint& t) {
  v.field("key", t.key, Required);
  v.field("value", t.value);
  v.enumerated("effect", t.effect, {"NoSchedule", "PreferNoSchedule", "NoExecute"}, Required);
  v.field("timeAdded", t.timeAdded);
}

struct NodeSpec {
  std::string podCIDR;
  std::vector<std::string> podCIDRs;
  std::optional<bool> unschedulable;
  std::vector<Taint> taints;
  std::string providerID;
};
template <class V>
void visit_fields(V& v, NodeSpec& s) {
  v.field("podCIDR", s.podCIDR);
  v.field("podCIDRs", s.podCIDRs);
  v.field("unschedulable", s.unschedulable);
  v.field("taints", s.taints);
  v.field("providerID", s.providerID);
}

struct NodeAddress {
  std::string type, address;
};
template <class V>
void visit_fields(V& v, NodeAddress& a) {
  v.field("type", a.type);
  v.field("address", a.address);
}

struct NodeSystemInfo {
  std::string kubeletVersion, osImage, kernelVersion, containerRuntimeVersion, architecture, operatingSystem;
};
template <class V>
void visit_fields(V& v, NodeSystemInfo& i) {
  v.field("kubeletVersion", i.kubeletVersion);
  v.field("osImage", i.osImage);
  v.field("kernelVersion", i.kernelVersion);
  v.field("containerRuntimeVersion", i.containerRuntimeVersion);
  v.field("architecture", i.architecture);
  v.field("operatingSystem", i.operatingSystem);
}

struct NodeStatus {
  ResourceList capacity;
  ResourceList allocatable;
  std::vector<Condition> conditions;
  std::vector<NodeAddress> addresses;
  NodeSystemInfo nodeInfo;
};
template <class V>
void visit_fields(V& v, NodeStatus& s) {
  v.field("capacity", s.capacity);
  v.field("allocatable", s.allocatable);
  v.field("conditions", s.conditions);
  v.field("addresses", s.addresses);
  v.field("nodeInfo", s.nodeInfo);
  v.ignore("images");
  v.ignore("daemonEndpoints");
}

struct Node : ObjectOf<Node> {
  NodeSpec spec;
  NodeStatus status;
  static const KindInfo& kind_info();
};
template <class V>
void visit_fields(V& v, Node& n) {
  visit_header(v, n);
  v.field("spec", n.spec);
  v.field("status", n.status);
}

struct NamespaceStatus {
  std::string phase;
};
template <class V>
void visit_fields(V& v, NamespaceStatus& s) {
  v.enumerated("phase", s.phase, {"Active", "Terminating"});
}
struct Namespace : ObjectOf<Namespace> {
  Json spec;
  NamespaceStatus status;
  static const KindInfo& kind_info();
};
template <class V>
void visit_fields(V& v, Namespace& n) {
  visit_header(v, n);
  v.opaque("spec", n.spec);
  v.field("status", n.status);
}

struct ServicePort {
  std::string name;
  std::int32_t port = 0;
  std::optional<IntOrString> targetPort;
  std::string protocol;
  std::optional<std::int32_t> nodePort;
};
template <class V>
void visit_fields(V& v, ServicePort& p) {
  v.field("name", p.name);
  v.field("port", p.port, Required);
  v.field("targetPort", p.targetPort);
  v.enumerated("protocol", p.protocol, {"TCP", "UDP", "SCTP"});
  v.field("nodePort", p.nodePort);
  v.ignore("appProtocol");
}

struct ServiceSpec {
  std::map<std::string, std::string> selector;
  std::vector<ServicePort> ports;
  std::string clusterIP;
  std::vector<std::string> clusterIPs;
  std::string type;
  std::string sessionAffinity;
  std::optional<bool> publishNotReadyAddresses;
  std::string externalTrafficPolicy;
};
template <class V>
void visit_fields(V& v, ServiceSpec& s) {
  v.field("selector", s.selector);
  v.field("ports", s.ports);
  v.field("clusterIP", s.clusterIP);
  v.field("clusterIPs", s.clusterIPs);
  v.enumerated("type", s.type, {"ClusterIP", "NodePort", "LoadBalancer", "ExternalName"});
  v.enumerated("sessionAffinity", s.sessionAffinity, {"ClientIP", "None"});
  v.field("publishNotReadyAddresses", s.publishNotReadyAddresses);
  // Where a NodePort's traffic may go (kube-proxy's choice): kvsim has no kube-proxy.
  v.not_simulated("externalTrafficPolicy", s.externalTrafficPolicy, {"Cluster", "Local"});
  v.ignore("ipFamilies");
  v.ignore("ipFamilyPolicy");
  v.ignore("internalTrafficPolicy");
  v.not_modelled("externalName");
  v.not_modelled("loadBalancerIP");
  v.not_modelled("externalIPs");
}

struct Service : ObjectOf<Service> {
  ServiceSpec spec;
  Json status;
  static const KindInfo& kind_info();
};
template <class V>
void visit_fields(V& v, Service& s) {
  visit_header(v, s);
  v.field("spec", s.spec);
  v.opaque("status", s.status);
}

struct ObjectReference {
  std::string apiVersion, kind, namespace_, name, uid, fieldPath, resourceVersion;
};
template <class V>
void visit_fields(V& v, ObjectReference& r) {
  v.field("apiVersion", r.apiVersion);
  v.field("kind", r.kind);
  v.field("namespace", r.namespace_);
  v.field("name", r.name);
  v.field("uid", r.uid);
  v.field("fieldPath", r.fieldPath);
  v.field("resourceVersion", r.resourceVersion);
}

struct PersistentVolumeSpec {
  ResourceList capacity;
  std::vector<std::string> accessModes;
  std::string storageClassName;
  std::string persistentVolumeReclaimPolicy;
  std::string volumeMode;
  std::optional<HostPathVolumeSource> hostPath;
  Json nfs, csi, local, nodeAffinity;
  std::optional<ObjectReference> claimRef;
  std::vector<std::string> mountOptions;
};
template <class V>
void visit_fields(V& v, PersistentVolumeSpec& s) {
  v.field("capacity", s.capacity);
  v.field("accessModes", s.accessModes);
  v.field("storageClassName", s.storageClassName);
  v.enumerated("persistentVolumeReclaimPolicy", s.persistentVolumeReclaimPolicy, {"Retain", "Delete", "Recycle"});
  v.enumerated("volumeMode", s.volumeMode, {"Filesystem", "Block"});
  v.field("hostPath", s.hostPath);
  v.opaque("nfs", s.nfs);
  v.opaque("csi", s.csi);
  v.opaque("local", s.local);
  v.opaque("nodeAffinity", s.nodeAffinity);
  v.field("claimRef", s.claimRef);
  v.field("mountOptions", s.mountOptions);
}

struct PersistentVolumeStatus {
  std::string phase, reason, message;
};
template <class V>
void visit_fields(V& v, PersistentVolumeStatus& s) {
  v.enumerated("phase", s.phase, {"Pending", "Available", "Bound", "Released", "Failed"});
  v.field("reason", s.reason);
  v.field("message", s.message);
}

struct PersistentVolume : ObjectOf<PersistentVolume> {
  PersistentVolumeSpec spec;
  PersistentVolumeStatus status;
  static const KindInfo& kind_info();
};
template <class V>
void visit_fields(V& v, PersistentVolume& p) {
  visit_header(v, p);
  v.field("spec", p.spec);
  v.field("status", p.status);
}

struct PersistentVolumeClaimSpec {
  std::vector<std::string> accessModes;
  ResourceRequirements resources;
  std::optional<std::string> storageClassName;
  std::string volumeName;
  std::string volumeMode;
  std::optional<LabelSelector> selector;
  Json dataSource, dataSourceRef;
  std::string volumeAttributesClassName;
};
template <class V>
void visit_fields(V& v, PersistentVolumeClaimSpec& s) {
  v.field("accessModes", s.accessModes);
  v.field("resources", s.resources);
  v.field("storageClassName", s.storageClassName);
  v.field("volumeName", s.volumeName);
  v.enumerated("volumeMode", s.volumeMode, {"Filesystem", "Block"});
  v.field("selector", s.selector);
  v.opaque("dataSource", s.dataSource);
  v.opaque("dataSourceRef", s.dataSourceRef);
  v.not_simulated("volumeAttributesClassName", s.volumeAttributesClassName);
}

struct PersistentVolumeClaimStatus {
  std::string phase;
  std::vector<std::string> accessModes;
  ResourceList capacity;
};
template <class V>
void visit_fields(V& v, PersistentVolumeClaimStatus& s) {
  v.enumerated("phase", s.phase, {"Pending", "Bound", "Lost"});
  v.field("accessModes", s.accessModes);
  v.field("capacity", s.capacity);
  v.ignore("conditions");
}

struct PersistentVolumeClaim : ObjectOf<PersistentVolumeClaim> {
  PersistentVolumeClaimSpec spec;
  PersistentVolumeClaimStatus status;
  static const KindInfo& kind_info();
};
template <class V>
void visit_fields(V& v, PersistentVolumeClaim& p) {
  visit_header(v, p);
  v.field("spec", p.spec, Required);
  v.field("status", p.status);
}

struct EventSource {
  std::string component, host;
};
template <class V>
void visit_fields(V& v, EventSource& s) {
  v.field("component", s.component);
  v.field("host", s.host);
}

// The involved object and the source are shared with the other Events that name them alike
// (Store::record_event): a VM's Events are about a handful of objects, written by a handful of
// components, and each held its own copies (224 + 64 bytes, with their strings).
struct Event : ObjectOf<Event> {
  Shared<ObjectReference> involvedObject;
  // Shared with the Events that say the same: most say what thousands of others do
  // ("Started container compute"), each once per pod.
  Shared<std::string> reason, message, type;
  std::int32_t count = 0;
  std::optional<Timestamp> firstTimestamp, lastTimestamp;
  Shared<EventSource> source;
  static const KindInfo& kind_info();
};
template <class V>
void visit_fields(V& v, Event& e) {
  visit_header(v, e);
  v.field("involvedObject", e.involvedObject, Required);
  v.field("reason", e.reason);
  v.field("message", e.message);
  v.enumerated("type", e.type, {"Normal", "Warning"});
  v.field("count", e.count);
  v.field("firstTimestamp", e.firstTimestamp);
  v.field("lastTimestamp", e.lastTimestamp);
  v.field("source", e.source);
  v.ignore("eventTime");
  v.ignore("reportingComponent");
  v.ignore("reportingInstance");
}

// A ConfigMap: configuration a pod mounts (a volume) or reads. Only its keys
// matter to the simulation (the kubelet mounts it; `get` counts its DATA).
struct ConfigMap : ObjectOf<ConfigMap> {
  std::map<std::string, std::string> data;
  Json binaryData;
  std::optional<bool> immutable;
  static const KindInfo& kind_info();
  std::size_t keys() const { return data.size() + (binaryData.is_object() ? binaryData.size() : 0); }
};
template <class V>
void visit_fields(V& v, ConfigMap& c) {
  visit_header(v, c);
  v.field("data", c.data);
  v.opaque("binaryData", c.binaryData);
  v.field("immutable", c.immutable);
}

// A Secret: data a pod or VM reads (a volume, cloud-init user data, SSH
// keys). `data` holds each value base64-encoded, as on the wire; admission
// merges `stringData` (plain text, write-only) into it, as the API server
// does, and `type` defaults to Opaque.
struct Secret : ObjectOf<Secret> {
  std::map<std::string, std::string> data;
  std::map<std::string, std::string> stringData;
  std::string type;
  std::optional<bool> immutable;
  static const KindInfo& kind_info();
  // The decoded value of `key`, nullopt when the Secret has no such key.
  std::optional<std::string> value(const std::string& key) const;
};
template <class V>
void visit_fields(V& v, Secret& s) {
  visit_header(v, s);
  v.field("data", s.data);
  v.field("stringData", s.stringData);
  v.field("type", s.type);
  v.field("immutable", s.immutable);
}

// Why `key` cannot name an entry of a ConfigMap's or Secret's data
// (apimachinery's IsConfigMapKey), or "" when it can.
std::string check_config_key(std::string_view key);

struct PriorityClass : ObjectOf<PriorityClass> {
  std::int32_t value = 0;
  std::optional<bool> globalDefault;
  std::string description;
  std::string preemptionPolicy;
  static const KindInfo& kind_info();
};
template <class V>
void visit_fields(V& v, PriorityClass& p) {
  visit_header(v, p);
  v.field("value", p.value, Required);
  v.field("globalDefault", p.globalDefault);
  v.field("description", p.description);
  v.enumerated("preemptionPolicy", p.preemptionPolicy, {"PreemptLowerPriority", "Never"});
}


void validate_pvc_spec(const PersistentVolumeClaimSpec& s, const std::string& path, DecodeContext& ctx);

}  // namespace kvsim::models
