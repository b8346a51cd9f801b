#pragma once
// The API server's admission steps that need the cluster's state, not just the
// object (the pure ones live with each kind in models/):
//  - NamespaceLifecycle: nothing new in a namespace that is terminating;
//  - DefaultStorageClass: a claim with no storageClassName gets the default class;
//  - StorageObjectInUseProtection: PVCs and PVs get their protection finalizers;
//  - Priority: a pod's priorityClassName must name a PriorityClass, whose value it gets;
//  - the Service registry's ClusterIP allocator (service network, e.g. 172.30.0.0/16).
#include <optional>
#include <set>
#include <string>

#include "sim/api/store.hpp"

namespace kvsim::sim::api {

// The admission function a cluster installs with Store::set_stateful_admission.
Store::StatefulAdmission stateful_admission(const std::string& service_cidr);

// An IPv4 range "a.b.c.d/n" as numbers: its first address and its size.
struct Ipv4Range {
  std::uint32_t base = 0;
  std::uint32_t size = 0;
  bool contains(std::uint32_t ip) const { return ip - base < size; }
};
std::optional<Ipv4Range> parse_cidr(const std::string& cidr);
std::optional<std::uint32_t> parse_ipv4(const std::string& ip);
std::string format_ipv4(std::uint32_t ip);

// The address a new Service gets: a stable function of its namespace/name
// (so the same Service always gets the same address, and the address looks
// like upstream's random ones), probing past `used` addresses. As upstream,
// the lower band of the range (16..256 addresses) is left for static choices
// until the upper band is full; the network and broadcast addresses are never
// given. Empty when the range is full.
std::string allocate_cluster_ip(const Ipv4Range& range, const std::string& key, const std::set<std::uint32_t>& used);

}  // namespace kvsim::sim::api
