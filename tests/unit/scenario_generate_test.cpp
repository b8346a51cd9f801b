// A scenario's `generate:` block: N copies of a manifest, "{i}" the index.
#include <catch2/catch.hpp>

#include "sim/scenario/generate.hpp"

using namespace kvsim;

namespace {

std::optional<sim::scenario::Scenario> scenario(const std::string& generate, models::Problems& problems) {
  const std::string text = "name: g\nplatform: {nodes: [{name: w, role: worker}]}\ngenerate:\n" + generate;
  return sim::scenario::read_scenario(YAML::Load(text), "g.yaml", problems);
}

const char* kVm = "  object:\n    apiVersion: kubevirt.io/v1\n    kind: VirtualMachine\n    metadata: {name: \"vm-{i}\"}\n"
                  "    spec:\n      runStrategy: RUN\n      template: {spec: {domain: {devices: {}, memory: {guest: 64Mi}}}}\n";

std::string vm(const std::string& strategy) {
  std::string t = kVm;
  t.replace(t.find("RUN"), 3, strategy);
  return t;
}

}  // namespace

TEST_CASE("generate: {i} becomes the index, zero-padded to the last one's digits") {
  CHECK(sim::scenario::with_index("vm-{i}", 7, 1000) == "vm-007");
  CHECK(sim::scenario::with_index("vm-{i}", 7, 1001) == "vm-0007");
  CHECK(sim::scenario::with_index("a-{i}-{i}", 3, 10) == "a-3-3");
}

TEST_CASE("generate: copies are created every interval from at, each its own object") {
  models::Problems problems;
  auto s = scenario("- copies: 3\n  at: 10s\n  every: 2s\n" + vm("Always"), problems);
  for (const auto& p : problems) FAIL(p.str());
  REQUIRE(s);
  REQUIRE(s->timeline.size() == 3);
  CHECK(s->timeline[0].at == 10);
  CHECK(s->timeline[2].at == 14);
  CHECK(s->timeline[2].object.yaml().find("vm-2") != std::string::npos);
  CHECK(s->timeline[1].object.yaml().find("vm-2") == std::string::npos);
  CHECK(s->until == 14);
}

TEST_CASE("generate: a copy is the object its text loads as, {i} in keys, quoted and plain strings and lists") {
  models::Problems problems;
  auto s = scenario("- copies: 12\n"
                    "  object:\n"
                    "    apiVersion: v1\n"
                    "    kind: ConfigMap\n"
                    "    metadata:\n"
                    "      name: \"cm-{i}\"\n"
                    "      labels:\n"
                    "        copy-{i}: \"{i}\"\n"
                    "        plain: x{i}y\n"
                    "      annotations:\n"
                    "        note: 'index {i} of 12'\n"
                    "    data:\n"
                    "      key{i}: \"[{i}, {i}]\"\n"
                    "      n: \"{i}\"\n"
                    "      list: \"- {i}\"\n",
                    problems);
  for (const auto& p : problems) FAIL(p.str());
  REQUIRE(s);
  REQUIRE(s->timeline.size() == 12);
  for (std::size_t i : {0, 7, 11}) {
    const auto& copy = s->timeline[i].object;
    const auto made = copy.load("g.yaml");
    const auto from_text = models::load_manifests(copy.yaml(), "g.yaml");
    REQUIRE(made.ok());
    REQUIRE(from_text.ok());
    REQUIRE(made.objects.size() == 1);
    REQUIRE(from_text.objects.size() == 1);
    CHECK(made.objects[0]->to_json() == from_text.objects[0]->to_json());
  }
  const auto seven = s->timeline[7].object.load("g.yaml").objects[0]->to_json();
  CHECK(seven["metadata"]["name"] == "cm-07");
  CHECK(seven["metadata"]["labels"]["copy-07"] == "07");
  CHECK(seven["metadata"]["labels"]["plain"] == "x07y");
  CHECK(seven["data"]["key07"] == "[07, 07]");
}

TEST_CASE("generate: a bad template or count is refused, located at the template") {
  models::Problems problems;
  CHECK_FALSE(scenario("- copies: 0\n" + vm("Sometimes"), problems));
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].str() == "g.yaml:4:11: generate[0].copies: Invalid value: 0: must be between 1 and 100000");
  CHECK_THAT(problems[1].str(), Catch::StartsWith("g.yaml:6:5: generate[0].object.spec.runStrategy: Unsupported value: \"Sometimes\""));
}

namespace {

std::optional<sim::scenario::Scenario> platform(const std::string& nodes, models::Problems& problems) {
  return sim::scenario::read_scenario(YAML::Load("name: p\nplatform:\n  nodes:\n" + nodes), "p.yaml", problems);
}

}  // namespace

TEST_CASE("platform.nodes with count: that many alike, named by the pattern, with the entry's labels") {
  models::Problems problems;
  auto s = platform("  - {name: cp, role: control-plane}\n"
                    "  - {name: \"worker-{i}\", count: 12, cpu: 64, labels: {rack: r1}}\n",
                    problems);
  for (const auto& p : problems) FAIL(p.str());
  REQUIRE(s);
  const auto& nodes = s->cluster.platform.nodes;
  REQUIRE(nodes.size() == 13);
  CHECK(nodes[0].name == "cp");
  CHECK(nodes[1].name == "worker-00");
  CHECK(nodes[12].name == "worker-11");
  CHECK(nodes[12].role == "worker");
  CHECK(nodes[12].cpu.units_ceil() == 64);
  CHECK(nodes[12].labels.at("rack") == "r1");
}

TEST_CASE("platform.nodes with count: a count out of range, a name without {i} or a name twice is refused, located",
          "[bad-input]") {
  models::Problems problems;
  CHECK_FALSE(platform("  - {name: \"w-{i}\", count: 0}\n", problems));
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].str() == "p.yaml:4:28: platform.nodes[0].count: Invalid value: 0: must be between 1 and 20000");
  problems.clear();
  CHECK_FALSE(platform("  - {name: worker, count: 3}\n", problems));
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].str() ==
        "p.yaml:4:12: platform.nodes[0].name: Invalid value: \"worker\": with count, the name needs \"{i}\" (e.g. worker-{i})");
  problems.clear();
  CHECK_FALSE(platform("  - {name: \"w{i}\", count: 2}\n  - {name: w1}\n", problems));
  REQUIRE(problems.size() == 1);
  CHECK_THAT(problems[0].str(), Catch::EndsWith("platform.nodes: Duplicate value: node \"w1\" is named twice"));
}
