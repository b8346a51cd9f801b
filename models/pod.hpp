#pragma once
// The Pod and everything a pod spec is made of (containers, volumes,
// tolerations, affinity), plus the marker and selector codecs the other
// groups reuse.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/boxed.hpp"
#include "models/kind_info.hpp"
#include "models/pod_affinity.hpp"

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
  // The scheduler has no inter-pod affinity yet: kept, without effect.
  std::optional<PodAffinity> podAffinity;
  std::optional<PodAntiAffinity> podAntiAffinity;
};
template <class V>
void visit_fields(V& v, Affinity& a) {
  v.field("nodeAffinity", a.nodeAffinity);
  v.not_simulated("podAffinity", a.podAffinity);
  v.not_simulated("podAntiAffinity", a.podAntiAffinity);
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
  Boxed<Affinity> affinity;
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

// Resource totals a pod asks of a node: the larger of the sum of its
// containers' requests and any one init container's, per resource.
ResourceList pod_requests(const PodSpec& spec);
void validate_pod_spec(const PodSpec& s, const std::string& path, DecodeContext& ctx);

}  // namespace kvsim::models
