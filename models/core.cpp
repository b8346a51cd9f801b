#include "models/core.hpp"

#include <fmt/format.h>

#include <set>

#include "models/base64.hpp"
#include "models/codec/schema.hpp"
#include "models/names.hpp"
#include "models/pod_admission.hpp"
#include "models/validation.hpp"

namespace kvsim::models {
namespace {

void validate_containers(const std::vector<Container>& containers, const std::string& path, DecodeContext& ctx,
                         std::set<std::string>& names) {
  for (std::size_t i = 0; i < containers.size(); ++i) {
    const auto& c = containers[i];
    const auto p = fmt::format("{}[{}]", path, i);
    if (auto err = check_dns1123_label(c.name); !err.empty()) ctx.invalid(p + ".name", invalid_value(c.name, err));
    else if (!names.insert(c.name).second) ctx.invalid(p + ".name", fmt::format("Duplicate value: \"{}\"", c.name));
    if (c.image.empty()) ctx.invalid(p + ".image", "Required value");
  }
}

}  // namespace

void validate_pod_spec(const PodSpec& s, const std::string& path, DecodeContext& ctx) {
  if (s.containers.empty()) ctx.invalid(path + ".containers", "Required value");
  std::set<std::string> names;
  validate_containers(s.containers, path + ".containers", ctx, names);
  validate_containers(s.initContainers, path + ".initContainers", ctx, names);
  std::set<std::string> volumes;
  for (std::size_t i = 0; i < s.volumes.size(); ++i)
    if (!volumes.insert(s.volumes[i].name).second)
      ctx.invalid(fmt::format("{}.volumes[{}].name", path, i), fmt::format("Duplicate value: \"{}\"", s.volumes[i].name));
  for (std::size_t i = 0; i < s.tolerations.size(); ++i) {
    const auto& t = s.tolerations[i];
    if (t.op == "Exists" && !t.value.empty())
      ctx.invalid(fmt::format("{}.tolerations[{}].operator", path, i),
                  "Invalid value: \"Exists\": value must be empty when `operator` is 'Exists'");
    if (t.key.empty() && t.op != "Exists")
      ctx.invalid(fmt::format("{}.tolerations[{}].operator", path, i),
                  fmt::format("Invalid value: \"{}\": operator must be Exists when `key` is empty", t.op));
  }
  if (s.terminationGracePeriodSeconds && *s.terminationGracePeriodSeconds < 0)
    ctx.invalid(path + ".terminationGracePeriodSeconds", "Invalid value: must be >= 0");
}

ResourceList pod_requests(const PodSpec& spec) {
  ResourceList total;
  for (const auto& c : spec.containers)
    for (const auto& [k, q] : c.resources.requests) total[k] += q;
  for (const auto& c : spec.initContainers)
    for (const auto& [k, q] : c.resources.requests)
      if (total[k] < q) total[k] = q;
  return total;
}

namespace {

void validate_pod(const Object& o, DecodeContext& ctx) {
  const auto& p = static_cast<const Pod&>(o);
  validate_metadata(p.metadata, true, NameRule::Subdomain, ctx);
  validate_pod_spec(p.spec, "spec", ctx);
}

void default_pod(Object& o) {
  auto& p = static_cast<Pod&>(o);
  default_pod_spec(p.spec);
  add_default_tolerations(p.spec);  // DefaultTolerationSeconds admission: pods only, never templates
  // The API server creates every pod Pending: kubectl shows Pending before any kubelet saw it.
  if (p.status.phase.empty()) p.status.phase = "Pending";
}

}  // namespace

void default_pod_spec(PodSpec& spec) {
  if (spec.restartPolicy.empty()) spec.restartPolicy = "Always";
  if (!spec.terminationGracePeriodSeconds) spec.terminationGracePeriodSeconds = 30;
  if (spec.schedulerName.empty()) spec.schedulerName = "default-scheduler";
  if (spec.dnsPolicy.empty()) spec.dnsPolicy = "ClusterFirst";
  for (auto* list : {&spec.containers, &spec.initContainers})
    for (auto& c : *list) {
      if (c.imagePullPolicy.empty())
        c.imagePullPolicy = c.image.ends_with(":latest") || c.image.find(':') == std::string::npos ? "Always" : "IfNotPresent";
      for (auto& port : c.ports)
        if (port.protocol.empty()) port.protocol = "TCP";
      // Limits without requests: requests default to the limits.
      for (const auto& [k, q] : c.resources.limits)
        if (!c.resources.requests.contains(k)) c.resources.requests[k] = q;
    }
}

namespace {

void validate_node(const Object& o, DecodeContext& ctx) {
  validate_metadata(o.metadata, false, NameRule::Subdomain, ctx);
}

void validate_namespace(const Object& o, DecodeContext& ctx) {
  validate_metadata(o.metadata, false, NameRule::Label, ctx);
}

// The namespace registry: a new namespace is Active and carries the
// "kubernetes" finalizer that the namespace controller removes once its
// contents are gone.
void default_namespace(Object& o) {
  auto& ns = static_cast<Namespace&>(o);
  if (ns.status.phase.empty()) ns.status.phase = "Active";
  if (ns.spec.is_null()) ns.spec = Json::object();
  if (ns.spec.is_object() && !ns.spec.contains("finalizers")) ns.spec["finalizers"] = Json::array({"kubernetes"});
}

void validate_service(const Object& o, DecodeContext& ctx) {
  const auto& s = static_cast<const Service&>(o);
  validate_metadata(s.metadata, true, NameRule::Label, ctx);
  for (std::size_t i = 0; i < s.spec.ports.size(); ++i) {
    const auto port = s.spec.ports[i].port;
    if (port < 1 || port > 65535)
      ctx.invalid(fmt::format("spec.ports[{}].port", i),
                  invalid_value(std::to_string(port), "must be between 1 and 65535, inclusive"));
    if (s.spec.ports.size() > 1 && s.spec.ports[i].name.empty())
      ctx.invalid(fmt::format("spec.ports[{}].name", i), "Required value");
  }
}

void default_service(Object& o) {
  auto& s = static_cast<Service&>(o);
  if (s.spec.type.empty()) s.spec.type = "ClusterIP";
  if (s.spec.sessionAffinity.empty()) s.spec.sessionAffinity = "None";
  for (auto& p : s.spec.ports) {
    if (p.protocol.empty()) p.protocol = "TCP";
    if (!p.targetPort) p.targetPort = IntOrString::of(p.port);
  }
  // spec.clusterIPs mirrors spec.clusterIP (single stack); the address itself
  // is allocated by the API server from the service network (sim/api/stateful_admission).
  if (!s.spec.clusterIP.empty() && s.spec.clusterIPs.empty()) s.spec.clusterIPs = {s.spec.clusterIP};
  if (s.spec.clusterIP.empty() && !s.spec.clusterIPs.empty()) s.spec.clusterIP = s.spec.clusterIPs.front();
}

const std::set<std::string> kAccessModes = {"ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"};

void validate_access_modes(const std::vector<std::string>& modes, const std::string& path, DecodeContext& ctx) {
  if (modes.empty()) ctx.invalid(path, "Required value: at least 1 access mode is required");
  for (std::size_t i = 0; i < modes.size(); ++i)
    if (!kAccessModes.contains(modes[i]))
      ctx.invalid(fmt::format("{}[{}]", path, i),
                  fmt::format("Unsupported value: \"{}\": supported values: \"ReadOnlyMany\", \"ReadWriteMany\", "
                              "\"ReadWriteOnce\", \"ReadWriteOncePod\"",
                              modes[i]));
}

void validate_pv(const Object& o, DecodeContext& ctx) {
  const auto& pv = static_cast<const PersistentVolume&>(o);
  validate_metadata(pv.metadata, false, NameRule::Subdomain, ctx);
  validate_access_modes(pv.spec.accessModes, "spec.accessModes", ctx);
  if (!pv.spec.capacity.contains("storage")) ctx.invalid("spec.capacity", "Required value");
}

void default_pv(Object& o) {
  auto& pv = static_cast<PersistentVolume&>(o);
  if (pv.spec.persistentVolumeReclaimPolicy.empty()) pv.spec.persistentVolumeReclaimPolicy = "Retain";
  if (pv.spec.volumeMode.empty()) pv.spec.volumeMode = "Filesystem";
  if (pv.status.phase.empty()) pv.status.phase = "Pending";
}

}  // namespace

void validate_pvc_spec(const PersistentVolumeClaimSpec& s, const std::string& path, DecodeContext& ctx) {
  validate_access_modes(s.accessModes, path + ".accessModes", ctx);
  if (!s.resources.requests.contains("storage")) ctx.invalid(path + ".resources.requests.storage", "Required value");
}

namespace {

void validate_pvc(const Object& o, DecodeContext& ctx) {
  const auto& pvc = static_cast<const PersistentVolumeClaim&>(o);
  validate_metadata(pvc.metadata, true, NameRule::Subdomain, ctx);
  validate_pvc_spec(pvc.spec, "spec", ctx);
}

void default_pvc(Object& o) {
  auto& pvc = static_cast<PersistentVolumeClaim&>(o);
  if (pvc.spec.volumeMode.empty()) pvc.spec.volumeMode = "Filesystem";
  if (pvc.status.phase.empty()) pvc.status.phase = "Pending";
}

void validate_meta_only(const Object& o, DecodeContext& ctx) {
  validate_metadata(o.metadata, o.info().namespaced, NameRule::Subdomain, ctx);
}

// Data of a ConfigMap or Secret is at most 1 MiB in all (corev1.MaxSecretSize).
constexpr std::size_t kMaxConfigDataBytes = 1024 * 1024;

void validate_config_keys(const std::vector<std::string>& keys, const char* field, DecodeContext& ctx) {
  for (const auto& k : keys)
    if (auto err = check_config_key(k); !err.empty())
      ctx.invalid(fmt::format("{}[{}]", field, k), invalid_value(k, err));
}

void validate_configmap(const Object& o, DecodeContext& ctx) {
  validate_meta_only(o, ctx);
  const auto& cm = static_cast<const ConfigMap&>(o);
  std::vector<std::string> keys;
  std::size_t total = 0;
  for (const auto& [k, v] : cm.data) keys.push_back(k), total += v.size();
  validate_config_keys(keys, "data", ctx);
  if (cm.binaryData.is_object()) {
    keys.clear();
    for (const auto& [k, v] : cm.binaryData.items()) {
      keys.push_back(k);
      if (cm.data.contains(k)) ctx.invalid(fmt::format("binaryData[{}]", k), invalid_value(k, "duplicate of key present in data"));
    }
    validate_config_keys(keys, "binaryData", ctx);
  }
  if (total > kMaxConfigDataBytes)
    ctx.invalid("", fmt::format("Too long: must have at most {} bytes", kMaxConfigDataBytes));
}

// stringData is merged into data (a key in both takes stringData's value) and
// then dropped: it is write-only, as upstream's conversion makes it.
void default_secret(Object& o) {
  auto& s = static_cast<Secret&>(o);
  for (const auto& [k, v] : s.stringData) s.data[k] = base64_encode(v);
  s.stringData.clear();
  if (s.type.empty()) s.type = "Opaque";
}

void validate_secret(const Object& o, DecodeContext& ctx) {
  validate_meta_only(o, ctx);
  const auto& s = static_cast<const Secret&>(o);
  std::vector<std::string> keys;
  std::size_t total = 0;
  for (const auto& [k, v] : s.data) {
    keys.push_back(k);
    std::size_t bad = 0;
    if (auto bytes = base64_decode(v, bad)) total += bytes->size();
    else ctx.invalid(fmt::format("data[{}]", k), fmt::format("illegal base64 data at input byte {}", bad));
  }
  validate_config_keys(keys, "data", ctx);
  if (total > kMaxConfigDataBytes)
    ctx.invalid("data", fmt::format("Too long: must have at most {} bytes", kMaxConfigDataBytes));
}

void validate_secret_update(const Object& old, const Object& next, DecodeContext& ctx) {
  const auto& before = static_cast<const Secret&>(old);
  const auto& after = static_cast<const Secret&>(next);
  if (after.type != before.type) ctx.invalid("type", invalid_value(after.type, "field is immutable"));
  if (before.immutable.value_or(false)) {
    if (!after.immutable.value_or(false))
      ctx.invalid("immutable", "Forbidden: field is immutable when `immutable` is set");
    if (after.data != before.data) ctx.invalid("data", "Forbidden: field is immutable when `immutable` is set");
  }
}

void validate_configmap_update(const Object& old, const Object& next, DecodeContext& ctx) {
  const auto& before = static_cast<const ConfigMap&>(old);
  const auto& after = static_cast<const ConfigMap&>(next);
  if (!before.immutable.value_or(false)) return;
  if (!after.immutable.value_or(false)) ctx.invalid("immutable", "Forbidden: field is immutable when `immutable` is set");
  if (after.data != before.data) ctx.invalid("data", "Forbidden: field is immutable when `immutable` is set");
  if (after.binaryData != before.binaryData)
    ctx.invalid("binaryData", "Forbidden: field is immutable when `immutable` is set");
}

}  // namespace

const KindInfo& Pod::kind_info() {
  static const KindInfo info = with_schema<Pod>(
      {"Pod", "v1", "pods", {"po"}, true, {}, &decode_kind<Pod>, &validate_pod, &default_pod});
  return info;
}
const KindInfo& Node::kind_info() {
  static const KindInfo info = with_schema<Node>(
      {"Node", "v1", "nodes", {"no"}, false, {}, &decode_kind<Node>, &validate_node, nullptr, false});
  return info;
}
const KindInfo& Namespace::kind_info() {
  static const KindInfo info = with_schema<Namespace>(
      {"Namespace", "v1", "namespaces", {"ns"}, false, {}, &decode_kind<Namespace>, &validate_namespace,
       &default_namespace});
  return info;
}
const KindInfo& Service::kind_info() {
  static const KindInfo info = with_schema<Service>(
      {"Service", "v1", "services", {"svc"}, true, {}, &decode_kind<Service>, &validate_service, &default_service});
  return info;
}
const KindInfo& PersistentVolume::kind_info() {
  static const KindInfo info = with_schema<PersistentVolume>(
      {"PersistentVolume", "v1", "persistentvolumes", {"pv"}, false, {}, &decode_kind<PersistentVolume>, &validate_pv,
       &default_pv});
  return info;
}
const KindInfo& PersistentVolumeClaim::kind_info() {
  static const KindInfo info = with_schema<PersistentVolumeClaim>(
      {"PersistentVolumeClaim", "v1", "persistentvolumeclaims", {"pvc"}, true, {}, &decode_kind<PersistentVolumeClaim>,
       &validate_pvc, &default_pvc});
  return info;
}
const KindInfo& Event::kind_info() {
  static const KindInfo info = with_schema<Event>(
      {"Event", "v1", "events", {"ev"}, true, {}, &decode_kind<Event>, &validate_meta_only, nullptr, false});
  return info;
}
const KindInfo& ConfigMap::kind_info() {
  static const KindInfo info = with_schema<ConfigMap>(
      {"ConfigMap", "v1", "configmaps", {"cm"}, true, {}, &decode_kind<ConfigMap>, &validate_configmap, nullptr,
       false, &validate_configmap_update});
  return info;
}
const KindInfo& Secret::kind_info() {
  static const KindInfo info = with_schema<Secret>(
      {"Secret", "v1", "secrets", {}, true, {}, &decode_kind<Secret>, &validate_secret, &default_secret, false,
       &validate_secret_update});
  return info;
}

std::optional<std::string> Secret::value(const std::string& key) const {
  auto it = data.find(key);
  if (it == data.end()) return std::nullopt;
  std::size_t bad = 0;
  return base64_decode(it->second, bad);
}

std::string check_config_key(std::string_view key) {
  constexpr std::size_t kMaxLength = 253;
  std::string err;
  auto add = [&err](std::string_view e) { err += (err.empty() ? "" : ", ") + std::string(e); };
  if (key.size() > kMaxLength) add(fmt::format("must be no more than {} characters", kMaxLength));
  const bool chars_ok = !key.empty() && key.find_first_not_of(
      "-._abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") == std::string_view::npos;
  if (!chars_ok)
    add("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or "
        "'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
  if (key == ".") add("must not be '.'");
  else if (key == "..") add("must not be '..'");
  else if (key.starts_with("..")) add("must not start with '..'");
  return err;
}
const KindInfo& PriorityClass::kind_info() {
  static const KindInfo info = with_schema<PriorityClass>(
      {"PriorityClass", "scheduling.k8s.io/v1", "priorityclasses", {"pc"}, false, {}, &decode_kind<PriorityClass>,
       &validate_meta_only, nullptr, false});
  return info;
}

}  // namespace kvsim::models
