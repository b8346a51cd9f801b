// `oc get` tables. Each kind's columns and cells follow kubectl's printers.go
// (built-in kinds) or the CRD's additionalPrinterColumns (KubeVirt kinds); the
// layout is Go's text/tabwriter with kubectl's settings (minwidth 6, padding 3).
#include "sim/commands/printers.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include "models/apps.hpp"
#include "models/controller_revision.hpp"
#include "models/duration.hpp"
#include "models/kubevirt.hpp"
#include "models/volume_snapshot.hpp"
#include "sim/commands/policy_printers.hpp"
#include "sim/commands/storage_printers.hpp"

namespace kvsim::sim::commands {

using models::Json;
using models::KindInfo;
using models::Object;
using Row = std::vector<std::string>;

// ---------------------------------------------------------------- shared helpers

std::string age_since(const std::optional<models::Timestamp>& t, double now) {
  if (!t) return "<unknown>";
  return models::human_duration(now - std::floor(t->seconds));  // whole seconds, as metav1.Time
}

std::string format_rfc1123z(models::Timestamp t) {
  static const char* const kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::string iso = models::to_rfc3339(t);  // YYYY-MM-DDTHH:MM:SSZ
  const long long unix = models::kEpochUnixSeconds + static_cast<long long>(std::floor(t.seconds));
  long long days = unix / 86400;
  if (unix % 86400 < 0) --days;
  const long long weekday = ((days % 7) + 7 + 4) % 7;  // 1970-01-01 was a Thursday
  const int month = std::stoi(iso.substr(5, 2));
  return std::string(kDays[weekday]) + ", " + iso.substr(8, 2) + " " + kMonths[month - 1] + " " + iso.substr(0, 4) +
         " " + iso.substr(11, 8) + " +0000";
}

std::string kind_resource_name(const KindInfo& kind) {
  std::string name(kind.kind);
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!kind.group().empty()) name += "." + std::string(kind.group());
  return name;
}

namespace {

struct PodSummary {
  int ready = 0;
  int total = 0;
  int restarts = 0;
  std::string reason;
};

bool condition_true(const std::vector<models::Condition>& conds, std::string_view type) {
  const auto* c = models::find_condition(conds, type);
  return c && c->status == "True";
}

// kubectl's printPod, minus what kvsim does not model (sidecar init
// containers, termination signals, lastState restart times).
PodSummary summarize_pod(const models::Pod& pod) {
  PodSummary s;
  s.total = static_cast<int>(pod.spec.containers.size());
  s.reason = pod.status.reason.empty() ? pod.status.phase : pod.status.reason;
  for (const auto& c : pod.status.conditions)
    if (c.type == "PodScheduled" && c.reason == "SchedulingGated") s.reason = "SchedulingGated";

  bool initializing = false;
  const auto& inits = pod.status.initContainerStatuses;
  for (std::size_t i = 0; i < inits.size(); ++i) {
    const auto& c = inits[i];
    s.restarts += c.restartCount;
    const auto& st = c.state;
    if (st.terminated && st.terminated->exitCode == 0) continue;
    if (st.terminated) {
      s.reason = st.terminated->reason.empty() ? "Init:ExitCode:" + std::to_string(st.terminated->exitCode)
                                               : "Init:" + st.terminated->reason;
    } else if (st.waiting && !st.waiting->reason.empty() && st.waiting->reason != "PodInitializing") {
      s.reason = "Init:" + st.waiting->reason;
    } else {
      s.reason = "Init:" + std::to_string(i) + "/" + std::to_string(pod.spec.initContainers.size());
    }
    initializing = true;
    break;
  }

  if (!initializing || condition_true(pod.status.conditions, "Initialized")) {
    s.restarts = 0;  // only restartable (sidecar) init containers would count here
    bool has_running = false;
    const auto& statuses = pod.status.containerStatuses;
    for (std::size_t i = statuses.size(); i-- > 0;) {
      const auto& c = statuses[i];
      s.restarts += c.restartCount;
      const auto& st = c.state;
      if (st.waiting && !st.waiting->reason.empty()) {
        s.reason = st.waiting->reason;
      } else if (st.terminated && !st.terminated->reason.empty()) {
        s.reason = st.terminated->reason;
      } else if (st.terminated) {
        s.reason = "ExitCode:" + std::to_string(st.terminated->exitCode);
      } else if (c.ready && st.running) {
        has_running = true;
        ++s.ready;
      }
    }
    if (s.reason == "Completed" && has_running)
      s.reason = condition_true(pod.status.conditions, "Ready") ? "Running" : "NotReady";
  }

  const bool terminal = pod.status.phase == "Succeeded" || pod.status.phase == "Failed";
  if (pod.metadata.deletionTimestamp && pod.status.reason == "NodeLost") s.reason = "Unknown";
  else if (pod.metadata.deletionTimestamp && !terminal) s.reason = "Terminating";
  return s;
}

}  // namespace

