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
                  bool is_default) {
  const auto q = [](const std::string& s) { return models::Json(s).dump(); };
  std::string out = "{\n    \"name\": " + q(name) + ",\n    \"interface\": " + q(interface) + ",\n";
  if (!ip.empty()) out += "    \"ips\": [\n        " + q(ip) + "\n    ],\n";
  out += "    \"mac\": " + q(mac) + ",\n";
  if (is_default) out += "    \"default\": true,\n";
  return out + "    \"dns\": {}\n}";
}

}  // namespace

std::string network_status(const models::Pod& pod, const std::string& pod_ip, const RandomMac& random_mac) {
  if (pod.spec.hostNetwork.value_or(false)) return {};
  std::string out = "[" + entry("ovn-kubernetes", "eth0", pod_ip, ovn_mac(pod_ip), true);
  const auto it = pod.metadata.annotations.find("k8s.v1.cni.cncf.io/networks");
  if (it != pod.metadata.annotations.end() && models::Json::accept(it->second)) {
    const auto requested = models::Json::parse(it->second);
    if (requested.is_array())
      for (std::size_t i = 0; i < requested.size(); ++i) {
        const auto& r = requested[i];
        if (!r.is_object()) continue;
        const std::string ns = r.value("namespace", pod.metadata.namespace_);
        // Multus names an interface the request leaves unnamed net1, net2, ... by position.
        const std::string interface = r.value("interface", "net" + std::to_string(i + 1));
        const std::string mac = r.value("mac", std::string());
        out += "," + entry(ns + "/" + r.value("name", std::string()), interface, "", mac.empty() ? random_mac() : mac, false);
      }
  }
  return out + "]";
}

}  // namespace kvsim::sim::node
