// Pause and readiness (issue 20, item 6; KubeVirt v1.5 template.go readinessGates,
// vmi.go syncPausedConditionToPod; kubelet GeneratePodReadyCondition): the launcher pod
// carries the readiness gate kubevirt.io/virtual-machine-unpaused, so a paused VMI turns its
// pod not Ready (ReadinessGatesNotReady), then the VMI and the VM; `get pods -o wide` shows
// READINESS GATES 1/1, then 0/1.
#include "small_cluster.hpp"

#include <iterator>
#include <sstream>

#include "models/kubevirt.hpp"

using namespace kvsim;

namespace {

// The launcher pod's line of `get pods -o wide`, split into its columns.
std::vector<std::string> launcher_columns(sim::commands::Executor& exec) {
  std::istringstream lines(testing::run_ok(exec, "get pods -o wide"));
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("virt-launcher-vm1-", 0) == 0) {
      std::istringstream words(line);
      return {std::istream_iterator<std::string>(words), {}};
    }
  return {};
}

}  // namespace

TEST_CASE("a paused VMI makes its launcher pod, the VMI and the VM not Ready through the readiness gate") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  cluster.run_until(0);
  testing::apply_yaml(cluster, testing::vm_yaml("vm1"));
  auto vm = [&] { return cluster.store().get<models::VirtualMachine>("default", "vm1"); };
  auto vmi = [&] { return cluster.store().get<models::VirtualMachineInstance>("default", "vm1"); };
  auto pod = [&]() -> std::shared_ptr<const models::Pod> {
    for (const auto& o : cluster.store().owned_by(vmi()->metadata.uid))
      if (o->kind == "Pod") return std::static_pointer_cast<const models::Pod>(o);
    return nullptr;
  };
  auto ready = [](const std::vector<models::Condition>& conditions) -> const models::Condition* {
    return models::find_condition(conditions, "Ready");
  };
  REQUIRE(testing::run_until_true(cluster, 120, [&] {
            auto v = vm();
            return v && v->status.printableStatus == "Running" && ready(v->status.conditions) &&
                   ready(v->status.conditions)->status == "True";
          }) > 0);
  REQUIRE(pod());
  CHECK(pod()->spec.readinessGates == models::Json::parse(R"([{"conditionType":"kubevirt.io/virtual-machine-unpaused"}])"));
  const auto* gate = models::find_condition(pod()->status.conditions, "kubevirt.io/virtual-machine-unpaused");
  REQUIRE(gate);
  CHECK(gate->status == "True");
  CHECK(gate->reason == "NotPaused");
  // NAME READY STATUS RESTARTS AGE IP NODE NOMINATED-NODE READINESS-GATES
  auto cols = launcher_columns(exec);
  REQUIRE(cols.size() == 9);
  CHECK(cols[1] == "2/2");
  CHECK(cols[8] == "1/1");

  testing::run_ok(exec, "pause vm vm1");
  REQUIRE(testing::run_until_true(cluster, cluster.now() + 10, [&] {
            const auto* r = ready(vm()->status.conditions);
            return r && r->status == "False";
          }) > 0);
  CHECK(vm()->status.printableStatus == "Paused");
  const auto* pod_ready = ready(pod()->status.conditions);
  REQUIRE(pod_ready);
  CHECK(pod_ready->status == "False");
  CHECK(pod_ready->reason == "ReadinessGatesNotReady");
  CHECK(pod_ready->message ==
        "the status of pod readiness gate \"kubevirt.io/virtual-machine-unpaused\" is not \"True\", but False");
  CHECK(ready(vmi()->status.conditions)->status == "False");
  CHECK(ready(vmi()->status.conditions)->reason == "ReadinessGatesNotReady");
  cols = launcher_columns(exec);
  REQUIRE(cols.size() == 9);
  CHECK(cols[1] == "2/2");
  CHECK(cols[2] == "Running");
  CHECK(cols[8] == "0/1");

  testing::run_ok(exec, "unpause vm vm1");
  REQUIRE(testing::run_until_true(cluster, cluster.now() + 10, [&] {
            const auto* r = ready(vm()->status.conditions);
            return r && r->status == "True";
          }) > 0);
  CHECK(vm()->status.printableStatus == "Running");
  CHECK(launcher_columns(exec).at(8) == "1/1");
  cluster.shutdown();
}
