// A scenario's `kubevirt:` block (the KubeVirt CR's feature gates and default
// architecture) and its nodes' `architecture`, read and checked with located errors.
#include <catch2/catch.hpp>

#include "scenario_text.hpp"

using namespace kvsim;
using testing::load_scenario_text;

TEST_CASE("a scenario sets KubeVirt feature gates and the default and node architectures") {
  models::Problems problems;
  auto s = load_scenario_text(R"(name: arm
kubevirt:
  featureGates: [HostDisk, Sidecar]
  defaultArchitecture: arm64
platform:
  nodes:
  - {name: cp, role: control-plane}
  - {name: arm-1, architecture: arm64}
  - {name: x86-1}
)",
                              problems);
  INFO(models::join_lines(problems));
  REQUIRE(s);
  CHECK(s->cluster.kubevirt.feature_gates == std::set<std::string>{"HostDisk", "Sidecar"});
  CHECK(s->cluster.kubevirt.default_architecture == "arm64");
  REQUIRE(s->cluster.platform.nodes.size() == 3);
  CHECK(s->cluster.platform.nodes[1].architecture == "arm64");
  CHECK(s->cluster.platform.nodes[2].architecture == "amd64");
}

TEST_CASE("an unknown architecture is refused where it is written") {
  models::Problems problems;
  auto s = load_scenario_text(R"(name: bad
kubevirt: {defaultArchitecture: x86}
platform:
  nodes:
  - {name: cp, role: control-plane, architecture: sparc}
)",
                              problems);
  CHECK_FALSE(s);
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].path == "platform.nodes[0].architecture");
  CHECK(problems[0].at.line == 5);
  CHECK(problems[0].message == "Unsupported value: \"sparc\": supported values: amd64, arm64, ppc64le, s390x");
  CHECK(problems[1].path == "kubevirt.defaultArchitecture");
  CHECK(problems[1].at.line == 2);
  CHECK(problems[1].message == "Unsupported value: \"x86\": supported values: amd64, arm64, ppc64le, s390x");
}
