// `oc describe`: kubectl's describers (k8s.io/kubectl/pkg/describe) for the
// sections kvsim models, written through the same tabwriter settings kubectl
// uses (minwidth 0, padding 2), so blocks of "Key:\tvalue" lines align alike.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <tuple>

#include "models/apps.hpp"
#include "models/codec/yaml_writer.hpp"
#include "sim/commands/describe_config.hpp"
#include "sim/commands/describe_template.hpp"
#include "sim/commands/describe_service.hpp"
#include "sim/commands/describe_storage.hpp"
#include "sim/commands/describe_writer.hpp"

namespace kvsim::sim::commands {

using models::Condition;
using models::Json;
using models::Object;
using models::ObjectPtr;

namespace describing {

// ---------------------------------------------------------------- metadata

void labels_multiline(Out& o, std::string_view title, const std::map<std::string, std::string>& labels) {
  o.f(0, "{}:\t", title);
  if (labels.empty()) {
    o.w(0, "<none>\n");
    return;
  }
  bool first = true;
  for (const auto& [k, v] : labels) {
    if (!first) o.w(0, "\t");
    first = false;
    o.f(0, "{}={}\n", k, v);
  }
}

void annotations_multiline(Out& o, std::string_view title, const std::map<std::string, std::string>& annotations) {
  constexpr std::size_t kMaxAnnotationLen = 140;
  o.f(0, "{}:\t", title);
  std::vector<std::string> keys;
  for (const auto& [k, v] : annotations)
    if (k != "kubectl.kubernetes.io/last-applied-configuration") keys.push_back(k);
  if (keys.empty()) {
    o.w(0, "<none>\n");
    return;
  }
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (i != 0) o.w(0, "\t");
    std::string value = annotations.at(keys[i]);
    if (!value.empty() && value.back() == '\n') value.pop_back();
    if (value.size() + keys[i].size() + 2 > kMaxAnnotationLen || value.find('\n') != std::string::npos) {
      o.f(0, "{}:\n", keys[i]);
      std::size_t start = 0;
      while (true) {
        const auto end = value.find('\n', start);
        std::string line = value.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (line.size() > kMaxAnnotationLen - 2) line = line.substr(0, kMaxAnnotationLen - 2) + "...";
        o.f(0, "\t  {}\n", line);
        if (end == std::string::npos) break;
        start = end + 1;
      }
    } else {
      o.f(0, "{}: {}\n", keys[i], value);
    }
  }
}

void controlled_by(Out& o, const Object& obj) {
  if (const auto* ref = obj.metadata.controller_ref()) o.f(0, "Controlled By:\t{}/{}\n", ref->kind, ref->name);
}

void metadata_block(Out& o, const Object& obj) {
  o.f(0, "Name:\t{}\n", obj.metadata.name);
  if (obj.info().namespaced) o.f(0, "Namespace:\t{}\n", obj.metadata.namespace_);
  labels_multiline(o, "Labels", obj.metadata.labels);
  annotations_multiline(o, "Annotations", obj.metadata.annotations);
  o.f(0, "API Version:\t{}\n", obj.apiVersion.empty() ? std::string(obj.info().api_version) : obj.apiVersion);
  o.f(0, "Kind:\t{}\n", obj.kind.empty() ? std::string(obj.info().kind) : obj.kind);
  o.f(0, "CreationTimestamp:\t{}\n", time_text(obj.metadata.creationTimestamp));
  if (obj.metadata.deletionTimestamp)
    o.f(0, "DeletionTimestamp:\t{}\n", format_rfc1123z(*obj.metadata.deletionTimestamp));
}

// Type / Status / Reason / Message, as the CRD describer lays conditions out.
void conditions_table(Out& o, const std::vector<Condition>& conditions) {
  if (conditions.empty()) {
    o.w(0, "Conditions:\t<none>\n");
    return;
  }
  o.w(0, "Conditions:\n  Type\tStatus\tReason\tMessage\n");
  o.w(1, "----\t------\t------\t-------\n");
  for (const auto& c : conditions) o.f(1, "{} \t{} \t{} \t{}\n", c.type, c.status, c.reason, c.message);
}

// Deployment/ReplicaSet style: Type / Status / Reason.
void workload_conditions(Out& o, const std::vector<Condition>& conditions) {
  if (conditions.empty()) return;
  o.w(0, "Conditions:\n  Type\tStatus\tReason\n");
  o.w(1, "----\t------\t------\n");
  for (const auto& c : conditions) o.f(1, "{} \t{}\t{}\n", c.type, c.status, c.reason);
}

// ---------------------------------------------------------------- workloads

// "3 Running / 0 Waiting / 0 Succeeded / 0 Failed" over the pods `owner` controls.
std::string pods_status(const Object& owner, const std::vector<ObjectPtr>& pods) {
  int running = 0, waiting = 0, succeeded = 0, failed = 0;
  for (const auto& p : pods) {
    const auto* pod = dynamic_cast<const models::Pod*>(p.get());
    if (!pod || pod->metadata.namespace_ != owner.metadata.namespace_) continue;
    const auto* ref = pod->metadata.controller_ref();
    if (!ref) continue;
    const bool mine = owner.metadata.uid.empty() ? ref->kind == owner.info().kind && ref->name == owner.metadata.name
                                                 : ref->uid == owner.metadata.uid;
    if (!mine) continue;
    if (pod->status.phase == "Running") ++running;
    else if (pod->status.phase == "Pending") ++waiting;
    else if (pod->status.phase == "Succeeded") ++succeeded;
    else if (pod->status.phase == "Failed") ++failed;
  }
  return fmt::format("{} Running / {} Waiting / {} Succeeded / {} Failed", running, waiting, succeeded, failed);
}

void describe_replicaset(Out& o, const models::ReplicaSet& rs, const std::vector<ObjectPtr>* pods) {
  o.f(0, "Selector:\t{}\n", format_selector(rs.spec.selector));
  controlled_by(o, rs);
  o.f(0, "Replicas:\t{} current / {} desired\n", rs.status.replicas, rs.spec.replicas.value_or(1));
  if (pods) o.f(0, "Pods Status:\t{}\n", pods_status(rs, *pods));
  describe_pod_template(o, rs.spec.template_);
  workload_conditions(o, rs.status.conditions);
}

void describe_deployment(Out& o, const models::Deployment& d) {
  o.f(0, "Selector:\t{}\n", format_selector(d.spec.selector));
  o.f(0, "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable\n",
      d.spec.replicas.value_or(1), d.status.updatedReplicas, d.status.replicas, d.status.availableReplicas,
      d.status.unavailableReplicas);
  o.f(0, "StrategyType:\t{}\n", d.spec.strategy.type);
  o.f(0, "MinReadySeconds:\t{}\n", d.spec.minReadySeconds);
  if (const auto& ru = d.spec.strategy.rollingUpdate)
    o.f(0, "RollingUpdateStrategy:\t{} max unavailable, {} max surge\n", int_or_string(ru->maxUnavailable),
        int_or_string(ru->maxSurge));
  describe_pod_template(o, d.spec.template_);
  workload_conditions(o, d.status.conditions);
}

void describe_daemonset(Out& o, const models::DaemonSet& ds, const std::vector<ObjectPtr>* pods) {
  o.f(0, "Selector:\t{}\n", format_selector(ds.spec.selector));
  o.f(0, "Node-Selector:\t{}\n", format_labels(ds.spec.template_.spec.nodeSelector));
  const auto& st = ds.status;
  o.f(0, "Desired Number of Nodes Scheduled: {}\n", st.desiredNumberScheduled);
  o.f(0, "Current Number of Nodes Scheduled: {}\n", st.currentNumberScheduled);
  o.f(0, "Number of Nodes Scheduled with Up-to-date Pods: {}\n", st.updatedNumberScheduled);
  o.f(0, "Number of Nodes Scheduled with Available Pods: {}\n", st.numberAvailable);
  o.f(0, "Number of Nodes Misscheduled: {}\n", st.numberMisscheduled);
  if (pods) o.f(0, "Pods Status:\t{}\n", pods_status(ds, *pods));
  describe_pod_template(o, ds.spec.template_);
}

void describe_statefulset(Out& o, const models::StatefulSet& s, const std::vector<ObjectPtr>* pods) {
  o.f(0, "Selector:\t{}\n", format_selector(s.spec.selector));
  o.f(0, "Replicas:\t{} desired | {} total\n", s.spec.replicas.value_or(1), s.status.replicas);
  o.f(0, "Update Strategy:\t{}\n", s.spec.updateStrategy.type);
  if (const auto& ru = s.spec.updateStrategy.rollingUpdate) {
    if (ru->partition) o.f(1, "Partition:\t{}\n", *ru->partition);
    if (ru->maxUnavailable) o.f(1, "MaxUnavailable:\t{}\n", int_or_string(ru->maxUnavailable));
  }
  if (pods) o.f(0, "Pods Status:\t{}\n", pods_status(s, *pods));
  describe_pod_template(o, s.spec.template_);
}

// ---------------------------------------------------------------- nodes

models::ResourceList pod_limits(const models::PodSpec& spec) {
  models::ResourceList total;
  for (const auto& c : spec.containers)
    for (const auto& [k, q] : c.resources.limits) total[k] += q;
  for (const auto& c : spec.initContainers)
    for (const auto& [k, q] : c.resources.limits)
      if (total[k] < q) total[k] = q;
  return total;
}

models::Quantity get(const models::ResourceList& list, const std::string& key) {
  auto it = list.find(key);
  return it == list.end() ? models::Quantity() : it->second;
}

// int64(float64(part) / float64(whole) * 100), 0 when the node reports none.
long long percent(double part, double whole) { return whole == 0 ? 0 : static_cast<long long>(part / whole * 100); }

void describe_node_pods(Out& o, const models::Node& node, const std::vector<ObjectPtr>& all_pods, double now) {
  std::vector<const models::Pod*> pods;
  for (const auto& p : all_pods) {
    const auto* pod = dynamic_cast<const models::Pod*>(p.get());
    if (pod && pod->spec.nodeName == node.metadata.name && pod->status.phase != "Succeeded" &&
        pod->status.phase != "Failed")
      pods.push_back(pod);
  }
  std::stable_sort(pods.begin(), pods.end(), [](const auto* a, const auto* b) {
    return std::tie(a->metadata.namespace_, a->metadata.name) < std::tie(b->metadata.namespace_, b->metadata.name);
  });
  const auto& alloc = node.status.allocatable.empty() ? node.status.capacity : node.status.allocatable;
  const double cpu = static_cast<double>(get(alloc, "cpu").milli());
  const double mem = static_cast<double>(get(alloc, "memory").units_ceil());
  const double eph = static_cast<double>(get(alloc, "ephemeral-storage").units_ceil());

  o.f(0, "Non-terminated Pods:\t({} in total)\n", pods.size());
  o.w(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n");
  o.w(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n");
  models::ResourceList total_req, total_lim;
  for (const auto* pod : pods) {
    const auto req = models::pod_requests(pod->spec);
    const auto lim = pod_limits(pod->spec);
    for (const auto& [k, q] : req) total_req[k] += q;
    for (const auto& [k, q] : lim) total_lim[k] += q;
    const auto cr = get(req, "cpu"), cl = get(lim, "cpu"), mr = get(req, "memory"), ml = get(lim, "memory");
    o.f(1, "{}\t{}\t\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{}\n", pod->metadata.namespace_, pod->metadata.name,
        cr.text(), percent(static_cast<double>(cr.milli()), cpu), cl.text(),
        percent(static_cast<double>(cl.milli()), cpu), mr.text(),
        percent(static_cast<double>(mr.units_ceil()), mem), ml.text(),
        percent(static_cast<double>(ml.units_ceil()), mem), age_since(pod->metadata.creationTimestamp, now));
  }
  o.w(0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n");
  o.w(1, "Resource\tRequests\tLimits\n");
  o.w(1, "--------\t--------\t------\n");
  auto line = [&](const std::string& name, bool milli, double whole) {
    const auto r = get(total_req, name), l = get(total_lim, name);
    auto v = [&](const models::Quantity& q) { return static_cast<double>(milli ? q.milli() : q.units_ceil()); };
    o.f(1, "{}\t{} ({}%)\t{} ({}%)\n", name, r.text(), percent(v(r), whole), l.text(), percent(v(l), whole));
  };
  line("cpu", true, cpu);
  line("memory", false, mem);
  line("ephemeral-storage", false, eph);
  // Then hugepages (with percentages) and every other resource the node offers, by
  // name, without percentages: device-plugin resources such as SR-IOV VFs.
  for (const auto& [name, q] : alloc)
    if (name.starts_with("hugepages-")) line(name, false, static_cast<double>(q.units_ceil()));
  for (const auto& [name, q] : alloc) {
    if (name.starts_with("hugepages-") || name == "pods" || name == "cpu" || name == "memory" ||
        name == "ephemeral-storage")
      continue;
    o.f(1, "{}\t{}\t{}\n", name, get(total_req, name).text(), get(total_lim, name).text());
  }
}

void describe_node(Out& o, const models::Node& node, double now, const std::vector<ObjectPtr>* pods) {
  std::vector<std::string> roles;
  constexpr std::string_view kRolePrefix = "node-role.kubernetes.io/";
  for (const auto& [k, v] : node.metadata.labels) {
    if (k.starts_with(kRolePrefix) && k.size() > kRolePrefix.size()) roles.push_back(k.substr(kRolePrefix.size()));
    else if (k == "kubernetes.io/role" && !v.empty()) roles.push_back(v);
  }
  std::sort(roles.begin(), roles.end());
  roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
  o.f(0, "Roles:\t{}\n", roles.empty() ? "<none>" : join(roles, ","));

  auto taints = node.spec.taints;
  std::stable_sort(taints.begin(), taints.end(),
                   [](const auto& a, const auto& b) { return a.effect + "," + a.key < b.effect + "," + b.key; });
  o.w(0, "Taints:\t");
  if (taints.empty()) o.w(0, "<none>\n");
  for (std::size_t i = 0; i < taints.size(); ++i) {
    const auto& t = taints[i];
    o.f(0, "{}{}{}{}\n", i == 0 ? "" : "\t", t.key, t.value.empty() ? "" : "=" + t.value,
        t.effect.empty() ? "" : ":" + t.effect);
  }
  o.f(0, "Unschedulable:\t{}\n", bool_text(node.spec.unschedulable.value_or(false)));

  if (!node.status.conditions.empty()) {
    o.w(0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n");
    o.w(1, "----\t------\t-----------------\t------------------\t------\t-------\n");
    for (const auto& c : node.status.conditions)
      o.f(1, "{} \t{} \t{} \t{} \t{} \t{}\n", c.type, c.status, time_text(c.lastHeartbeatTime),
          time_text(c.lastTransitionTime), c.reason, c.message);
  }
  if (!node.status.addresses.empty()) {
    o.w(0, "Addresses:\n");
    for (const auto& a : node.status.addresses) o.f(1, "{}:\t{}\n", a.type, a.address);
  }
  for (const auto& [title, list] :
       {std::pair{"Capacity", &node.status.capacity}, {"Allocatable", &node.status.allocatable}}) {
    if (list->empty()) continue;
    o.f(0, "{}:\n", title);
    for (const auto& [name, q] : *list) o.f(1, "{}:\t{}\n", name, q.text());
  }
  const auto& info = node.status.nodeInfo;
  o.w(0, "System Info:\n");
  o.f(1, "Kernel Version:\t{}\n", info.kernelVersion);
  o.f(1, "OS Image:\t{}\n", info.osImage);
  o.f(1, "Operating System:\t{}\n", info.operatingSystem);
  o.f(1, "Architecture:\t{}\n", info.architecture);
  o.f(1, "Container Runtime Version:\t{}\n", info.containerRuntimeVersion);
  o.f(1, "Kubelet Version:\t{}\n", info.kubeletVersion);
  if (!node.spec.podCIDR.empty()) o.f(0, "PodCIDR:\t{}\n", node.spec.podCIDR);
  if (!node.spec.podCIDRs.empty()) o.f(0, "PodCIDRs:\t{}\n", join(node.spec.podCIDRs, ","));
  if (!node.spec.providerID.empty()) o.f(0, "ProviderID:\t{}\n", node.spec.providerID);
  if (pods) describe_node_pods(o, node, *pods, now);
}

// ---------------------------------------------------------------- everything else

// The object's fields besides metadata: scalars on one line, the rest as YAML.
void describe_fields(Out& o, const Object& obj) {
  const Json j = obj.to_json();
  for (const auto& [key, value] : j.items()) {
    if (key == "apiVersion" || key == "kind" || key == "metadata" || value.is_null()) continue;
    if ((value.is_object() || value.is_array()) && value.empty()) continue;
    if (!value.is_object() && !value.is_array()) {
      o.f(0, "{}:\t{}\n", smart_label(key), value.is_string() ? value.get<std::string>() : value.dump());
      continue;
    }
    o.f(0, "{}:\n", smart_label(key));
    const std::string yaml = models::to_yaml(value);
    std::size_t start = 0;
    while (start < yaml.size()) {
      auto end = yaml.find('\n', start);
      if (end == std::string::npos) end = yaml.size();
      o.f(1, "{}\n", yaml.substr(start, end - start));
      start = end + 1;
    }
  }
}

void describe_events(Out& o, const std::vector<std::shared_ptr<const models::Event>>& events, double now) {
  std::vector<const models::Event*> sorted;
  for (const auto& e : events)
    if (e) sorted.push_back(e.get());
  if (sorted.empty()) {
    o.w(0, "Events:\t<none>\n");
    return;
  }
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) {
    return a->lastTimestamp.value_or(models::Timestamp{-1e300}) < b->lastTimestamp.value_or(models::Timestamp{-1e300});
  });
  o.w(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
  o.w(1, "----\t------\t----\t----\t-------\n");
  for (const auto* e : sorted) {
    const std::string first = age_since(e->firstTimestamp ? e->firstTimestamp : e->lastTimestamp, now);
    const std::string age =
        e->count > 1 ? fmt::format("{} (x{} over {})", age_since(e->lastTimestamp, now), e->count, first) : first;
    o.f(1, "{}\t{}\t{}\t{}\t{}\n", e->type, e->reason, age, e->source->component, trim(e->message));
  }
}

template <class T>
const T* as(const Object& obj) {
  return dynamic_cast<const T*>(&obj);
}

// A kind a CustomResourceDefinition serves (KubeVirt's, CDI's, Multus', SR-IOV's): kubectl has
// no describer for it and uses the generic one. Built-in groups are the core group, the
// dotless ones (apps, batch, policy, ...) and *.k8s.io (storage.k8s.io, networking.k8s.io,
// ...) but for the snapshot CRDs.
bool served_by_crd(const Object& obj) {
  const std::string group(obj.info().group());
  if (group.empty() || group.find('.') == std::string::npos) return false;
  const std::string k8s = ".k8s.io";
  const bool k8s_io = group.size() > k8s.size() && group.compare(group.size() - k8s.size(), k8s.size(), k8s) == 0;
  return !k8s_io || group == "snapshot.storage.k8s.io";
}

// kvsim's own section, not kubectl's: the fields the object sets that kvsim keeps but does not
// simulate (declared `not_simulated` in the model), before the Events, so that a trainee does not
// take their effect for granted.
std::string not_simulated_note(const Object& obj) {
  if (!obj.info().not_simulated) return "";
  const auto paths = obj.info().not_simulated(obj);
  if (paths.empty()) return "";
  std::string note = "Not Simulated:\n  kvsim keeps these fields as written, but runs as if they were not set:\n";
  for (const auto& p : paths) note += "    " + p + "\n";
  return note;
}

std::string with_note(std::string text, const std::string& note) {
  if (note.empty()) return text;
  const auto events = text.rfind("\nEvents:");
  if (events == std::string::npos) return text + note;
  return text.insert(events + 1, note);
}

std::string describe_kind(const Object& obj, const std::vector<std::shared_ptr<const models::Event>>& events,
                          double now, const std::vector<ObjectPtr>* pods);

}  // namespace describing

using namespace describing;

std::string describe(const Object& obj, const std::vector<std::shared_ptr<const models::Event>>& events, double now,
                     const std::vector<ObjectPtr>* pods) {
  return with_note(describe_kind(obj, events, now, pods), not_simulated_note(obj));
}

std::string describing::describe_kind(const Object& obj,
                                      const std::vector<std::shared_ptr<const models::Event>>& events, double now,
                                      const std::vector<ObjectPtr>* pods) {
  // Kinds whose kubectl describers lay out their own header.
  if (auto text = describe_service(obj, events, now, pods)) return *text;
  if (auto text = describe_storage(obj, events, now, pods)) return *text;
  if (auto text = describe_config(obj, events, now)) return *text;
  if (auto text = describe_template(obj, now)) return *text;  // oc's TemplateDescriber (no Events section)
  Out o;
  // kubectl has no describer of its own for ControllerRevisions either.
  if (served_by_crd(obj) || obj.kind == "ControllerRevision") {
    describe_generic(o, obj);
    describe_events(o, events, now);
    return o.str();
  }
  metadata_block(o, obj);
  if (const auto* pod = as<models::Pod>(obj)) {
    describe_pod(o, *pod, now);
  } else if (const auto* node = as<models::Node>(obj)) {
    describe_node(o, *node, now, pods);
  } else if (const auto* ns = as<models::Namespace>(obj)) {
    o.f(0, "Status:\t{}\n", ns->status.phase);
  } else if (const auto* rs = as<models::ReplicaSet>(obj)) {
    describe_replicaset(o, *rs, pods);
  } else if (const auto* d = as<models::Deployment>(obj)) {
    controlled_by(o, *d);
    describe_deployment(o, *d);
  } else if (const auto* ds = as<models::DaemonSet>(obj)) {
    controlled_by(o, *ds);
    describe_daemonset(o, *ds, pods);
  } else if (const auto* sts = as<models::StatefulSet>(obj)) {
    controlled_by(o, *sts);
    describe_statefulset(o, *sts, pods);
  } else {
    controlled_by(o, obj);
    describe_fields(o, obj);
  }
  describe_events(o, events, now);
  return o.str();
}

}  // namespace kvsim::sim::commands
