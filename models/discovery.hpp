#pragma once
// core/v1 Endpoints: the addresses behind a Service, as the endpoints
// controller writes them (ready pods in `addresses`, the others in
// `notReadyAddresses`, grouped by port set). EndpointSlice is not modelled.
#include <string>
#include <vector>

#include "models/core.hpp"

namespace kvsim::models {

struct EndpointAddress {
  std::string ip;
  std::string hostname;
  std::string nodeName;
  std::optional<ObjectReference> targetRef;
};
template <class V>
void visit_fields(V& v, EndpointAddress& a) {
  v.field("ip", a.ip, Required);
  v.field("hostname", a.hostname);
  v.field("nodeName", a.nodeName);
  v.field("targetRef", a.targetRef);
}

struct EndpointPort {
  std::string name;
  std::int32_t port = 0;
  std::string protocol;
  std::string appProtocol;
};
template <class V>
void visit_fields(V& v, EndpointPort& p) {
  v.field("name", p.name);
  v.field("port", p.port, Required);
  v.enumerated("protocol", p.protocol, {"TCP", "UDP", "SCTP"});
  v.field("appProtocol", p.appProtocol);
}

struct EndpointSubset {
  std::vector<EndpointAddress> addresses;
  std::vector<EndpointAddress> notReadyAddresses;
  std::vector<EndpointPort> ports;
};
template <class V>
void visit_fields(V& v, EndpointSubset& s) {
  v.field("addresses", s.addresses);
  v.field("notReadyAddresses", s.notReadyAddresses);
  v.field("ports", s.ports);
}

struct Endpoints : ObjectOf<Endpoints> {
  std::vector<EndpointSubset> subsets;
  static const KindInfo& kind_info();
};
template <class V>
void visit_fields(V& v, Endpoints& e) {
  visit_header(v, e);
  v.field("subsets", e.subsets);
}

}  // namespace kvsim::models
