// The VM's finalizer (issue 20, item 8; KubeVirt v1.5 vm.go addVMFinalizer/removeVMFinalizer):
// VMs carry kubevirt.io/virtualMachineControllerFinalize, so `delete vm` leaves the VM
// Terminating until its VMI is gone, and the VMI keeps its owner meanwhile; with
// --cascade=orphan the VM goes at once and the VMI stays, orphaned.
#include "small_cluster.hpp"

#include "models/kubevirt.hpp"

using namespace kvsim;

TEST_CASE("a deleted VM is Terminating until its VMI is gone, and the VMI keeps its owner meanwhile") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  cluster.run_until(0);
  testing::apply_yaml(cluster, testing::vm_yaml("vm1"));
  auto vm = [&] { return cluster.store().get<models::VirtualMachine>("default", "vm1"); };
  auto vmi = [&] { return cluster.store().get<models::VirtualMachineInstance>("default", "vm1"); };
  REQUIRE(testing::run_until_true(cluster, 120, [&] { return vm()->status.printableStatus == "Running"; }) > 0);
  CHECK(vm()->metadata.has_finalizer("kubevirt.io/virtualMachineControllerFinalize"));
  const auto vm_uid = vm()->metadata.uid;
  CHECK(testing::run_ok(exec, "delete vm vm1") == "virtualmachine.kubevirt.io \"vm1\" deleted\n");
  // Sampled until the VM is gone: while the VMI exists, the VM does too, Terminating, and owns it.
  bool saw_terminating = false;
  double vmi_gone = -1, vm_gone = -1;
  const double asked = cluster.now();
  while (cluster.now() < asked + 120 && vm_gone < 0) {
    cluster.run_until(cluster.now() + 0.05);
    auto v = vm();
    auto i = vmi();
    if (i) {
      REQUIRE(v);
      CHECK(v->metadata.being_deleted());
      REQUIRE(i->metadata.controller_ref());
      CHECK(i->metadata.controller_ref()->uid == vm_uid);
      if (cluster.now() > asked + 1) saw_terminating = saw_terminating || v->status.printableStatus == "Terminating";
    } else if (vmi_gone < 0) {
      vmi_gone = cluster.now();
    }
    if (!v) vm_gone = cluster.now();
  }
  CHECK(saw_terminating);
  REQUIRE(vmi_gone > 0);
  REQUIRE(vm_gone > 0);
  CHECK(vm_gone >= vmi_gone);
  CHECK(vm_gone - vmi_gone < 1);
  cluster.shutdown();
}

TEST_CASE("delete vm --cascade=orphan removes the VM at once and leaves its VMI running, orphaned") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  cluster.run_until(0);
  testing::apply_yaml(cluster, testing::vm_yaml("vm1"));
  REQUIRE(testing::run_until_true(cluster, 120, [&] {
            auto v = cluster.store().get<models::VirtualMachine>("default", "vm1");
            return v && v->status.printableStatus == "Running";
          }) > 0);
  testing::run_ok(exec, "delete vm vm1 --cascade=orphan");
  REQUIRE(testing::run_until_true(cluster, cluster.now() + 10, [&] {
            return !cluster.store().get<models::VirtualMachine>("default", "vm1");
          }) > 0);
  auto vmi = cluster.store().get<models::VirtualMachineInstance>("default", "vm1");
  REQUIRE(vmi);
  CHECK(vmi->status.phase == "Running");
  CHECK_FALSE(vmi->metadata.controller_ref());
  cluster.shutdown();
}
