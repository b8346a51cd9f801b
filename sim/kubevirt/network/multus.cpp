#include "sim/kubevirt/network/multus.hpp"

#include <fmt/format.h>

#include "sim/controllers/attachdetach/attachment_name.hpp"

namespace kvsim::sim::kubevirt::network {

std::pair<std::string, std::string> nad_of(const std::string& vmi_namespace, const std::string& network_name) {
  const auto slash = network_name.find('/');
  if (slash == std::string::npos) return {vmi_namespace, network_name};
  return {network_name.substr(0, slash), network_name.substr(slash + 1)};
}

ResolvedNetworks resolve_networks(const models::VirtualMachineInstance& vmi, const NadLookup& find_nad) {
  ResolvedNetworks r;
  // The sim's KubeVirt CR registers no network binding plugins (spec.configuration.network.binding).
  for (const auto& itf : vmi.spec.domain.devices.interfaces)
    if (itf.binding) {
      r.error = fmt::format(
          "failed to render launch manifest: unable to find the network binding plugin '{}' in Kubevirt configuration",
          itf.binding->name);
      return r;
    }
  for (const auto& n : vmi.spec.networks) {
    if (!n.multus) continue;
    auto [ns, name] = nad_of(vmi.metadata.namespace_, n.multus->networkName);
    const auto* nad = find_nad(ns, name);
    if (!nad) {
      // virt-controller's render error (pkg/network/multus), wrapped as the pod-creation failure.
      r.error = fmt::format("failed to render launch manifest: failed to locate network attachment definition {}/{}", ns, name);
      r.multus.clear();
      return r;
    }
    MultusAttachment a;
    a.network = n.name;
    a.nad_namespace = ns;
    a.nad_name = name;
    a.pod_interface = hashed_pod_interface_name(n.name);
    if (auto it = nad->metadata.annotations.find(kResourceNameAnnotation); it != nad->metadata.annotations.end())
      a.resource = it->second;
    for (const auto& itf : vmi.spec.domain.devices.interfaces)
      if (itf.name == n.name) {
        a.binding = itf.binding_method();
        a.mac = itf.macAddress;
      }
    r.multus.push_back(std::move(a));
  }
  return r;
}

std::string hashed_pod_interface_name(const std::string& network) {
  // namescheme.GenerateHashedInterfaceName: 11 hex digits fit the kernel's 15-character limit
  // with the "-nic" suffix the bridge binding adds.
  return "pod" + controllers::attachdetach::sha256_hex(network).substr(0, 11);
}

std::string networks_annotation(const std::vector<MultusAttachment>& multus) {
  // Written in NetworkSelectionElement's field order (name, namespace, mac, interface), which a
  // sorted JSON encoder would lose; mac only when the interface asks for one.
  std::string out = "[";
  for (std::size_t i = 0; i < multus.size(); ++i) {
    const auto& a = multus[i];
    out += fmt::format("{}{{\"name\":{},\"namespace\":{}", i ? "," : "", models::Json(a.nad_name).dump(),
                       models::Json(a.nad_namespace).dump());
    if (!a.mac.empty()) out += ",\"mac\":" + models::Json(a.mac).dump();
    out += ",\"interface\":" + models::Json(a.pod_interface).dump() + "}";
  }
  return out + "]";
}

std::map<std::string, std::string> pod_interfaces(const models::VirtualMachineInstance& vmi, const models::Pod& pod) {
  std::map<std::string, std::string> out;
  models::Json listed = models::Json::array();
  if (auto it = pod.metadata.annotations.find(kNetworksAnnotation);
      it != pod.metadata.annotations.end() && models::Json::accept(it->second))
    listed = models::Json::parse(it->second);
  std::size_t next = 0;
  for (const auto& n : vmi.spec.networks) {
    if (n.pod) out[n.name] = "eth0";
    if (!n.multus) continue;
    if (next < listed.size() && listed[next].contains("interface")) out[n.name] = listed[next]["interface"].get<std::string>();
    ++next;
  }
  return out;
}

}  // namespace kvsim::sim::kubevirt::network
