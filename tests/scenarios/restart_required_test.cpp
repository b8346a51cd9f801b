// RestartRequired and the VM's generations (issue 20, item 5; KubeVirt v1.5 vm.go
// addRestartRequiredIfNeeded, syncGenerationInfo): editing the template of a running VM
// sets condition RestartRequired with upstream's message until the VM is restarted;
// status.observedGeneration is the generation the running VMI was started from (its
// kubevirt.io/vm-generation annotation), desiredGeneration the VM's current one.
#include "small_cluster.hpp"

#include "models/kubevirt.hpp"

using namespace kvsim;

namespace {

std::string vm1_yaml(const std::string& memory, const std::string& label, const std::string& strategy = "Always") {
  return R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: vm1, namespace: default}
spec:
  runStrategy: )" + strategy + R"(
  template:
    metadata:
      labels: {tier: )" + label + R"(}
    spec:
      domain:
        devices:
          disks: [{name: rootdisk, disk: {bus: virtio}}]
        resources: {requests: {memory: )" + memory + R"(}}
      volumes:
      - {name: rootdisk, containerDisk: {image: quay.io/kubevirt/cirros-container-disk-demo}}
)";
}

}  // namespace

TEST_CASE("editing a running VM's template sets RestartRequired until a restart, and the generations follow") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  cluster.run_until(0);
  testing::run_ok(exec, "apply -f " + testing::write_file("vm.yaml", vm1_yaml("128Mi", "a")));
  auto vm = [&] { return cluster.store().get<models::VirtualMachine>("default", "vm1"); };
  auto vmi = [&] { return cluster.store().get<models::VirtualMachineInstance>("default", "vm1"); };
  REQUIRE(testing::run_until_true(cluster, 120, [&] { return vm()->status.printableStatus == "Running"; }) > 0);
  const auto started_gen = vm()->metadata.generation;
  CHECK(vmi()->metadata.annotations.at("kubevirt.io/vm-generation") == std::to_string(started_gen));
  CHECK(vm()->status.observedGeneration == started_gen);
  CHECK(vm()->status.desiredGeneration == started_gen);
  CHECK_FALSE(models::find_condition(vm()->status.conditions, "RestartRequired"));

  // A new run strategy is a new generation, but not a new template: the running VMI observes it.
  testing::run_ok(exec, "apply -f " + testing::write_file("vm.yaml", vm1_yaml("128Mi", "a", "RerunOnFailure")));
  cluster.run_until(cluster.now() + 5);
  CHECK(vm()->metadata.generation > started_gen);
  CHECK(vm()->status.observedGeneration == vm()->metadata.generation);
  CHECK(vm()->status.desiredGeneration == vm()->metadata.generation);
  CHECK_FALSE(models::find_condition(vm()->status.conditions, "RestartRequired"));
  testing::run_ok(exec, "apply -f " + testing::write_file("vm.yaml", vm1_yaml("128Mi", "a")));
  cluster.run_until(cluster.now() + 5);
  const auto running_gen = vm()->status.observedGeneration;

  // A label of the template is not its spec: no restart needed.
  testing::run_ok(exec, "apply -f " + testing::write_file("vm.yaml", vm1_yaml("128Mi", "b")));
  cluster.run_until(cluster.now() + 5);
  CHECK_FALSE(models::find_condition(vm()->status.conditions, "RestartRequired"));

  // The guest's memory is: the running VMI keeps its 128Mi until a restart.
  testing::run_ok(exec, "apply -f " + testing::write_file("vm.yaml", vm1_yaml("256Mi", "b")));
  cluster.run_until(cluster.now() + 5);
  const auto edited_gen = vm()->metadata.generation;
  CHECK(edited_gen > started_gen);
  const auto* rr = models::find_condition(vm()->status.conditions, "RestartRequired");
  REQUIRE(rr);
  CHECK(rr->status == "True");
  CHECK(rr->message == "a non-live-updatable field was changed in the template spec");
  CHECK(vm()->status.printableStatus == "Running");
  CHECK(vm()->status.observedGeneration == running_gen);
  CHECK(vm()->status.desiredGeneration == edited_gen);
  CHECK(vmi()->spec.domain.resources.requests.at("memory").text() == "128Mi");
  // Reverting the edit does not clear it (upstream only adds the condition).
  testing::run_ok(exec, "apply -f " + testing::write_file("vm.yaml", vm1_yaml("128Mi", "b")));
  cluster.run_until(cluster.now() + 5);
  CHECK(models::find_condition(vm()->status.conditions, "RestartRequired"));
  testing::run_ok(exec, "apply -f " + testing::write_file("vm.yaml", vm1_yaml("256Mi", "b")));

  const auto old_uid = vmi()->metadata.uid;
  testing::run_ok(exec, "restart vm1");
  REQUIRE(testing::run_until_true(cluster, cluster.now() + 120, [&] {
            auto v = vmi();
            return v && v->metadata.uid != old_uid && v->status.phase == "Running";
          }) > 0);
  cluster.run_until(cluster.now() + 2);
  CHECK_FALSE(models::find_condition(vm()->status.conditions, "RestartRequired"));
  CHECK(vmi()->spec.domain.resources.requests.at("memory").text() == "256Mi");
  CHECK(vm()->status.observedGeneration == vm()->metadata.generation);
  CHECK(vm()->status.desiredGeneration == vm()->metadata.generation);
  cluster.shutdown();
}

// The VMI of an instance type has the instance type's CPU and memory, which the VM's template
// does not: that is no template change (it was one, and every such VM read RestartRequired).
TEST_CASE("a VM of an instance type runs without RestartRequired, and a template edit then sets it") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  cluster.run_until(0);
  testing::run_ok(exec, "virtctl create vm --name fed --instancetype u1.small --preference fedora "
                        "--volume-containerdisk src:quay.io/containerdisks/fedora:41 | apply -f -");
  auto vm = [&] { return cluster.store().get<models::VirtualMachine>("default", "fed"); };
  REQUIRE(testing::run_until_true(cluster, 120, [&] { return vm()->status.printableStatus == "Running"; }) > 0);
  cluster.run_until(cluster.now() + 10);
  CHECK_FALSE(models::find_condition(vm()->status.conditions, "RestartRequired"));
  // A new run strategy is a new generation, not a new template: the running VMI observes it.
  testing::run_ok(exec, R"(patch vm fed --type merge -p '{"spec":{"runStrategy":"RerunOnFailure"}}')");
  cluster.run_until(cluster.now() + 5);
  CHECK(vm()->status.observedGeneration == vm()->metadata.generation);
  CHECK_FALSE(models::find_condition(vm()->status.conditions, "RestartRequired"));
  // A template spec edit is a change.
  testing::run_ok(exec, R"(patch vm fed --type merge -p '{"spec":{"template":{"spec":{"hostname":"other"}}}}')");
  cluster.run_until(cluster.now() + 5);
  const auto* restart = models::find_condition(vm()->status.conditions, "RestartRequired");
  REQUIRE(restart);
  CHECK(restart->message == "a non-live-updatable field was changed in the template spec");
}
