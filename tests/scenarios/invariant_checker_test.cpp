// The invariant checker watching real runs: it catches a deliberately broken
// controller at once, and stays quiet through a node failure handled as
// upstream handles it.
#include <catch2/catch.hpp>

#include "models/kubevirt.hpp"
#include "sim/regression/invariant_watch.hpp"
#include "small_cluster.hpp"

using namespace kvsim;
using testing::apply_yaml;
using testing::run_ok;
using testing::run_until_true;
using testing::small_cluster_options;
using testing::vmi_running;
using testing::web_replicaset_yaml;

namespace {

const char* kVm = R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: vm1, namespace: default}
spec:
  runStrategy: Always
  template:
    spec:
      domain:
        devices: {}
        memory: {guest: 1Gi}
      volumes:
      - name: rootdisk
        containerDisk: {image: quay.io/containerdisks/fedora:40}
)";

}  // namespace

TEST_CASE("invariant checker: a VM controller that double-creates a VMI is caught at the instant it does") {
  sim::cluster::Cluster cluster(small_cluster_options());
  sim::regression::InvariantWatch invariants(cluster);
  apply_yaml(cluster, kVm);
  REQUIRE(run_until_true(cluster, 60, [&] { return vmi_running(cluster, "vm1"); }) > 0);
  // The test double: a broken virt-controller that creates a second VMI for
  // the same VM (a new name, the same controller ownerReference).
  auto first = cluster.store().get<models::VirtualMachineInstance>("default", "vm1");
  auto copy = std::static_pointer_cast<models::VirtualMachineInstance>(first->clone());
  copy->metadata.name = "vm1-again";
  copy->metadata.uid.clear();
  copy->metadata.resourceVersion.clear();
  copy->status = {};
  cluster.run_until(cluster.now() + 1);
  const double created_at = cluster.now();
  REQUIRE(cluster.store().create(copy, sim::api::Cause{"virt-controller", "", "broken controller (test double)"}).ok());
  cluster.run_until(cluster.now() + 5);
  invariants.check_now();
  REQUIRE(invariants.violations().size() == 1);
  const auto& v = invariants.violations()[0];
  CHECK(v.finding.invariant == std::string(sim::regression::kOneVmiPerVm));
  CHECK(v.finding.kind == "VirtualMachine");
  CHECK(v.finding.name == "vm1");
  CHECK(v.finding.detail == "2 VMIs are controlled by it: vm1, vm1-again");
  CHECK(v.since == Approx(created_at));
  CHECK(v.reported == Approx(created_at));
  bool traced = false;
  for (const auto& r : cluster.trace().records())
    traced = traced || (r.component == "invariant-checker" && r.change == "invariant violated: at most one VMI per VM");
  CHECK(traced);
}

TEST_CASE("invariant checker: a node failure, pod eviction and the Node's deletion break no invariant") {
  sim::cluster::Cluster cluster(small_cluster_options());
  sim::regression::InvariantWatch invariants(cluster);
  sim::commands::Executor exec(cluster);
  apply_yaml(cluster, kVm);
  apply_yaml(cluster, web_replicaset_yaml(6));
  REQUIRE(run_until_true(cluster, 60, [&] { return vmi_running(cluster, "vm1"); }) > 0);
  const auto node = cluster.store().get<models::VirtualMachineInstance>("default", "vm1")->status.nodeName;
  run_ok(exec, "node fail " + node);
  cluster.run_until(cluster.now() + 400);  // NotReady, taints, evictions: pods marked not ready on the way
  run_ok(exec, "delete node " + node);
  REQUIRE(run_until_true(cluster, cluster.now() + 120, [&] { return vmi_running(cluster, "vm1"); }, 0.5) > 0);
  cluster.run_until(cluster.now() + 200);
  invariants.check_now();
  for (const auto& v : invariants.violations()) INFO(sim::regression::describe(v));
  CHECK(invariants.violations().empty());
}
