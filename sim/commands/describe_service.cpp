#include "sim/commands/describe_service.hpp"

#include "sim/commands/describe_writer.hpp"
#include "sim/commands/storage_printers.hpp"

namespace kvsim::sim::commands {

using namespace describing;

namespace {

void describe_svc(Out& o, const models::Service& svc, const models::Endpoints* ep) {
  o.f(0, "Name:\t{}\n", svc.metadata.name);
  o.f(0, "Namespace:\t{}\n", svc.metadata.namespace_);
  labels_multiline(o, "Labels", svc.metadata.labels);
  annotations_multiline(o, "Annotations", svc.metadata.annotations);
  o.f(0, "Selector:\t{}\n", format_labels(svc.spec.selector));
  const std::string type = svc.spec.type.empty() ? "ClusterIP" : svc.spec.type;
  o.f(0, "Type:\t{}\n", type);
  // The API server's single-stack IPv4 defaults (not kept on the sim's Service).
  const bool has_ip_family = type != "ExternalName";
  if (has_ip_family) o.w(0, "IP Family Policy:\tSingleStack\n");
  o.f(0, "IP Families:\t{}\n", has_ip_family ? "IPv4" : "<none>");
  o.f(0, "IP:\t{}\n", svc.spec.clusterIP);
  o.f(0, "IPs:\t{}\n", svc.spec.clusterIPs.empty() ? std::string("<none>") : join(svc.spec.clusterIPs));
  for (const auto& sp : svc.spec.ports) {
    const std::string name = sp.name.empty() ? "<unset>" : sp.name;
    const std::string protocol = sp.protocol.empty() ? "TCP" : sp.protocol;
    o.f(0, "Port:\t{}\t{}/{}\n", name, sp.port, protocol);
    o.f(0, "TargetPort:\t{}/{}\n", sp.targetPort ? int_or_string(sp.targetPort) : std::to_string(sp.port), protocol);
    if (sp.nodePort && *sp.nodePort != 0) o.f(0, "NodePort:\t{}\t{}/{}\n", name, *sp.nodePort, protocol);
    std::string endpoints = "<none>";
    if (ep) endpoints = ep->subsets.empty() ? std::string() : format_endpoints(*ep, &sp.name);
    o.f(0, "Endpoints:\t{}\n", endpoints);
  }
  o.f(0, "Session Affinity:\t{}\n", svc.spec.sessionAffinity.empty() ? "None" : svc.spec.sessionAffinity);
  if (!svc.spec.externalTrafficPolicy.empty())
    o.f(0, "External Traffic Policy:\t{}\n", svc.spec.externalTrafficPolicy);
  if (has_ip_family) o.w(0, "Internal Traffic Policy:\tCluster\n");
}

std::string addresses_of(const std::vector<models::EndpointAddress>& addresses) {
  std::vector<std::string> ips;
  for (const auto& a : addresses) ips.push_back(a.ip);
  return ips.empty() ? "<none>" : join(ips);
}

void describe_ep(Out& o, const models::Endpoints& ep) {
  o.f(0, "Name:\t{}\n", ep.metadata.name);
  o.f(0, "Namespace:\t{}\n", ep.metadata.namespace_);
  labels_multiline(o, "Labels", ep.metadata.labels);
  annotations_multiline(o, "Annotations", ep.metadata.annotations);
  o.w(0, "Subsets:\n");
  for (const auto& ss : ep.subsets) {
    o.f(1, "Addresses:\t{}\n", addresses_of(ss.addresses));
    o.f(1, "NotReadyAddresses:\t{}\n", addresses_of(ss.notReadyAddresses));
    if (!ss.ports.empty()) {
      o.w(1, "Ports:\n");
      o.w(2, "Name\tPort\tProtocol\n");
      o.w(2, "----\t----\t--------\n");
      for (const auto& p : ss.ports)
        o.f(2, "{}\t{}\t{}\n", p.name.empty() ? "<unset>" : p.name, p.port, p.protocol.empty() ? "TCP" : p.protocol);
    }
    o.w(0, "\n");
  }
}

}  // namespace

std::optional<std::string> describe_service(const models::Object& obj,
                                            const std::vector<std::shared_ptr<const models::Event>>& events,
                                            double now, const std::vector<models::ObjectPtr>* related) {
  Out o;
  if (const auto* svc = dynamic_cast<const models::Service*>(&obj)) {
    const models::Endpoints* ep = nullptr;
    if (related)
      for (const auto& r : *related)
        if (const auto* e = dynamic_cast<const models::Endpoints*>(r.get());
            e && e->metadata.name == svc->metadata.name && e->metadata.namespace_ == svc->metadata.namespace_)
          ep = e;
    describe_svc(o, *svc, ep);
  } else if (const auto* ep = dynamic_cast<const models::Endpoints*>(&obj)) {
    describe_ep(o, *ep);
  } else {
    return std::nullopt;
  }
  describe_events(o, events, now);
  return o.str();
}

}  // namespace kvsim::sim::commands
