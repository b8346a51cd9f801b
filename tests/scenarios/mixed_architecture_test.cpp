// scenarios/mixed-architecture.yaml: KubeVirt's default architecture and the
// feature gates from the scenario's `kubevirt:` block, node architectures and a
// CPU-manager node from its platform.
#include "small_cluster.hpp"
#include "sim/build_paths.hpp"

using namespace kvsim;

TEST_CASE("the mixed-architecture scenario places each VMI on a node of its architecture") {
  models::Problems problems;
  auto s = sim::scenario::load_scenario(std::string(kvsim::build_paths::source_dir()) + "/scenarios/mixed-architecture.yaml", problems);
  INFO(models::join_lines(problems));
  REQUIRE(problems.empty());
  CHECK(s->cluster.kubevirt.feature_gates == std::set<std::string>{"HostDisk", "Sidecar"});
  sim::cluster::Cluster cluster(s->cluster);
  cluster.run_until(0);
  auto result = sim::scenario::run_scenario(*s, cluster);
  CHECK(result.command_errors.empty());
  REQUIRE(result.results.size() == 4);
  for (const auto& r : result.results) {
    INFO(r.expectation->check.name << " found " << r.found);
    CHECK(r.held);
  }
  auto arm = cluster.store().get<models::Node>("", "arm-worker-1");
  REQUIRE(arm);
  CHECK(arm->metadata.labels.at("kubernetes.io/arch") == "arm64");
  CHECK(arm->status.nodeInfo.kernelVersion.ends_with(".aarch64"));
}
