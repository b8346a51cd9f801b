// The delete-a-VMI lesson, end to end in one simulation (one process per TEST_CASE).
#include <catch2/catch.hpp>

#include "models/kubevirt.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/build_paths.hpp"

using namespace kvsim;

TEST_CASE("a deleted VMI of an Always VM comes back Running with a new UID") {
  models::Problems problems;
  auto s = sim::scenario::load_scenario(std::string(kvsim::build_paths::source_dir()) + "/scenarios/default.yaml", problems);
  REQUIRE(problems.empty());
  sim::cluster::Cluster cluster(s->cluster);
  cluster.run_until(0);
  auto result = sim::scenario::run_scenario(*s, cluster);
  for (const auto& r : result.results) {
    INFO(r.expectation->check.name << " found " << r.found);
    CHECK(r.held);
  }
  CHECK(result.command_errors.empty());
  auto vm = cluster.store().get<models::VirtualMachine>("default", "vm1");
  REQUIRE(vm);
  CHECK(vm->status.printableStatus == "Running");
  auto vmi = cluster.store().get<models::VirtualMachineInstance>("default", "vm1");
  REQUIRE(vmi);
  CHECK(vmi->status.phase == "Running");
  CHECK(!vmi->status.nodeName.empty());
  REQUIRE(!vmi->status.interfaces.empty());
  CHECK(vmi->status.interfaces[0].ipAddress.rfind("10.128.", 0) == 0);
  // The timeline shows the VM passing through Stopping and Starting.
  bool stopping = false, starting_again = false;
  for (const auto& r : cluster.trace().records()) {
    if (r.kind == "VirtualMachine" && r.change.find("-> Stopping") != std::string::npos) stopping = true;
    if (stopping && r.kind == "VirtualMachine" && r.change.find("-> Starting") != std::string::npos) starting_again = true;
  }
  CHECK(stopping);
  CHECK(starting_again);
  // The first start reads Stopped -> Starting -> Running (the CRD default is Stopped).
  std::vector<std::string> first;
  for (const auto& r : cluster.trace().records())
    if (r.kind == "VirtualMachine" && r.change.rfind("printableStatus", 0) == 0 && first.size() < 2) first.push_back(r.change);
  CHECK(first == std::vector<std::string>{"printableStatus Stopped -> Starting", "printableStatus Starting -> Running"});
  cluster.shutdown();
}
