#include "sim/engine/platform.hpp"

#include <simgrid/s4u.hpp>

namespace kvsim::sim::engine {

namespace sg4 = simgrid::s4u;

namespace {

sg4::NetZone* g_zone = nullptr;

void attach(sg4::Host* host, double bandwidth, double latency) {
  auto* link = g_zone->create_split_duplex_link(host->get_name() + "-link", bandwidth)->set_latency(latency)->seal();
  g_zone->add_route(host->get_netpoint(), nullptr, nullptr, nullptr,
                    {{link, sg4::LinkInRoute::Direction::UP}}, true);
}

sg4::Host* make_host(const NodeSpec& n) {
  // Host speed is nominal: the sim charges time through the profile, not flops.
  const double cores = static_cast<double>(std::max<std::int64_t>(1, n.cpu.units_ceil()));
  auto* host = g_zone->create_host(n.name, 1e9)->set_core_count(static_cast<int>(cores));
  host->set_property("role", n.role);
  return host->seal();
}

}  // namespace

void build_platform(const PlatformSpec& spec) {
  g_zone = sg4::create_star_zone("cluster");
  for (const auto& n : spec.nodes) attach(make_host(n), spec.network.node_bandwidth_bps, spec.network.node_latency_s);
  auto* registry = g_zone->create_host(kRegistryHost, 1e9)->seal();
  attach(registry, spec.network.registry_bandwidth_bps, spec.network.registry_latency_s);
  g_zone->seal();
}

void add_node_host(const NodeSpec& node, const NetworkSpec& net) {
  // A star zone's routes are per host, so a late host needs no re-sealing.
  attach(make_host(node), net.node_bandwidth_bps, net.node_latency_s);
}

bool host_exists(const std::string& name) { return sg4::Host::by_name_or_null(name) != nullptr; }

void set_host_on(const std::string& name, bool on) {
  auto* host = sg4::Host::by_name(name);
  if (on) host->turn_on();
  else host->turn_off();
}

bool host_is_on(const std::string& name) {
  auto* host = sg4::Host::by_name_or_null(name);
  return host && host->is_on();
}

void transfer(const std::string& from, const std::string& to, double bytes, std::function<void(bool)> done) {
  auto* src = sg4::Host::by_name(from);
  auto* dst = sg4::Host::by_name(to);
  // The mover lives on the destination: if that node dies, so does the pull.
  sg4::Actor::create("transfer", dst, [src, dst, bytes, done = std::move(done)] {
    bool ok = true;
    try {
      sg4::Comm::sendto(src, dst, bytes);
    } catch (const simgrid::NetworkFailureException&) {
      ok = false;
    }
    done(ok);
  });
}

}  // namespace kvsim::sim::engine