std::string pod_status_reason(const models::Pod& pod) { return summarize_pod(pod).reason; }

// ---------------------------------------------------------------- cells

namespace {

std::string or_none(const std::string& s) { return s.empty() ? "<none>" : s; }

// metav1.FormatLabelSelector: "<none>" for a nil or empty selector.
std::string format_selector(const std::optional<models::LabelSelector>& s) {
  return s ? models::to_string(*s) : "<none>";
}

// helper.GetAccessModesAsString: fixed order, abbreviated.
std::string access_modes(const std::vector<std::string>& modes) {
  auto has = [&](std::string_view m) { return std::find(modes.begin(), modes.end(), m) != modes.end(); };
  std::vector<std::string> out;
  if (has("ReadWriteOnce")) out.emplace_back("RWO");
  if (has("ReadOnlyMany")) out.emplace_back("ROX");
  if (has("ReadWriteMany")) out.emplace_back("RWX");
  if (has("ReadWriteOncePod")) out.emplace_back("RWOP");
  return join(out);
}

std::string quantity_of(const models::ResourceList& list, const std::string& key) {
  auto it = list.find(key);
  return it == list.end() ? "0" : it->second.text();
}

void container_cells(const std::vector<models::Container>& containers, Row& row) {
  std::vector<std::string> names, images;
  for (const auto& c : containers) {
    names.push_back(c.name);
    images.push_back(c.image);
  }
  row.push_back(join(names));
  row.push_back(join(images));
}

// A cell as kubectl's table printer writes it: cut at the first line break, marked with "...".
std::string printable_cell(std::string cell) {
  const auto brk = cell.find_first_of("\n\r\f");
  if (brk != std::string::npos) cell = cell.substr(0, brk) + "...";
  return cell;
}

// ---- JSONPath-like lookups for CRD printer columns: a missing value prints as "".

const Json* json_at(const Json& root, std::initializer_list<const char*> path) {
  const Json* cur = &root;
  for (const char* key : path) {
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(key);
    if (it == cur->end()) return nullptr;
    cur = &*it;
  }
  return cur;
}

std::string json_cell(const Json* v) {
  if (!v || v->is_null()) return "";
  if (v->is_string()) return v->get<std::string>();
  if (v->is_boolean()) return v->get<bool>() ? "true" : "false";
  return v->dump();
}

std::string json_str(const Json& j, const char* key) {
  if (!j.is_object()) return "";
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

// .status.conditions[?(@.type=='<type>')].status
std::string json_condition(const Json& obj, std::string_view type) {
  const Json* conds = json_at(obj, {"status", "conditions"});
  if (!conds || !conds->is_array()) return "";
  for (const auto& c : *conds)
    if (json_str(c, "type") == type) return json_cell(json_at(c, {"status"}));
  return "";
}

// ---------------------------------------------------------------- rows per kind

Row pod_row(const Object& o, double now, bool wide) {
  const auto& pod = static_cast<const models::Pod&>(o);
  const auto s = summarize_pod(pod);
  Row row{pod.metadata.name, std::to_string(s.ready) + "/" + std::to_string(s.total), s.reason,
          std::to_string(s.restarts), age_since(pod.metadata.creationTimestamp, now)};
  if (wide) {
    std::string ip = pod.status.podIPs.empty() ? pod.status.podIP : pod.status.podIPs.front().ip;
    std::string gates = "<none>";
    if (pod.spec.readinessGates.is_array() && !pod.spec.readinessGates.empty()) {
      int ok = 0;
      for (const auto& g : pod.spec.readinessGates)
        if (condition_true(pod.status.conditions, json_str(g, "conditionType"))) ++ok;
      gates = std::to_string(ok) + "/" + std::to_string(pod.spec.readinessGates.size());
    }
    row.insert(row.end(), {or_none(ip), or_none(pod.spec.nodeName), or_none(pod.status.nominatedNodeName), gates});
  }
  return row;
}

Row node_row(const Object& o, double now, bool wide) {
  const auto& node = static_cast<const models::Node&>(o);
  std::string status = "Unknown";
  if (const auto* ready = models::find_condition(node.status.conditions, "Ready"))
    status = ready->status == "True" ? "Ready" : "NotReady";
  if (node.spec.unschedulable.value_or(false)) status += ",SchedulingDisabled";

  std::set<std::string> roles;
  constexpr std::string_view kRolePrefix = "node-role.kubernetes.io/";
  for (const auto& [k, v] : node.metadata.labels) {
    if (k.starts_with(kRolePrefix) && k.size() > kRolePrefix.size()) roles.insert(k.substr(kRolePrefix.size()));
    else if (k == "kubernetes.io/role" && !v.empty()) roles.insert(v);
  }
  const std::string role_text = or_none(join({roles.begin(), roles.end()}));

  Row row{node.metadata.name, status, role_text, age_since(node.metadata.creationTimestamp, now),
          node.status.nodeInfo.kubeletVersion};
  if (wide) {
    auto address = [&](std::string_view type) {
      for (const auto& a : node.status.addresses)
        if (a.type == type) return a.address;
      return std::string("<none>");
    };
    auto or_unknown = [](const std::string& s) { return s.empty() ? std::string("<unknown>") : s; };
    const auto& info = node.status.nodeInfo;
    row.insert(row.end(), {address("InternalIP"), address("ExternalIP"), or_unknown(info.osImage),
                           or_unknown(info.kernelVersion), or_unknown(info.containerRuntimeVersion)});
  }
  return row;
}

Row namespace_row(const Object& o, double now, bool) {
  const auto& ns = static_cast<const models::Namespace&>(o);
  return {ns.metadata.name, ns.status.phase, age_since(ns.metadata.creationTimestamp, now)};
}

Row service_row(const Object& o, double now, bool wide) {
  const auto& svc = static_cast<const models::Service&>(o);
  const std::string type = svc.spec.type.empty() ? "ClusterIP" : svc.spec.type;
  std::string cluster_ip = !svc.spec.clusterIPs.empty() ? svc.spec.clusterIPs.front() : svc.spec.clusterIP;
  std::string external_ip = "<none>";
  if (type == "LoadBalancer") {
    std::set<std::string> ips;
    if (const Json* ingress = json_at(svc.status, {"loadBalancer", "ingress"}); ingress && ingress->is_array())
      for (const auto& i : *ingress) {
        const std::string ip = json_str(i, "ip"), host = json_str(i, "hostname");
        if (!ip.empty()) ips.insert(ip);
        else if (!host.empty()) ips.insert(host);
      }
    external_ip = join({ips.begin(), ips.end()});
    if (!wide && external_ip.size() > 16) external_ip = external_ip.substr(0, 13) + "...";
    if (external_ip.empty()) external_ip = "<pending>";
  } else if (type == "ExternalName") {
    external_ip = "";  // spec.externalName is not modelled
  }
  std::vector<std::string> ports;
  for (const auto& p : svc.spec.ports) {
    const std::string proto = p.protocol.empty() ? "TCP" : p.protocol;
    ports.push_back(p.nodePort && *p.nodePort > 0
                        ? std::to_string(p.port) + ":" + std::to_string(*p.nodePort) + "/" + proto
                        : std::to_string(p.port) + "/" + proto);
  }
  Row row{svc.metadata.name, type, or_none(cluster_ip), external_ip, or_none(join(ports)),
          age_since(svc.metadata.creationTimestamp, now)};
  if (wide) row.push_back(format_labels(svc.spec.selector));
  return row;
}

constexpr const char* kBetaStorageClass = "volume.beta.kubernetes.io/storage-class";

Row pv_row(const Object& o, double now, bool wide) {
  const auto& pv = static_cast<const models::PersistentVolume&>(o);
  std::string claim;
  if (pv.spec.claimRef) claim = pv.spec.claimRef->namespace_ + "/" + pv.spec.claimRef->name;
  std::string storage_class = pv.spec.storageClassName;
  if (auto it = pv.metadata.annotations.find(kBetaStorageClass); it != pv.metadata.annotations.end())
    storage_class = it->second;
  Row row{pv.metadata.name,
          quantity_of(pv.spec.capacity, "storage"),
          access_modes(pv.spec.accessModes),
          pv.spec.persistentVolumeReclaimPolicy,
          pv.metadata.deletionTimestamp ? "Terminating" : pv.status.phase,
          claim,
          storage_class,
          "<unset>",  // volumeAttributesClassName is not modelled
          pv.status.reason,
          age_since(pv.metadata.creationTimestamp, now)};
  if (wide) row.push_back(pv.spec.volumeMode.empty() ? "<unset>" : pv.spec.volumeMode);
  return row;
}

Row pvc_row(const Object& o, double now, bool wide) {
  const auto& pvc = static_cast<const models::PersistentVolumeClaim&>(o);
  std::string capacity, modes;
  if (!pvc.spec.volumeName.empty()) {
    modes = access_modes(pvc.status.accessModes);
    capacity = quantity_of(pvc.status.capacity, "storage");
  }
  std::string storage_class = pvc.spec.storageClassName.value_or("");
  if (auto it = pvc.metadata.annotations.find(kBetaStorageClass); it != pvc.metadata.annotations.end())
    storage_class = it->second;
  Row row{pvc.metadata.name,
          pvc.metadata.deletionTimestamp ? "Terminating" : pvc.status.phase,
          pvc.spec.volumeName,
          capacity,
          modes,
          storage_class,
          "<unset>",
          age_since(pvc.metadata.creationTimestamp, now)};
  if (wide) row.push_back(pvc.spec.volumeMode.empty() ? "<unset>" : pvc.spec.volumeMode);
  return row;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\n\r\f\v");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\n\r\f\v");
  return s.substr(b, e - b + 1);
}

Row event_row(const Object& o, double now, bool wide) {
  const auto& ev = static_cast<const models::Event&>(o);
  const std::string first = age_since(ev.firstTimestamp, now);
  const std::string last = ev.lastTimestamp ? age_since(ev.lastTimestamp, now) : first;
  std::string kind = ev.involvedObject->kind;
  for (char& c : kind) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::string target = ev.involvedObject->name.empty() ? kind : kind + "/" + ev.involvedObject->name;
  if (!wide) return {last, ev.type, ev.reason, target, trim(ev.message)};
  const std::string source =
      ev.source->host.empty() ? ev.source->component : ev.source->component + ", " + ev.source->host;
  return {last,           ev.type, ev.reason, target, ev.involvedObject->fieldPath, source, trim(ev.message), first,
          std::to_string(ev.count == 0 ? 1 : ev.count), ev.metadata.name};
}

Row replicaset_row(const Object& o, double now, bool wide) {
  const auto& rs = static_cast<const models::ReplicaSet&>(o);
  Row row{rs.metadata.name, std::to_string(rs.spec.replicas.value_or(1)), std::to_string(rs.status.replicas),
          std::to_string(rs.status.readyReplicas), age_since(rs.metadata.creationTimestamp, now)};
  if (wide) {
    container_cells(rs.spec.template_.spec.containers, row);
    row.push_back(format_selector(rs.spec.selector));
  }
  return row;
}

Row deployment_row(const Object& o, double now, bool wide) {
  const auto& d = static_cast<const models::Deployment&>(o);
  Row row{d.metadata.name,
          std::to_string(d.status.readyReplicas) + "/" + std::to_string(d.spec.replicas.value_or(1)),
          std::to_string(d.status.updatedReplicas), std::to_string(d.status.availableReplicas),
          age_since(d.metadata.creationTimestamp, now)};
  if (wide) {
    container_cells(d.spec.template_.spec.containers, row);
    // printDeployment uses selector.String(): "" rather than "<none>" for everything.
    const std::string sel = format_selector(d.spec.selector);
    row.push_back(d.spec.selector && d.spec.selector->empty() ? "" : sel);
  }
  return row;
}

Row daemonset_row(const Object& o, double now, bool wide) {
  const auto& ds = static_cast<const models::DaemonSet&>(o);
  const auto& st = ds.status;
  Row row{ds.metadata.name,
          std::to_string(st.desiredNumberScheduled),
          std::to_string(st.currentNumberScheduled),
          std::to_string(st.numberReady),
          std::to_string(st.updatedNumberScheduled),
          std::to_string(st.numberAvailable),
          format_labels(ds.spec.template_.spec.nodeSelector),
          age_since(ds.metadata.creationTimestamp, now)};
  if (wide) {
    container_cells(ds.spec.template_.spec.containers, row);
    row.push_back(format_selector(ds.spec.selector));
  }
  return row;
}

Row statefulset_row(const Object& o, double now, bool wide) {
  const auto& s = static_cast<const models::StatefulSet&>(o);
  Row row{s.metadata.name,
          std::to_string(s.status.readyReplicas) + "/" + std::to_string(s.spec.replicas.value_or(1)),
          age_since(s.metadata.creationTimestamp, now)};
  if (wide) container_cells(s.spec.template_.spec.containers, row);
  return row;
}

Row configmap_row(const Object& o, double now, bool) {
  const auto& cm = static_cast<const models::ConfigMap&>(o);
  return {cm.metadata.name, std::to_string(cm.keys()), age_since(cm.metadata.creationTimestamp, now)};
}

Row secret_row(const Object& o, double now, bool) {
  const auto& s = static_cast<const models::Secret&>(o);
  return {s.metadata.name, s.type, std::to_string(s.data.size()), age_since(s.metadata.creationTimestamp, now)};
}

// kubectl's printControllerRevision: the controller as lower-case "kind.group/name".
Row controllerrevision_row(const Object& o, double now, bool) {
  const auto& r = static_cast<const models::ControllerRevision&>(o);
  std::string controller = "<none>";
  if (const auto* ref = r.metadata.controller_ref()) {
    const auto slash = ref->apiVersion.find('/');
    const std::string group = slash == std::string::npos ? "" : ref->apiVersion.substr(0, slash);
    std::string kind = ref->kind + (group.empty() ? "" : "." + group);
    std::transform(kind.begin(), kind.end(), kind.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    controller = kind + "/" + ref->name;
  }
  return {r.metadata.name, controller, std::to_string(r.revision), age_since(r.metadata.creationTimestamp, now)};
}

Row priorityclass_row(const Object& o, double now, bool wide) {
  const auto& pc = static_cast<const models::PriorityClass&>(o);
  Row row{pc.metadata.name, std::to_string(pc.value), pc.globalDefault.value_or(false) ? "true" : "false",
          age_since(pc.metadata.creationTimestamp, now)};
  if (wide) row.push_back(pc.preemptionPolicy);
  return row;
}

// KubeVirt kinds: the CRDs' JSONPath columns, evaluated on the object as served.
Row vm_row(const Object& o, double now, bool) {
  const Json j = o.to_json();
  return {o.metadata.name, age_since(o.metadata.creationTimestamp, now),
          json_cell(json_at(j, {"status", "printableStatus"})), json_condition(j, "Ready")};
}

Row vmi_row(const Object& o, double now, bool wide) {
  const Json j = o.to_json();
  std::string ip;
  if (const Json* ifaces = json_at(j, {"status", "interfaces"}); ifaces && ifaces->is_array() && !ifaces->empty())
    ip = json_cell(json_at((*ifaces)[0], {"ipAddress"}));
  Row row{o.metadata.name, age_since(o.metadata.creationTimestamp, now), json_cell(json_at(j, {"status", "phase"})),
          ip, json_cell(json_at(j, {"status", "nodeName"})), json_condition(j, "Ready")};
  if (wide) row.insert(row.end(), {json_condition(j, "LiveMigratable"), json_condition(j, "Paused")});
  return row;
}

Row vmim_row(const Object& o, double, bool) {
  const Json j = o.to_json();
  return {o.metadata.name, json_cell(json_at(j, {"status", "phase"})), json_cell(json_at(j, {"spec", "vmiName"}))};
}

// CDI's printer columns (PHASE, PROGRESS, RESTARTS, AGE).
Row datavolume_row(const Object& o, double now, bool) {
  const Json j = o.to_json();
  return {o.metadata.name, json_cell(json_at(j, {"status", "phase"})), json_cell(json_at(j, {"status", "progress"})),
          json_cell(json_at(j, {"status", "restartCount"})), age_since(o.metadata.creationTimestamp, now)};
}

// CDI's DataImportCron printer column (FORMAT), then AGE.
Row dataimportcron_row(const Object& o, double now, bool) {
  const Json j = o.to_json();
  return {o.metadata.name, json_cell(json_at(j, {"status", "sourceFormat"})), age_since(o.metadata.creationTimestamp, now)};
}

// openshift-apiserver's template printer: the description annotation cut at 80
// characters, the parameters counted as "N (M blank)", "N (M generated)" or "N (all set)".
Row template_row(const Object& o, double, bool) {
  const Json j = o.to_json();
  std::string description;
  if (const Json* d = json_at(j, {"metadata", "annotations", "description"}); d && d->is_string()) description = *d;
  if (description.size() > 80) {
    description.resize(77);
    while (!description.empty() && std::isspace(static_cast<unsigned char>(description.back()))) description.pop_back();
    description += "...";
  }
  int total = 0, blank = 0, generated = 0;
  if (const Json* params = json_at(j, {"parameters"}); params && params->is_array())
    for (const auto& p : *params) {
      ++total;
      if (!p.value("value", std::string()).empty()) continue;
      if (!p.value("generate", std::string()).empty()) ++generated;
      else ++blank;
    }
  const std::string params = blank > 0       ? fmt::format("{} ({} blank)", total, blank)
                             : generated > 0 ? fmt::format("{} ({} generated)", total, generated)
                                             : fmt::format("{} (all set)", total);
  const Json* objects = json_at(j, {"objects"});
  return {o.metadata.name, description, params, std::to_string(objects && objects->is_array() ? objects->size() : 0)};
}

// external-snapshotter's printer columns; CREATIONTIME is a date, printed as an age.
Row volumesnapshot_row(const Object& o, double now, bool) {
  const Json j = o.to_json();
  const auto& created = static_cast<const models::VolumeSnapshot&>(o).status.creationTime;
  return {o.metadata.name,
          json_cell(json_at(j, {"status", "readyToUse"})),
          json_cell(json_at(j, {"spec", "source", "persistentVolumeClaimName"})),
          json_cell(json_at(j, {"spec", "source", "volumeSnapshotContentName"})),
          json_cell(json_at(j, {"status", "restoreSize"})),
          json_cell(json_at(j, {"spec", "volumeSnapshotClassName"})),
          json_cell(json_at(j, {"status", "boundVolumeSnapshotContentName"})),
          created ? age_since(created, now) : std::string(),
          age_since(o.metadata.creationTimestamp, now)};
}

Row volumesnapshotclass_row(const Object& o, double now, bool) {
  const Json j = o.to_json();
  return {o.metadata.name, json_cell(json_at(j, {"driver"})), json_cell(json_at(j, {"deletionPolicy"})),
          age_since(o.metadata.creationTimestamp, now)};
}

Row vmirs_row(const Object& o, double now, bool) {
  const Json j = o.to_json();
  return {o.metadata.name, json_cell(json_at(j, {"spec", "replicas"})), json_cell(json_at(j, {"status", "replicas"})),
          json_cell(json_at(j, {"status", "readyReplicas"})), age_since(o.metadata.creationTimestamp, now)};
}

Row name_age_row(const Object& o, double now, bool) {
  return {o.metadata.name, age_since(o.metadata.creationTimestamp, now)};
}

struct KindTable {
  std::string_view kind;
  Row columns;       // always shown
  Row wide_columns;  // -o wide adds these
  Row (*row)(const Object&, double, bool);
};

const KindTable& table_for(std::string_view kind) {
  static const std::vector<KindTable> tables = {
      {"Pod",
       {"NAME", "READY", "STATUS", "RESTARTS", "AGE"},
       {"IP", "NODE", "NOMINATED NODE", "READINESS GATES"},
       &pod_row},
      {"Node",
       {"NAME", "STATUS", "ROLES", "AGE", "VERSION"},
       {"INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"},
       &node_row},
      {"Namespace", {"NAME", "STATUS", "AGE"}, {}, &namespace_row},
      {"Service", {"NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"}, {"SELECTOR"}, &service_row},
      {"PersistentVolume",
       {"NAME", "CAPACITY", "ACCESS MODES", "RECLAIM POLICY", "STATUS", "CLAIM", "STORAGECLASS",
        "VOLUMEATTRIBUTESCLASS", "REASON", "AGE"},
       {"VOLUMEMODE"},
       &pv_row},
      {"PersistentVolumeClaim",
       {"NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "AGE"},
       {"VOLUMEMODE"},
       &pvc_row},
      // Wide columns interleave with the narrow ones; event_row returns them in order.
      {"Event", {"LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"}, {}, &event_row},
      {"ReplicaSet",
       {"NAME", "DESIRED", "CURRENT", "READY", "AGE"},
       {"CONTAINERS", "IMAGES", "SELECTOR"},
       &replicaset_row},
      {"Deployment",
       {"NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"},
       {"CONTAINERS", "IMAGES", "SELECTOR"},
       &deployment_row},
      {"DaemonSet",
       {"NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"},
       {"CONTAINERS", "IMAGES", "SELECTOR"},
       &daemonset_row},
      {"StatefulSet", {"NAME", "READY", "AGE"}, {"CONTAINERS", "IMAGES"}, &statefulset_row},
      {"PriorityClass", {"NAME", "VALUE", "GLOBAL-DEFAULT", "AGE"}, {"PREEMPTIONPOLICY"}, &priorityclass_row},
      {"ConfigMap", {"NAME", "DATA", "AGE"}, {}, &configmap_row},
      {"Secret", {"NAME", "TYPE", "DATA", "AGE"}, {}, &secret_row},
      {"ControllerRevision", {"NAME", "CONTROLLER", "REVISION", "AGE"}, {}, &controllerrevision_row},
      {"PodDisruptionBudget", {"NAME", "MIN AVAILABLE", "MAX UNAVAILABLE", "ALLOWED DISRUPTIONS", "AGE"}, {}, &pdb_row},
      {"StorageClass",
       {"NAME", "PROVISIONER", "RECLAIMPOLICY", "VOLUMEBINDINGMODE", "ALLOWVOLUMEEXPANSION", "AGE"},
       {},
       &storageclass_row},
      {"VolumeAttachment", {"NAME", "ATTACHER", "PV", "NODE", "ATTACHED", "AGE"}, {}, &volumeattachment_row},
      {"Endpoints", {"NAME", "ENDPOINTS", "AGE"}, {}, &endpoints_row},
      {"VirtualMachine", {"NAME", "AGE", "STATUS", "READY"}, {}, &vm_row},
      {"VirtualMachineInstance",
       {"NAME", "AGE", "PHASE", "IP", "NODENAME", "READY"},
       {"LIVE-MIGRATABLE", "PAUSED"},
       &vmi_row},
      {"VirtualMachineInstanceMigration", {"NAME", "PHASE", "VMI"}, {}, &vmim_row},
      {"VirtualMachineInstanceReplicaSet", {"NAME", "DESIRED", "CURRENT", "READY", "AGE"}, {}, &vmirs_row},
      {"DataVolume", {"NAME", "PHASE", "PROGRESS", "RESTARTS", "AGE"}, {}, &datavolume_row},
      {"DataImportCron", {"NAME", "FORMAT", "AGE"}, {}, &dataimportcron_row},
      {"Template", {"NAME", "DESCRIPTION", "PARAMETERS", "OBJECTS"}, {}, &template_row},
      {"VolumeSnapshot",
       {"NAME", "READYTOUSE", "SOURCEPVC", "SOURCESNAPSHOTCONTENT", "RESTORESIZE", "SNAPSHOTCLASS", "SNAPSHOTCONTENT",
        "CREATIONTIME", "AGE"},
       {},
       &volumesnapshot_row},
      {"VolumeSnapshotClass", {"NAME", "DRIVER", "DELETIONPOLICY", "AGE"}, {}, &volumesnapshotclass_row},
  };
  static const KindTable fallback{"", {"NAME", "AGE"}, {}, &name_age_row};
  for (const auto& t : tables)
    if (t.kind == kind) return t;
  return fallback;
}

// `get events -o wide` reorders its columns rather than appending to them.
const Row kEventWideHeader = {"LAST SEEN", "TYPE",    "REASON",     "OBJECT", "SUBOBJECT",
                              "SOURCE",    "MESSAGE", "FIRST SEEN", "COUNT",  "NAME"};

Row header_for(const KindTable& t, bool wide) {
  if (t.kind == "Event" && wide) return kEventWideHeader;
  Row header = t.columns;
  if (wide) header.insert(header.end(), t.wide_columns.begin(), t.wide_columns.end());
  return header;
}

// Which column holds the object's name (kind/name with show_kind); -1: none.
int name_column(const KindTable& t, bool wide) {
  if (t.kind == "Event") return wide ? 9 : -1;
  return 0;
}

}  // namespace

std::vector<std::string> table_header(const KindInfo& kind, bool wide) { return header_for(table_for(kind.kind), wide); }

std::vector<std::string> table_cells(const KindInfo& kind, const Object& obj, double now, bool wide) {
  const KindTable& table = table_for(kind.kind);
  // The row functions downcast: only objects of this kind's type go to them.
  Row row = obj.info().kind == kind.kind ? table.row(obj, now, wide) : name_age_row(obj, now, wide);
  // As many cells as header_for has columns (without building the header for every row).
  row.resize(table.kind == "Event" && wide ? kEventWideHeader.size()
                                           : table.columns.size() + (wide ? table.wide_columns.size() : 0));
  for (auto& cell : row) cell = printable_cell(std::move(cell));
  return row;
}

std::string print_table(const KindInfo& kind, const std::vector<models::ObjectPtr>& objects, double now,
                        const TableOptions& opts) {
  const KindTable& table = table_for(kind.kind);
  const Row header = header_for(table, opts.wide);
  const int name_col = name_column(table, opts.wide);
  const bool with_namespace = opts.all_namespaces && kind.namespaced;

  std::vector<Row> lines;
  for (const auto& obj : objects) {
    if (!obj) continue;
    Row row = table_cells(kind, *obj, now, opts.wide);
    if (opts.show_kind && name_col >= 0)
      row[static_cast<std::size_t>(name_col)] = kind_resource_name(kind) + "/" + row[static_cast<std::size_t>(name_col)];
    if (with_namespace) row.insert(row.begin(), obj->metadata.namespace_);
    if (opts.show_labels) row.push_back(format_labels(obj->metadata.labels));
    lines.push_back(std::move(row));
  }
  if (lines.empty()) return "";
  Row full_header = header;
  if (with_namespace) full_header.insert(full_header.begin(), "NAMESPACE");
  if (opts.show_labels) full_header.push_back("LABELS");
  lines.insert(lines.begin(), std::move(full_header));
  return tabwrite(lines, 6, 3);
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const auto& i : items) {
    if (!out.empty()) out += sep;
    out += i;
  }
  return out;
}

std::string format_labels(const std::map<std::string, std::string>& labels) {
  std::vector<std::string> parts;
  for (const auto& [k, v] : labels) parts.push_back(k + "=" + v);
  return parts.empty() ? "<none>" : join(parts);
}

}  // namespace kvsim::sim::commands
