// `oc describe pod` and the pod template sections of the workload describers
// (k8s.io/kubectl/pkg/describe: describePod, DescribePodTemplate).
#include <algorithm>
#include <cmath>

#include "models/apps.hpp"
#include "models/pod_admission.hpp"
#include "sim/commands/describe_writer.hpp"

namespace kvsim::sim::commands::describing {

using models::Condition;
using models::Object;
using models::ObjectPtr;

// ---------------------------------------------------------------- containers and pods

void describe_env(Out& o, const Json& env) {
  if (!env.is_array() || env.empty()) {
    o.w(2, "Environment:\t<none>\n");
    return;
  }
  o.w(2, "Environment:\n");
  for (const auto& e : env) {
    if (!e.is_object()) continue;
    const std::string name = json_str(e, "name");
    const Json& from = json_obj(e, "valueFrom");
    if (from.empty()) {
      o.f(3, "{}:\t{}\n", name, json_str(e, "value"));
    } else if (from.contains("configMapKeyRef")) {
      const Json& r = json_obj(from, "configMapKeyRef");
      o.f(3, "{}:\t<set to the key '{}' of config map '{}'>\tOptional: {}\n", name, json_str(r, "key"),
          json_str(r, "name"), bool_text(json_bool(r, "optional")));
    } else if (from.contains("secretKeyRef")) {
      const Json& r = json_obj(from, "secretKeyRef");
      o.f(3, "{}:\t<set to the key '{}' in secret '{}'>\tOptional: {}\n", name, json_str(r, "key"),
          json_str(r, "name"), bool_text(json_bool(r, "optional")));
    } else if (from.contains("fieldRef")) {
      const Json& r = json_obj(from, "fieldRef");
      o.f(3, "{}:\t ({}:{})\n", name, json_str(r, "apiVersion", "v1"), json_str(r, "fieldPath"));
    } else {
      o.f(3, "{}:\t<set from {}>\n", name, from.begin().key());
    }
  }
}

void describe_container(Out& o, const models::Container& c, const models::ContainerStatus* status,
                        bool indent_name) {
  o.f(1, "{}{}:\n", indent_name ? " " : "", c.name);
  o.f(2, "Image:\t{}\n", c.image);
  std::vector<std::string> ports, host_ports;
  for (const auto& p : c.ports) {
    const std::string proto = p.protocol.empty() ? "TCP" : p.protocol;
    ports.push_back(fmt::format("{}/{}", p.containerPort, proto));
    host_ports.push_back(fmt::format("{}/{}", p.hostPort.value_or(0), proto));
  }
  o.f(2, "{}:\t{}\n", ports.size() > 1 ? "Ports" : "Port", ports.empty() ? "<none>" : join(ports, ", "));
  o.f(2, "{}:\t{}\n", host_ports.size() > 1 ? "Host Ports" : "Host Port",
      host_ports.empty() ? "<none>" : join(host_ports, ", "));
  if (!c.command.empty()) {
    o.w(2, "Command:\n");
    for (const auto& s : c.command) o.f(3, "{}\n", s);
  }
  if (!c.args.empty()) {
    o.w(2, "Args:\n");
    for (const auto& s : c.args) o.f(3, "{}\n", s);
  }
  if (status) {
    const auto& st = status->state;
    if (st.running) {
      o.w(2, "State:\tRunning\n");
      o.f(3, "Started:\t{}\n", time_text(st.running->startedAt));
    } else if (st.terminated) {
      o.w(2, "State:\tTerminated\n");
      if (!st.terminated->reason.empty()) o.f(3, "Reason:\t{}\n", st.terminated->reason);
      if (!st.terminated->message.empty()) o.f(3, "Message:\t{}\n", st.terminated->message);
      o.f(3, "Exit Code:\t{}\n", st.terminated->exitCode);
      o.f(3, "Started:\t{}\n", time_text(st.terminated->startedAt));
      o.f(3, "Finished:\t{}\n", time_text(st.terminated->finishedAt));
    } else {
      o.w(2, "State:\tWaiting\n");
      if (st.waiting && !st.waiting->reason.empty()) o.f(3, "Reason:\t{}\n", st.waiting->reason);
    }
    o.f(2, "Ready:\t{}\n", status->ready ? "True" : "False");
    o.f(2, "Restart Count:\t{}\n", status->restartCount);
  }
  for (const auto& [title, list] : {std::pair{"Limits", &c.resources.limits}, {"Requests", &c.resources.requests}}) {
    if (list->empty()) continue;
    o.f(2, "{}:\n", title);
    for (const auto& [name, q] : *list) o.f(3, "{}:\t{}\n", name, q.text());
  }
  describe_env(o, c.env);
  if (c.volumeMounts.empty()) {
    o.w(2, "Mounts:\t<none>\n");
  } else {
    o.w(2, "Mounts:\n");
    auto mounts = c.volumeMounts;
    std::stable_sort(mounts.begin(), mounts.end(), [](const auto& a, const auto& b) { return a.mountPath < b.mountPath; });
    for (const auto& m : mounts) {
      std::string flags = m.readOnly.value_or(false) ? "ro" : "rw";
      if (!m.subPath.empty()) flags += ",path=\"" + m.subPath + "\"";
      o.f(3, "{} from {} ({})\n", m.mountPath, m.name, flags);
    }
  }
}

void describe_containers(Out& o, std::string_view label, const std::vector<models::Container>& containers,
                         const std::vector<models::ContainerStatus>* statuses, std::string_view space) {
  o.f(0, "{}{}:{}\n", space, label, containers.empty() ? " <none>" : "");
  for (const auto& c : containers) {
    const models::ContainerStatus* status = nullptr;
    if (statuses)
      for (const auto& s : *statuses)
        if (s.name == c.name) status = &s;
    describe_container(o, c, status, !space.empty());
  }
}

void describe_volumes(Out& o, const std::vector<models::PodVolume>& volumes, std::string_view space) {
  if (volumes.empty()) {
    o.f(0, "{}Volumes:\t<none>\n", space);
    return;
  }
  o.f(0, "{}Volumes:\n", space);
  for (const auto& v : volumes) {
    o.f(1, "{}{}:\n", space.empty() ? "" : " ", v.name);
    if (v.hostPath) {
      o.f(2, "Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{}\n", v.hostPath->path,
          v.hostPath->type.empty() ? "<none>" : v.hostPath->type);
    } else if (v.persistentVolumeClaim) {
      o.f(2,
          "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n"
          "    ClaimName:\t{}\n    ReadOnly:\t{}\n",
          v.persistentVolumeClaim->claimName, bool_text(v.persistentVolumeClaim->readOnly.value_or(false)));
    } else if (!v.emptyDir.is_null()) {
      o.f(2, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t{}\n    SizeLimit:\t{}\n",
          json_str(v.emptyDir, "medium"), json_str(v.emptyDir, "sizeLimit", "<unset>"));
    } else if (!v.configMap.is_null()) {
      o.f(2, "Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n    Optional:\t{}\n",
          json_str(v.configMap, "name"), bool_text(json_bool(v.configMap, "optional")));
    } else if (!v.secret.is_null()) {
      o.f(2, "Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n    Optional:\t{}\n",
          json_str(v.secret, "secretName"), bool_text(json_bool(v.secret, "optional")));
    } else if (!v.projected.is_null()) {
      o.w(2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n");
    } else if (!v.downwardAPI.is_null()) {
      o.w(2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n");
    }
  }
}

void tolerations_multiline(Out& o, std::string_view title, std::vector<models::Toleration> tolerations) {
  o.f(0, "{}:\t", title);
  if (tolerations.empty()) {
    o.w(0, "<none>\n");
    return;
  }
  std::stable_sort(tolerations.begin(), tolerations.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  for (std::size_t i = 0; i < tolerations.size(); ++i) {
    const auto& t = tolerations[i];
    std::string text = i == 0 ? "" : "\t";
    text += t.key;
    if (!t.value.empty()) text += "=" + t.value;
    if (!t.effect.empty()) text += ":" + t.effect;
    if (t.op == "Exists" && t.value.empty()) text += (!t.key.empty() || !t.effect.empty()) ? " op=Exists" : "op=Exists";
    if (t.tolerationSeconds) text += fmt::format(" for {}s", *t.tolerationSeconds);
    o.f(0, "{}\n", text);
  }
}

void describe_pod(Out& o, const models::Pod& pod, double now) {
  if (pod.spec.priority) o.f(0, "Priority:\t{}\n", *pod.spec.priority);
  if (!pod.spec.priorityClassName.empty()) o.f(0, "Priority Class Name:\t{}\n", pod.spec.priorityClassName);
  o.f(0, "Service Account:\t{}\n", pod.spec.serviceAccountName);
  if (pod.spec.nodeName.empty()) o.w(0, "Node:\t<none>\n");
  else o.f(0, "Node:\t{}/{}\n", pod.spec.nodeName, pod.status.hostIP);
  if (pod.status.startTime) o.f(0, "Start Time:\t{}\n", format_rfc1123z(*pod.status.startTime));
  const bool terminal = pod.status.phase == "Succeeded" || pod.status.phase == "Failed";
  if (pod.metadata.deletionTimestamp && !terminal) {
    o.f(0, "Status:\tTerminating (lasts {})\n", age_since(pod.metadata.deletionTimestamp, now));
    if (pod.metadata.deletionGracePeriodSeconds)
      o.f(0, "Termination Grace Period:\t{}s\n", *pod.metadata.deletionGracePeriodSeconds);
  } else {
    o.f(0, "Status:\t{}\n", pod.status.phase);
  }
  if (!pod.status.reason.empty()) o.f(0, "Reason:\t{}\n", pod.status.reason);
  if (!pod.status.message.empty()) o.f(0, "Message:\t{}\n", pod.status.message);
  o.f(0, "IP:\t{}\n", pod.status.podIP);
  if (pod.status.podIPs.empty()) {
    o.w(0, "IPs:\t<none>\n");
  } else {
    o.w(0, "IPs:\n");
    for (const auto& ip : pod.status.podIPs) o.f(1, "IP:\t{}\n", ip.ip);
  }
  // kvsim's addition (kubectl prints no such line): the name a headless Service gives the pod.
  if (!pod.spec.subdomain.empty()) o.f(0, "DNS Name:\t{}.{}.{}.svc.cluster.local\n", pod.spec.hostname.empty() ? pod.metadata.name : pod.spec.hostname, pod.spec.subdomain, pod.metadata.namespace_);
  if (!pod.status.nominatedNodeName.empty()) o.f(0, "NominatedNodeName:\t{}\n", pod.status.nominatedNodeName);
  controlled_by(o, pod);
  if (!pod.spec.initContainers.empty())
    describe_containers(o, "Init Containers", pod.spec.initContainers, &pod.status.initContainerStatuses, "");
  describe_containers(o, "Containers", pod.spec.containers, &pod.status.containerStatuses, "");
  if (!pod.status.conditions.empty()) {
    o.w(0, "Conditions:\n  Type\tStatus\n");
    for (const auto& c : pod.status.conditions) o.f(1, "{} \t{} \n", c.type, c.status);
  }
  describe_volumes(o, pod.spec.volumes, "");
  o.f(0, "QoS Class:\t{}\n", models::pod_qos_class(pod));
  labels_multiline(o, "Node-Selectors", pod.spec.nodeSelector);
  tolerations_multiline(o, "Tolerations", pod.spec.tolerations);
}

void describe_pod_template(Out& o, const models::PodTemplateSpec& t) {
  o.w(0, "Pod Template:\n");
  labels_multiline(o, "  Labels", t.metadata.labels);
  if (!t.metadata.annotations.empty()) annotations_multiline(o, "  Annotations", t.metadata.annotations);
  if (!t.spec.serviceAccountName.empty()) o.f(1, "Service Account:\t{}\n", t.spec.serviceAccountName);
  if (!t.spec.initContainers.empty()) describe_containers(o, "Init Containers", t.spec.initContainers, nullptr, "  ");
  describe_containers(o, "Containers", t.spec.containers, nullptr, "  ");
  describe_volumes(o, t.spec.volumes, "  ");
  labels_multiline(o, "  Node-Selectors", t.spec.nodeSelector);
  tolerations_multiline(o, "  Tolerations", t.spec.tolerations);
}

}  // namespace kvsim::sim::commands::describing
