// A scenario node's `hypervisor:` (hybrid mode): sim by default, a libvirt URI
// per node, and a located error for anything else.
#include <catch2/catch.hpp>

#include "scenario_text.hpp"

using namespace kvsim;
using testing::load_scenario_text;

TEST_CASE("a scenario maps nodes onto libvirt URIs with hypervisor, sim unless said") {
  models::Problems problems;
  auto s = load_scenario_text(R"(name: hybrid
platform:
  nodes:
  - {name: w1, hypervisor: "qemu+ssh://root@host-a/system"}
  - {name: w2, hypervisor: test:///default}
  - {name: w3}
)",
                              problems);
  INFO(models::join_lines(problems));
  REQUIRE(s);
  REQUIRE(s->cluster.platform.nodes.size() == 3);
  CHECK(s->cluster.platform.nodes[0].hypervisor == "qemu+ssh://root@host-a/system");
  CHECK(s->cluster.platform.nodes[1].hypervisor == "test:///default");
  CHECK(s->cluster.platform.nodes[2].hypervisor == "sim");
}

TEST_CASE("a node hypervisor that is neither sim nor a URI is refused where it is written") {
  models::Problems problems;
  auto s = load_scenario_text(R"(name: bad
platform:
  nodes:
  - {name: w1, hypervisor: kvm}
)",
                              problems);
  CHECK_FALSE(s);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].path == "platform.nodes[0].hypervisor");
  CHECK(problems[0].at.line == 4);
  CHECK(problems[0].message == "Invalid value: \"kvm\": expected sim or a libvirt URI (test:///default, qemu:///system, "
                               "qemu+ssh://user@host/system)");
}
