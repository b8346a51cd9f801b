#include "sim/node/network_status.hpp"

#include <fmt/format.h>

#include <cstdio>

namespace kvsim::sim::node {

std::string ovn_mac(const std::string& ipv4) {
  unsigned a = 0, b = 0, c = 0, d = 0;
  std::sscanf(ipv4.c_str(), "%u.%u.%u.%u", &a, &b, &c, &d);
  return fmt::format("0a:58:{:02x}:{:02x}:{:02x}:{:02x}", a & 255, b & 255, c & 255, d & 255);
}

namespace {

// One NetworkStatus as MarshalIndent writes it: fields in struct order, omitempty ones left
// out, and "dns" always there (a struct is never empty to omitempty).
std::string entry(const std::string& name, const std::string& interface, const std::string& ip, const std::string& mac,
                  bool is_default, const std::string& pci_address) {
  const auto q = [](const std::string& s) { return models::Json(s).dump(); };
  std::string out = "{\n    \"name\": " + q(name) + ",\n    \"interface\": " + q(interface) + ",\n";
  if (!ip.empty()) out += "    \"ips\": [\n        " + q(ip) + "\n    ],\n";
  if (!mac.empty()) out += "    \"mac\": " + q(mac) + ",\n";
  if (is_default) out += "    \"default\": true,\n";
  out += "    \"dns\": {}";
  if (!pci_address.empty())
    out += ",\n    \"device-info\": {\n        \"type\": \"pci\",\n        \"version\": \"1.1.0\",\n"
           "        \"pci\": {\n            \"pci-address\": " + q(pci_address) + "\n        }\n    }";
  return out + "\n}";
}

models::Json parsed_annotation(const models::Pod& pod, const char* key) {
  const auto it = pod.metadata.annotations.find(key);
  if (it == pod.metadata.annotations.end() || !models::Json::accept(it->second)) return models::Json::array();
  auto j = models::Json::parse(it->second);
  return j.is_array() ? j : models::Json::array();
}

}  // namespace

std::string network_status(const models::Pod& pod, const std::string& pod_ip, const RandomMac& random_mac,
                           const DeviceFor& device_for) {
  if (pod.spec.hostNetwork.value_or(false)) return {};
  std::string out = "[" + entry("ovn-kubernetes", "eth0", pod_ip, ovn_mac(pod_ip), true, "");
  const auto requested = parsed_annotation(pod, models::kNetworksAnnotation);
  for (std::size_t i = 0; i < requested.size(); ++i) {
    const auto& r = requested[i];
    if (!r.is_object()) continue;
    const std::string ns = r.value("namespace", pod.metadata.namespace_);
    const std::string nad = r.value("name", std::string());
    // Multus names an interface the request leaves unnamed net1, net2, ... by position.
    const std::string interface = r.value("interface", "net" + std::to_string(i + 1));
    const std::string mac = r.value("mac", std::string());
    const std::string device = device_for(ns, nad);
    // A VF handed to vfio-pci has no netdev: only a MAC the request set is reported.
    const std::string reported_mac = !mac.empty() ? mac : device.empty() ? random_mac() : "";
    out += "," + entry(ns + "/" + nad, interface, "", reported_mac, false, device);
  }
  return out + "]";
}

std::string vf_pci_address(int index) { return fmt::format("0000:3b:{:02x}.{}", 2 + index / 8, index % 8); }

std::vector<std::string> device_pci_addresses(const models::Pod& pod) {
  std::vector<std::string> out;
  for (const auto& s : parsed_annotation(pod, models::kNetworkStatusAnnotation))
    if (s.is_object() && s.contains("device-info") && s["device-info"].is_object()) {
      const auto& pci = s["device-info"].value("pci", models::Json::object());
      if (pci.is_object() && pci.contains("pci-address") && pci["pci-address"].is_string())
        out.push_back(pci["pci-address"].get<std::string>());
    }
  return out;
}

}  // namespace kvsim::sim::node
