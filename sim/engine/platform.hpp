#pragma once
// The SimGrid world built from a scenario's node list: one host per node
// (plus the image registry), each on its own link to a central switch (a star
// zone, so routes grow linearly with nodes).
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "models/core.hpp"
#include "sim/engine/clock.hpp"

namespace simgrid::s4u {
class Host;
}

namespace kvsim::sim::engine {

struct NodeSpec {
  std::string name;
  std::string role = "worker";  // control-plane or worker
  models::Quantity cpu = *models::Quantity::parse("8");
  models::Quantity memory = *models::Quantity::parse("32Gi");
  std::int64_t max_pods = 250;
  // The node's CPU architecture, as its kubelet reports it (label
  // kubernetes.io/arch, status.nodeInfo.architecture): amd64, arm64, s390x or ppc64le.
  std::string architecture = "amd64";
  models::Labels labels;
  std::vector<models::Taint> taints;
  std::map<std::string, models::Quantity> extended;  // e.g. devices
  // Who runs the node's domains: "sim" (modelled) or a libvirt URI (hybrid mode:
  // test:///default, qemu:///system, qemu+ssh://user@host/system).
  std::string hypervisor = "sim";
};

struct NetworkSpec {
  double node_bandwidth_bps = 10e9;    // each node's link (10 Gbit/s)
  double node_latency_s = 0.0002;
  double registry_bandwidth_bps = 10e9; // the registry's uplink (10 Gbit/s: a mirror on 10 GbE; UNCONFIRMED)
  double registry_latency_s = 0.005;
};

struct PlatformSpec {
  std::vector<NodeSpec> nodes;
  NetworkSpec network;
  // Hosts kept in reserve for nodes added while the simulation runs (`node
  // add`): SimGrid cannot add a host to a sealed platform.
  std::size_t spare_hosts = 8;
};

inline constexpr const char* kRegistryHost = "image-registry";

// Creates the zone, hosts and links in the (already constructed) engine.
void build_platform(const PlatformSpec& spec);
// Gives a node added at run time one of the spare hosts (throws when none is
// left); from then on the node's name designates that host.
void add_node_host(const NodeSpec& node, const NetworkSpec& net);
bool host_exists(const std::string& name);
void set_host_on(const std::string& name, bool on);
// The SimGrid host of a node (its own, or the spare it was given).
simgrid::s4u::Host* host_of(const std::string& name);
bool host_is_on(const std::string& name);

// Moves `bytes` from one host to another over the network model, then calls
// `done(ok)` from the destination's activity waiter (false when the path failed).
void transfer(const std::string& from, const std::string& to, double bytes, std::function<void(bool)> done);

}  // namespace kvsim::sim::engine
