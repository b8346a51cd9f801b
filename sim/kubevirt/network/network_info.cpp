#include "sim/kubevirt/network/network_info.hpp"

#include <algorithm>

#include "sim/kubevirt/network/multus.hpp"

namespace kvsim::sim::kubevirt::network {

namespace {

// The pod's network-status entries by pod interface name.
std::map<std::string, models::Json> statuses_by_interface(const models::Pod& pod) {
  std::map<std::string, models::Json> out;
  const auto it = pod.metadata.annotations.find(kNetworkStatusAnnotation);
  if (it == pod.metadata.annotations.end() || !models::Json::accept(it->second)) return out;
  const auto statuses = models::Json::parse(it->second);
  if (!statuses.is_array()) return out;
  for (const auto& s : statuses)
    if (s.is_object() && s.contains("interface") && s["interface"].is_string())
      out[s["interface"].get<std::string>()] = s;
  return out;
}

std::string text(const models::Json& object, const char* key) {
  return object.is_object() && object.contains(key) && object[key].is_string() ? object[key].get<std::string>() : "";
}

// DeviceInfo as json.Marshal writes it: struct order (type, version, pci), omitempty.
std::string device_info_json(const models::Json& info) {
  const auto q = [](const std::string& s) { return models::Json(s).dump(); };
  std::string out = "{\"type\":" + q(text(info, "type")) + ",\"version\":" + q(text(info, "version"));
  if (const auto address = text(info.value("pci", models::Json::object()), "pci-address"); !address.empty())
    out += ",\"pci\":{\"pci-address\":" + q(address) + "}";
  return out + "}";
}

}  // namespace

std::string network_info_annotation(const models::VirtualMachineInstance& vmi, const models::Pod& pod) {
  // Called on every sync of a ready pod: a VMI without SR-IOV parses nothing.
  const auto& interfaces = vmi.spec.domain.devices.interfaces;
  if (std::none_of(interfaces.begin(), interfaces.end(), [](const auto& itf) { return itf.sriov.has_value(); })) return {};
  const auto statuses = statuses_by_interface(pod);
  const auto pod_interface_of = pod_interfaces(vmi, pod);
  std::string entries;
  for (const auto& itf : vmi.spec.domain.devices.interfaces) {
    if (!itf.sriov) continue;
    const auto name = pod_interface_of.find(itf.name);
    if (name == pod_interface_of.end()) continue;
    const auto status = statuses.find(name->second);
    // Not plugged yet: no entry, as upstream (MapNetworkNameToDeviceInfo).
    if (status == statuses.end() || !status->second.contains("device-info")) continue;
    entries += std::string(entries.empty() ? "" : ",") + "{\"network\":" + models::Json(itf.name).dump() +
               ",\"deviceInfo\":" + device_info_json(status->second["device-info"]) + "}";
  }
  return entries.empty() ? "" : "{\"interfaces\":[" + entries + "]}";
}

}  // namespace kvsim::sim::kubevirt::network
