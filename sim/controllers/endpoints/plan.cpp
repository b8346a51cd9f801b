#include "sim/controllers/endpoints/plan.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <tuple>

namespace kvsim::sim::controllers::endpoints {

using models::EndpointAddress;
using models::EndpointPort;
using models::EndpointSubset;

namespace {

bool pod_ready(const models::Pod& pod) {
  const auto* c = models::find_condition(pod.status.conditions, "Ready");
  return c && c->status == "True";
}

// The port number a Service port reaches on this pod (FindPort), or none.
std::optional<std::int32_t> target_port(const models::ServicePort& sp, const models::Pod& pod) {
  const auto protocol = sp.protocol.empty() ? std::string("TCP") : sp.protocol;
  if (!sp.targetPort) return sp.port;
  if (!sp.targetPort->is_string) return sp.targetPort->int_value;
  for (const auto& c : pod.spec.containers)
    for (const auto& p : c.ports)
      if (p.name == sp.targetPort->str_value && (p.protocol.empty() ? "TCP" : p.protocol) == protocol)
        return p.containerPort;
  return std::nullopt;
}

EndpointAddress address_of(const models::Service& svc, const models::Pod& pod) {
  EndpointAddress a;
  a.ip = pod.status.podIP;
  a.nodeName = pod.spec.nodeName;
  a.targetRef = models::ObjectReference{{}, "Pod", pod.metadata.namespace_, pod.metadata.name, pod.metadata.uid, {}, {}};
  // A pod's hostname is published when its subdomain names this Service.
  if (!pod.spec.hostname.empty() && pod.spec.subdomain == svc.metadata.name &&
      pod.metadata.namespace_ == svc.metadata.namespace_)
    a.hostname = pod.spec.hostname;
  return a;
}

using PortKey = std::tuple<std::string, std::int32_t, std::string>;  // name, port, protocol

}  // namespace

std::vector<EndpointSubset> endpoint_subsets(const models::Service& svc, const std::vector<const models::Pod*>& pods) {
  const bool tolerate_unready = svc.spec.publishNotReadyAddresses.value_or(false);
  const bool headless = svc.spec.clusterIP == "None";
  // Each pod address with the ports it offers and whether it is ready.
  struct Entry {
    EndpointAddress address;
    bool ready;
    std::vector<PortKey> ports;
  };
  std::vector<Entry> entries;
  for (const auto* pod : pods) {
    if (pod->status.phase == "Succeeded" || pod->status.phase == "Failed") continue;
    if (pod->status.podIP.empty()) continue;
    if (!tolerate_unready && pod->metadata.being_deleted()) continue;
    Entry e{address_of(svc, *pod), tolerate_unready || pod_ready(*pod), {}};
    if (svc.spec.ports.empty()) {
      if (!headless) continue;
    } else {
      for (const auto& sp : svc.spec.ports)
        if (auto port = target_port(sp, *pod))
          e.ports.emplace_back(sp.name, *port, sp.protocol.empty() ? "TCP" : sp.protocol);
      if (e.ports.empty()) continue;
    }
    entries.push_back(std::move(e));
  }
  // Repack: one subset per distinct port set.
  std::map<std::vector<PortKey>, EndpointSubset> by_ports;
  for (auto& e : entries) {
    auto& subset = by_ports[e.ports];
    if (subset.ports.empty())
      for (const auto& [name, port, protocol] : e.ports) subset.ports.push_back(EndpointPort{name, port, protocol, {}});
    (e.ready ? subset.addresses : subset.notReadyAddresses).push_back(std::move(e.address));
  }
  auto by_ip = [](const EndpointAddress& a, const EndpointAddress& b) {
    const auto& ua = a.targetRef ? a.targetRef->uid : std::string();
    const auto& ub = b.targetRef ? b.targetRef->uid : std::string();
    return std::tie(a.ip, ua) < std::tie(b.ip, ub);
  };
  std::vector<EndpointSubset> out;
  for (auto& [ports, subset] : by_ports) {
    std::sort(subset.addresses.begin(), subset.addresses.end(), by_ip);
    std::sort(subset.notReadyAddresses.begin(), subset.notReadyAddresses.end(), by_ip);
    out.push_back(std::move(subset));
  }
  std::sort(out.begin(), out.end(), [&](const EndpointSubset& a, const EndpointSubset& b) {
    const auto& fa = a.addresses.empty() ? a.notReadyAddresses.front() : a.addresses.front();
    const auto& fb = b.addresses.empty() ? b.notReadyAddresses.front() : b.addresses.front();
    return by_ip(fa, fb);
  });
  return out;
}

}  // namespace kvsim::sim::controllers::endpoints
