#include "sim/api/stateful_admission.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "models/core.hpp"
#include "models/pod.hpp"
#include "models/storage.hpp"

namespace kvsim::sim::api {

using models::Object;

std::optional<std::uint32_t> parse_ipv4(const std::string& ip) {
  unsigned a = 0, b = 0, c = 0, d = 0;
  char tail = 0;
  if (std::sscanf(ip.c_str(), "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) != 4 || a > 255 || b > 255 || c > 255 || d > 255)
    return std::nullopt;
  return (a << 24) | (b << 16) | (c << 8) | d;
}

std::string format_ipv4(std::uint32_t ip) {
  return fmt::format("{}.{}.{}.{}", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
}

std::optional<Ipv4Range> parse_cidr(const std::string& cidr) {
  const auto slash = cidr.find('/');
  if (slash == std::string::npos) return std::nullopt;
  auto ip = parse_ipv4(cidr.substr(0, slash));
  unsigned bits = 0;
  if (!ip || std::sscanf(cidr.c_str() + slash + 1, "%u", &bits) != 1 || bits > 30) return std::nullopt;
  const std::uint32_t size = 1u << (32 - bits);
  return Ipv4Range{*ip & ~(size - 1), size};
}

std::string allocate_cluster_ip(const Ipv4Range& range, const std::string& key, const std::set<std::uint32_t>& used) {
  if (range.size < 4) return {};
  // FNV-1a: stable across platforms and runs (std::hash is neither).
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char ch : key) h = (h ^ ch) * 1099511628211ull;
  const std::uint32_t last = range.size - 1;  // the broadcast address, never given
  const std::uint32_t band = std::min<std::uint32_t>(std::max<std::uint32_t>(16, range.size / 16), 256);
  const std::uint32_t lower = band < last ? band : 1;
  auto free_in = [&](std::uint32_t from, std::uint32_t to, std::uint32_t start) -> std::optional<std::uint32_t> {
    const std::uint32_t n = to - from;
    for (std::uint32_t i = 0; i < n; ++i) {
      const std::uint32_t ip = range.base + from + (start - from + i) % n;
      if (!used.contains(ip)) return ip;
    }
    return std::nullopt;
  };
  auto ip = free_in(lower, last, lower + static_cast<std::uint32_t>(h % (last - lower)));
  if (!ip && lower > 1) ip = free_in(1, lower, 1);
  return ip ? format_ipv4(*ip) : std::string();
}

namespace {

std::string resource_ref(const Object& o) {
  const auto group = o.info().group();
  // Before name generation, an object is known by its generateName (admission's extractResourceName).
  const auto& name = o.metadata.name.empty() ? o.metadata.generateName : o.metadata.name;
  return fmt::format("{}{}{} \"{}\"", o.info().plural, group.empty() ? "" : ".", group, name);
}

// NamespaceLifecycle: creation in a terminating namespace is forbidden (new
// Events too: a kubelet's "Killing" events there are refused, as upstream logs show).
std::string namespace_lifecycle(const Store& store, const Object& obj) {
  if (!obj.info().namespaced || obj.metadata.namespace_.empty()) return {};
  auto ns = store.get<models::Namespace>("", obj.metadata.namespace_);
  if (!ns || ns->status.phase != "Terminating") return {};
  return fmt::format("{} is forbidden: unable to create new content in namespace {} because it is being terminated",
                     resource_ref(obj), obj.metadata.namespace_);
}

// Priority: a new pod's priorityClassName resolves to its PriorityClass, whose
// value (and preemption policy) the pod gets; a name that resolves to nothing
// refuses the pod. The two system classes always exist. A pod naming no class
// gets the global default one (the lowest value if several claim it), if any.
std::string pod_priority(const Store& store, models::Pod& pod) {
  if (pod.spec.priorityClassName.empty()) {
    std::shared_ptr<const models::PriorityClass> global;
    for (const auto& o : store.list(models::PriorityClass::kind_info())) {
      const auto& pc = static_cast<const models::PriorityClass&>(*o);
      if (pc.globalDefault.value_or(false) && (!global || pc.value < global->value))
        global = std::static_pointer_cast<const models::PriorityClass>(o);
    }
    if (global) pod.spec.priorityClassName = global->metadata.name;
  }
  const auto& name = pod.spec.priorityClassName;
  if (name.empty()) return {};
  if (name == "system-node-critical" || name == "system-cluster-critical") {
    pod.spec.priority = name == "system-node-critical" ? 2000001000 : 2000000000;
    if (pod.spec.preemptionPolicy.empty()) pod.spec.preemptionPolicy = "PreemptLowerPriority";
    return {};
  }
  auto pc = store.get<models::PriorityClass>("", name);
  if (!pc) return fmt::format("{} is forbidden: no PriorityClass with name {} was found", resource_ref(pod), name);
  pod.spec.priority = pc->value;
  if (pod.spec.preemptionPolicy.empty())
    pod.spec.preemptionPolicy = pc->preemptionPolicy.empty() ? "PreemptLowerPriority" : pc->preemptionPolicy;
  return {};
}

// DefaultStorageClass: the newest class marked default (then the first by name).
void default_storage_class(const Store& store, models::PersistentVolumeClaim& pvc) {
  if (pvc.spec.storageClassName || pvc.metadata.annotations.contains("volume.beta.kubernetes.io/storage-class")) return;
  const models::StorageClass* chosen = nullptr;
  const auto classes = store.list(models::StorageClass::kind_info());
  for (const auto& o : classes) {
    const auto& sc = static_cast<const models::StorageClass&>(*o);
    if (!sc.is_default()) continue;
    const double t = sc.metadata.creationTimestamp ? sc.metadata.creationTimestamp->seconds : 0;
    const double best = chosen && chosen->metadata.creationTimestamp ? chosen->metadata.creationTimestamp->seconds : 0;
    if (!chosen || t > best) chosen = &sc;
  }
  if (chosen) pvc.spec.storageClassName = chosen->metadata.name;
}

void add_finalizer(Object& obj, const char* finalizer) {
  if (!obj.metadata.has_finalizer(finalizer)) obj.metadata.finalizers.push_back(finalizer);
}

std::string clusterips_value(const std::string& ip) { return fmt::format("[]string{{\"{}\"}}", ip); }

// The Service registry: a ClusterIP from the service network, or "None" (headless).
void allocate_service_ip(const Store& store, const Ipv4Range& range, const std::string& cidr,
                         const models::Service* old, models::Service& svc, models::DecodeContext& ctx) {
  auto& spec = svc.spec;
  if (spec.clusterIP.empty() && !spec.clusterIPs.empty()) spec.clusterIP = spec.clusterIPs.front();
  if (old) {
    // An update that leaves the address out keeps it; changing it is refused.
    if (spec.clusterIP.empty()) {
      spec.clusterIP = old->spec.clusterIP;
      spec.clusterIPs = old->spec.clusterIPs;
    } else if (spec.clusterIP != old->spec.clusterIP && !old->spec.clusterIP.empty()) {
      ctx.invalid("spec.clusterIPs[0]", fmt::format("Invalid value: {}: may not change once set",
                                                      clusterips_value(spec.clusterIP)));
    }
    return;
  }
  if (spec.type == "ExternalName") return;
  if (spec.clusterIP == "None") {
    spec.clusterIPs = {"None"};
    return;
  }
  std::set<std::uint32_t> used;
  for (const auto& o : store.list(models::Service::kind_info()))
    if (auto ip = parse_ipv4(static_cast<const models::Service&>(*o).spec.clusterIP)) used.insert(*ip);
  if (!spec.clusterIP.empty()) {
    const auto ip = parse_ipv4(spec.clusterIP);
    const auto value = clusterips_value(spec.clusterIP);
    if (!ip)
      ctx.invalid("spec.clusterIPs[0]", fmt::format("Invalid value: \"{}\": must be a valid IP address", spec.clusterIP));
    else if (!range.contains(*ip))
      ctx.invalid("spec.clusterIPs",
                  fmt::format("Invalid value: {}: failed to allocate IP {}: the provided IP ({}) is not in the valid "
                              "range. The range of valid IPs is {}",
                              value, spec.clusterIP, spec.clusterIP, cidr));
    else if (used.contains(*ip))
      ctx.invalid("spec.clusterIPs", fmt::format("Invalid value: {}: failed to allocate IP {}: provided IP is already "
                                                 "allocated",
                                                 value, spec.clusterIP));
    spec.clusterIPs = {spec.clusterIP};
    return;
  }
  spec.clusterIP = allocate_cluster_ip(range, svc.metadata.namespace_ + "/" + svc.metadata.name, used);
  if (spec.clusterIP.empty()) {
    ctx.invalid("spec.clusterIPs", "Internal error: failed to allocate a serviceIP: range is full");
    return;
  }
  spec.clusterIPs = {spec.clusterIP};
}

// A claim's spec is immutable once created (but for the storage request).
// Fields the binder or admission filled in and the update leaves out are
// kept, as kubectl apply's merge keeps them.
void claim_update(const models::PersistentVolumeClaim& old, models::PersistentVolumeClaim& next,
                  models::DecodeContext& ctx) {
  if (!next.spec.storageClassName) next.spec.storageClassName = old.spec.storageClassName;
  if (next.spec.volumeName.empty()) next.spec.volumeName = old.spec.volumeName;
  if (next.spec.volumeMode.empty()) next.spec.volumeMode = old.spec.volumeMode;
  auto comparable = [](models::PersistentVolumeClaimSpec s) {
    s.resources.requests.erase("storage");
    s.volumeAttributesClassName.clear();  // upstream lets a bound claim change it
    return models::encode_value(s);
  };
  if (comparable(old.spec) != comparable(next.spec))
    ctx.invalid("spec", "Forbidden: spec is immutable after creation except resources.requests and "
                        "volumeAttributesClassName for bound claims");
}

}  // namespace

Store::StatefulAdmission stateful_admission(const std::string& service_cidr) {
  const auto range = parse_cidr(service_cidr).value_or(Ipv4Range{(172u << 24) | (30u << 16), 1u << 16});
  return [range, service_cidr](const Store& store, const Object* old, Object& obj,
                               models::DecodeContext& ctx) -> std::string {
    if (!old)
      if (auto forbidden = namespace_lifecycle(store, obj); !forbidden.empty()) return forbidden;
    if (obj.kind == "Pod" && !old) {
      if (auto forbidden = pod_priority(store, static_cast<models::Pod&>(obj)); !forbidden.empty()) return forbidden;
    } else if (obj.kind == "Service") {
      allocate_service_ip(store, range, service_cidr, static_cast<const models::Service*>(old),
                          static_cast<models::Service&>(obj), ctx);
    } else if (obj.kind == "PersistentVolumeClaim") {
      auto& pvc = static_cast<models::PersistentVolumeClaim&>(obj);
      if (old) {
        claim_update(static_cast<const models::PersistentVolumeClaim&>(*old), pvc, ctx);
      } else {
        default_storage_class(store, pvc);
        add_finalizer(pvc, "kubernetes.io/pvc-protection");
      }
    } else if (obj.kind == "PersistentVolume") {
      auto& pv = static_cast<models::PersistentVolume&>(obj);
      // An update without the binding keeps it (apply's merge); the binder owns claimRef.
      if (old && !pv.spec.claimRef) pv.spec.claimRef = static_cast<const models::PersistentVolume&>(*old).spec.claimRef;
      if (!old) add_finalizer(obj, "kubernetes.io/pv-protection");
    }
    return {};
  };
}

}  // namespace kvsim::sim::api
