// The 1,000-VM scale scenario (scenarios/scale/vms-1k.yaml: 100 generated workers, 1,000 VMs
// created at once) reaches its expectation: every VMI Running. It asserts nothing about wall
// time (`kvsim bench` measures that); it proves the scale scenarios load and run.
#include <catch2/catch.hpp>

#include <set>

#include "models/kubevirt.hpp"
#include "sim/cluster/cluster.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/build_paths.hpp"

using namespace kvsim;

TEST_CASE("the 1k-VM scale scenario: 100 generated workers run 1000 VMs, every VMI Running", "[scale]") {
  models::Problems problems;
  auto s = sim::scenario::load_scenario(std::string(kvsim::build_paths::source_dir()) + "/scenarios/scale/vms-1k.yaml", problems);
  for (const auto& p : problems) FAIL(p.str());
  REQUIRE(s);
  // platform.nodes with count: 3 control-plane nodes and 100 workers, named by the pattern.
  REQUIRE(s->cluster.platform.nodes.size() == 103);
  CHECK(s->cluster.platform.nodes[3].name == "worker-00");
  CHECK(s->cluster.platform.nodes[102].name == "worker-99");
  CHECK(s->cluster.platform.nodes[50].labels.at("topology.kubernetes.io/zone") == "zone-a");
  sim::cluster::Cluster cluster(s->cluster);
  const auto result = sim::scenario::run_scenario(*s, cluster);
  REQUIRE(result.command_errors.empty());
  REQUIRE(result.results.size() == 1);
  INFO(result.results[0].found);
  CHECK(result.results[0].held);
  // endWhenMet: the run ended within a second of sim time of the last VMI Running.
  CHECK(cluster.now() <= result.results[0].at + 1.0 + 1e-9);
  // Every VMI is Running, and they are spread over the workers.
  std::set<std::string> nodes;
  int running = 0;
  for (const auto& o : cluster.store().list(models::VirtualMachineInstance::kind_info(), "default")) {
    const auto& vmi = static_cast<const models::VirtualMachineInstance&>(*o);
    if (vmi.status.phase == "Running") ++running;
    nodes.insert(vmi.status.nodeName);
  }
  CHECK(running == 1000);
  CHECK(nodes.size() == 100);
}
