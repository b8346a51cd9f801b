#include "sim/engine/platform.hpp"

#include <fmt/format.h>

#include <map>
#include <simgrid/s4u.hpp>
#include <stdexcept>

#include "sim/engine/host_activities.hpp"

namespace kvsim::sim::engine {

namespace sg4 = simgrid::s4u;

namespace {

sg4::NetZone* g_zone = nullptr;
std::vector<sg4::Host*> g_spares;              // not yet given to a node
std::map<std::string, sg4::Host*> g_assigned;  // node added at run time -> its spare host

void attach(sg4::Host* host, double bits_per_second, double latency) {
  // Network specs are in bits per second, as links are sold; SimGrid's bandwidth is in bytes per second.
  auto* link = g_zone->create_split_duplex_link(host->get_name() + "-link", bits_per_second / 8)->set_latency(latency)->seal();
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
  g_spares.clear();
  g_assigned.clear();
  for (std::size_t i = 0; i < spec.spare_hosts; ++i) {
    auto* spare = g_zone->create_host("kvsim-spare-host-" + std::to_string(i), 1e9)->seal();
    attach(spare, spec.network.node_bandwidth_bps, spec.network.node_latency_s);
    g_spares.push_back(spare);
  }
  auto* registry = g_zone->create_host(kRegistryHost, 1e9)->seal();
  attach(registry, spec.network.registry_bandwidth_bps, spec.network.registry_latency_s);
  g_zone->seal();
}

void add_node_host(const NodeSpec& node, const NetworkSpec&) {
  if (g_spares.empty())
    throw std::runtime_error(fmt::format("no spare host left for node {} (the platform keeps {} for nodes added later)",
                                         node.name, g_assigned.size()));
  auto* host = g_spares.front();
  g_spares.erase(g_spares.begin());
  g_assigned[node.name] = host;
}

sg4::Host* host_of(const std::string& name) {
  if (auto it = g_assigned.find(name); it != g_assigned.end()) return it->second;
  return sg4::Host::by_name_or_null(name);
}

bool host_exists(const std::string& name) { return host_of(name) != nullptr; }

void set_host_on(const std::string& name, bool on) {
  auto* host = host_of(name);
  if (on) host->turn_on();
  else host->turn_off();
}

bool host_is_on(const std::string& name) {
  auto* host = host_of(name);
  return host && host->is_on();
}

void transfer(const std::string& from, const std::string& to, double bytes, std::function<void(bool)> done) {
  auto* src = host_of(from);
  auto* dst = host_of(to);
  auto comm = sg4::Comm::sendto_init(src, dst)->set_payload_size(static_cast<std::uint64_t>(bytes));
  comm->start();
  when_done(dst, comm, [dst, done = std::move(done)](ActivityEnd end) {
    // If the destination died, so did the pull, unreported (its kubelet is gone too).
    if (end == ActivityEnd::failed && !dst->is_on()) return;
    done(end == ActivityEnd::completed);
  });
}

}  // namespace kvsim::sim::engine
