#include "sim/commands/storage_printers.hpp"

#include <fmt/format.h>

#include "sim/commands/printers.hpp"

namespace kvsim::sim::commands {

std::vector<std::string> storageclass_row(const models::Object& o, double now, bool) {
  const auto& sc = static_cast<const models::StorageClass&>(o);
  return {sc.is_default() ? sc.metadata.name + " (default)" : sc.metadata.name,
          sc.provisioner,
          sc.reclaimPolicy.empty() ? "Delete" : sc.reclaimPolicy,
          sc.volumeBindingMode.empty() ? "Immediate" : sc.volumeBindingMode,
          sc.allowVolumeExpansion.value_or(false) ? "true" : "false",
          age_since(sc.metadata.creationTimestamp, now)};
}

std::vector<std::string> volumeattachment_row(const models::Object& o, double now, bool) {
  const auto& va = static_cast<const models::VolumeAttachment&>(o);
  return {va.metadata.name, va.spec.attacher, va.spec.source.persistentVolumeName, va.spec.nodeName,
          va.status.attached ? "true" : "false", age_since(va.metadata.creationTimestamp, now)};
}

std::vector<std::string> endpoints_row(const models::Object& o, double now, bool) {
  const auto& ep = static_cast<const models::Endpoints&>(o);
  return {ep.metadata.name, format_endpoints(ep), age_since(ep.metadata.creationTimestamp, now)};
}

std::string format_endpoints(const models::Endpoints& ep, const std::string* port_name) {
  if (ep.subsets.empty()) return "<none>";
  constexpr std::size_t kMax = 3;
  std::vector<std::string> list;
  bool more = false;
  std::size_t count = 0;
  auto add = [&](const std::string& text) {
    if (list.size() == kMax) {
      more = true;
      return false;
    }
    list.push_back(text);
    return true;
  };
  for (const auto& ss : ep.subsets) {
    if (ss.ports.empty()) {
      // A headless Service without ports: bare addresses.
      count += ss.addresses.size();
      for (const auto& a : ss.addresses)
        if (!add(a.ip)) break;
      continue;
    }
    for (const auto& port : ss.ports) {
      if (port_name && port.name != *port_name) continue;
      count += ss.addresses.size();
      for (const auto& a : ss.addresses)
        if (!add(fmt::format("{}:{}", a.ip, port.port))) break;
    }
  }
  std::string out = join(list, ",");
  if (more) out += fmt::format(" + {} more...", count - kMax);
  return out;
}

}  // namespace kvsim::sim::commands
