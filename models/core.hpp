#pragma once
// The core/v1 group (and PriorityClass): Node, Pod, Namespace, Service,
// PersistentVolume, PersistentVolumeClaim, Event.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/kind_info.hpp"

namespace kvsim::models {

using ResourceList = std::map<std::string, Quantity>;

// A marker object such as `masquerade: {}`: any key inside is unknown.
struct Empty {};
template <class V>
void visit_fields(V&, Empty&) {}

template <class V>
void visit_fields(V& v, LabelSelectorRequirement& r) {
  v.field("key", r.key, Required);
  v.field("operator", r.op, Required);
  v.field("values", r.values);
}

template <class V>
void visit_fields(V& v, LabelSelector& s) {
  v.field("matchLabels", s.matchLabels);
  v.field("matchExpressions", s.matchExpressions);
}

struct ResourceRequirements {
  ResourceList requests;
  ResourceList limits;
};
template <class V>
void visit_fields(V& v, ResourceRequirements& r) {
  v.field("requests", r.requests);
  v.field("limits", r.limits);
  v.not_modelled("claims");
}

struct ContainerPort {
  std::string name;
  std::int32_t containerPort = 0;
  std::optional<std::int32_t> hostPort;
  std::string protocol;
  std::string hostIP;
};
template <class V>
void visit_fields(V& v, ContainerPort& p) {
  v.field("name", p.name);
  v.field("containerPort", p.containerPort, Required);
  v.field("hostPort", p.hostPort);
  v.enumerated("protocol", p.protocol, {"TCP", "UDP", "SCTP"});
  v.field("hostIP", p.hostIP);
}

struct VolumeMount {
  std::string name;
  std::string mountPath;
  std::optional<bool> readOnly;
  std::string subPath;
};
template <class V>
void visit_fields(V& v, VolumeMount& m) {
  v.field("name", m.name, Required);
  v.field("mountPath", m.mountPath, Required);
  v.field("readOnly", m.readOnly);
  v.field("subPath", m.subPath);
  v.ignore("mountPropagation");
}

struct Container {
  std::string name;
  std::string image;
  std::string imagePullPolicy;
  std::vector<std::string> command;
  std::vector<std::string> args;
  std::string workingDir;
  std::vector<ContainerPort> ports;
  Json env;
  Json envFrom;
  ResourceRequirements resources;
  std::vector<VolumeMount> volumeMounts;
  Json livenessProbe, readinessProbe, startupProbe, lifecycle, securityContext;
  std::string terminationMessagePath, terminationMessagePolicy;
  std::optional<bool> stdin_, tty;
};
template <class V>
void visit_fields(V& v, Container& c) {
  v.field("name", c.name, Required);
  v.field("image", c.image);
  v.enumerated("imagePullPolicy", c.imagePullPolicy, {"Always", "IfNotPresent", "Never"});
  v.field("command", c.command);
  v.field("args", c.args);
  v.field("workingDir", c.workingDir);
  v.field("ports", c.ports);
  v.opaque("env", c.env);
  v.opaque("envFrom", c.envFrom);
  v.field("resources", c.resources);
  v.field("volumeMounts", c.volumeMounts);
  v.opaque("livenessProbe", c.livenessProbe);
  v.opaque("readinessProbe", c.readinessProbe);
  v.opaque("startupProbe", c.startupProbe);
  v.opaque("lifecycle", c.lifecycle);
  v.opaque("securityContext", c.securityContext);
  v.field("terminationMessagePath", c.terminationMessagePath);
  v.enumerated("terminationMessagePolicy", c.terminationMessagePolicy, {"File", "FallbackToLogsOnError"});
  v.field("stdin", c.stdin_);
  v.field("tty", c.tty);
  v.not_modelled("volumeDevices");
  v.not_modelled("resizePolicy");
  v.not_modelled("restartPolicy");
}

struct Toleration {
  std::string key;
  std::string op;  // "operator": Exists or Equal (default Equal)
  std::string value;
  std::string effect;  // empty matches every effect
  std::optional<std::int64_t> tolerationSeconds;
  friend bool operator==(const Toleration&, const Toleration&) = default;
};
template <class V>
void visit_fields(V& v, Toleration& t) {
  v.field("key", t.key);
  v.enumerated("operator", t.op, {"Exists", "Equal"});
  v.field("value", t.value);
  v.enumerated("effect", t.effect, {"NoSchedule", "PreferNoSchedule", "NoExecute"});
  v.field("tolerationSeconds", t.tolerationSeconds);
}

struct NodeSelectorTerm {
  std::vector<LabelSelectorRequirement> matchExpressions;
  std::vector<LabelSelectorRequirement> matchFields;
};
template <class V>
void visit_fields(V& v, NodeSelectorTerm& t) {
  v.field("matchExpressions", t.matchExpressions);
  v.field("matchFields", t.matchFields);
}

struct NodeSelector {
  std::vector<NodeSelectorTerm> nodeSelectorTerms;
};
template <class V>
void visit_fields(V& v, NodeSelector& s) {
  v.field("nodeSelectorTerms", s.nodeSelectorTerms, Required);
}

struct PreferredSchedulingTerm {
  std::int32_t weight = 0;
  NodeSelectorTerm preference;
};
template <class V>
void visit_fields(V& v, PreferredSchedulingTerm& t) {
  v.field("weight", t.weight, Required);
  v.field("preference", t.preference, Required);
}

struct NodeAffinity {
  std::optional<NodeSelector> requiredDuringSchedulingIgnoredDuringExecution;
  std::vector<PreferredSchedulingTerm> preferredDuringSchedulingIgnoredDuringExecution;
};
template <class V>
void visit_fields(V& v, NodeAffinity& a) {
  v.field("requiredDuringSchedulingIgnoredDuringExecution", a.requiredDuringSchedulingIgnoredDuringExecution);
  v.field("preferredDuringSchedulingIgnoredDuringExecution", a.preferredDuringSchedulingIgnoredDuringExecution);
}

struct Affinity {
  std::optional<NodeAffinity> nodeAffinity;
};
template <class V>
void visit_fields(V& v, Affinity& a) {
  v.field("nodeAffinity", a.nodeAffinity);
  v.not_modelled("podAffinity");
  v.not_modelled("podAntiAffinity");
}

struct PVCVolumeSource {
  std::string claimName;
  std::optional<bool> readOnly;
};
template <class V>
void visit_fields(V& v, PVCVolumeSource& s) {
  v.field("claimName", s.claimName, Required);
  v.field("readOnly", s.readOnly);
}

struct HostPathVolumeSource {
  std::string path;
  std::string type;
};
template <class V>
void visit_fields(V& v, HostPathVolumeSource& s) {
  v.field("path", s.path, Required);
  v.field("type", s.type);
}

struct PodVolume {
  std::string name;
  std::optional<PVCVolumeSource> persistentVolumeClaim;
  std::optional<HostPathVolumeSource> hostPath;
  Json emptyDir, configMap, secret, projected, downwardAPI;
};
template <class V>
void visit_fields(V& v, PodVolume& vol) {
  v.field("name", vol.name, Required);
  v.field("persistentVolumeClaim", vol.persistentVolumeClaim);
  v.field("hostPath", vol.hostPath);
  v.opaque("emptyDir", vol.emptyDir);
  v.opaque("configMap", vol.configMap);
  v.opaque("secret", vol.secret);
  v.opaque("projected", vol.projected);
  v.opaque("downwardAPI", vol.downwardAPI);
  for (const char* k : {"nfs", "iscsi", "csi", "ephemeral", "image", "fc", "rbd", "cephfs", "awsElasticBlockStore",
                        "gcePersistentDisk", "azureDisk", "azureFile", "glusterfs", "flexVolume", "cinder"})
    v.not_modelled(k);
}

struct PodSpec {
  std::vector<Container> initContainers;
  std::vector<Container> containers;
  std::vector<PodVolume> volumes;
  std::string restartPolicy;
  std::optional<std::int64_t> terminationGracePeriodSeconds;
  std::map<std::string, std::string> nodeSelector;
  std::string nodeName;
  std::vector<Toleration> tolerations;
  std::optional<Affinity> affinity;
  std::string hostname;
  std::string subdomain;
  std::string serviceAccountName;
  std::string serviceAccount;
  std::string priorityClassName;
  std::optional<std::int32_t> priority;
  std::string schedulerName;
  std::optional<bool> hostNetwork;
  std::string dnsPolicy;
  Json securityContext, imagePullSecrets, dnsConfig, readinessGates;
  std::optional<bool> automountServiceAccountToken, enableServiceLinks;
  std::string preemptionPolicy;
};
template <class V>
void visit_fields(V& v, PodSpec& s) {
  v.field("initContainers", s.initContainers);
  v.field("containers", s.containers, Required);
  v.field("volumes", s.volumes);
  v.enumerated("restartPolicy", s.restartPolicy, {"Always", "OnFailure", "Never"});
  v.field("terminationGracePeriodSeconds", s.terminationGracePeriodSeconds);
  v.field("nodeSelector", s.nodeSelector);
  v.field("nodeName", s.nodeName);
  v.field("tolerations", s.tolerations);
  v.field("affinity", s.affinity);
  v.field("hostname", s.hostname);
  v.field("subdomain", s.subdomain);
  v.field("serviceAccountName", s.serviceAccountName);
  v.field("serviceAccount", s.serviceAccount);
  v.field("priorityClassName", s.priorityClassName);
  v.field("priority", s.priority);
  v.field("schedulerName", s.schedulerName);
  v.field("hostNetwork", s.hostNetwork);
  v.enumerated("dnsPolicy", s.dnsPolicy, {"ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"});
  v.opaque("securityContext", s.securityContext);
  v.opaque("imagePullSecrets", s.imagePullSecrets);
  v.opaque("dnsConfig", s.dnsConfig);
  v.opaque("readinessGates", s.readinessGates);
  v.field("automountServiceAccountToken", s.automountServiceAccountToken);
  v.field("enableServiceLinks", s.enableServiceLinks);
  v.enumerated("preemptionPolicy", s.preemptionPolicy, {"PreemptLowerPriority", "Never"});
  v.ignore("activeDeadlineSeconds");
  for (const char* k : {"topologySpreadConstraints", "overhead", "runtimeClassName", "ephemeralContainers",
                        "hostPID", "hostIPC", "shareProcessNamespace", "hostAliases", "os", "hostUsers",
                        "schedulingGates", "resourceClaims", "setHostnameAsFQDN", "resources"})
    v.not_modelled(k);
}

struct PodTemplateSpec {
  ObjectMeta metadata;
  PodSpec spec;
};
template <class V>
void visit_fields(V& v, PodTemplateSpec& t) {
  v.field("metadata", t.metadata);
  v.field("spec", t.spec);
}

struct ContainerStateWaiting {
  std::string reason, message;
};
template <class V>
void visit_fields(V& v, ContainerStateWaiting& s) {
  v.field("reason", s.reason);
  v.field("message", s.message);
}
struct ContainerStateRunning {
  std::optional<Timestamp> startedAt;
};
template <class V>
void visit_fields(V& v, ContainerStateRunning& s) {
  v.field("startedAt", s.startedAt);
}
struct ContainerStateTerminated {
  std::int32_t exitCode = 0;
  std::string reason, message;
  std::optional<Timestamp> startedAt, finishedAt;
};
template <class V>
void visit_fields(V& v, ContainerStateTerminated& s) {
  v.field("exitCode", s.exitCode, Always);
  v.field("reason", s.reason);
  v.field("message", s.message);
  v.field("startedAt", s.startedAt);
  v.field("finishedAt", s.finishedAt);
}
struct ContainerState {
  std::optional<ContainerStateWaiting> waiting;
  std::optional<ContainerStateRunning> running;
  std::optional<ContainerStateTerminated> terminated;
};
template <class V>
void visit_fields(V& v, ContainerState& s) {
  v.field("waiting", s.waiting);
  v.field("running", s.running);
  v.field("terminated", s.terminated);
}

struct ContainerStatus {
  std::string name;
  std::string image;
  bool ready = false;
  std::int32_t restartCount = 0;
  std::optional<bool> started;
  ContainerState state;
};
template <class V>
void visit_fields(V& v, ContainerStatus& s) {
  v.field("name", s.name);
  v.field("image", s.image);
  v.field("ready", s.ready, Always);
  v.field("restartCount", s.restartCount, Always);
  v.field("started", s.started);
  v.field("state", s.state);
  v.ignore("imageID");
  v.ignore("containerID");
  v.ignore("lastState");
}

struct PodIP {
  std::string ip;
};
template <class V>
void visit_fields(V& v, PodIP& p) {
  v.field("ip", p.ip);
}

struct PodStatus {
  std::string phase;
  std::vector<Condition> conditions;
  std::string reason, message;
  std::string hostIP;
  std::string podIP;
  std::vector<PodIP> podIPs;
  std::optional<Timestamp> startTime;
  std::vector<ContainerStatus> initContainerStatuses;
  std::vector<ContainerStatus> containerStatuses;
  std::string qosClass;
  std::string nominatedNodeName;
};
template <class V>
void visit_fields(V& v, PodStatus& s) {
  v.enumerated("phase", s.phase, {"Pending", "Running", "Succeeded", "Failed", "Unknown"});
  v.field("conditions", s.conditions);
  v.field("reason", s.reason);
  v.field("message", s.message);
  v.field("hostIP", s.hostIP);
  v.field("podIP", s.podIP);
  v.field("podIPs", s.podIPs);
  v.field("startTime", s.startTime);
  v.field("initContainerStatuses", s.initContainerStatuses);
  v.field("containerStatuses", s.containerStatuses);
  v.field("qosClass", s.qosClass);
  v.field("nominatedNodeName", s.nominatedNodeName);
  v.ignore("hostIPs");
}

struct Pod : ObjectOf<Pod> {
  PodSpec spec;
  PodStatus status;
  static const KindInfo& kind_info();
};
template <class V>
void visit_fields(V& v, Pod& p) {
  visit_header(v, p);
  v.field("spec", p.spec);
  v.field("status", p.status);
}

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
  v.not_modelled("volumeAttributesClassName");
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

struct Event : ObjectOf<Event> {
  ObjectReference involvedObject;
  std::string reason, message, type;
  std::int32_t count = 0;
  std::optional<Timestamp> firstTimestamp, lastTimestamp;
  EventSource source;
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

// Resource totals a pod asks of a node: the larger of the sum of its
// containers' requests and any one init container's, per resource.
ResourceList pod_requests(const PodSpec& spec);

void validate_pod_spec(const PodSpec& s, const std::string& path, DecodeContext& ctx);
void validate_pvc_spec(const PersistentVolumeClaimSpec& s, const std::string& path, DecodeContext& ctx);

}  // namespace kvsim::models
