// VM run strategies end to end (FIDELITY.md §1, §2): what the VM controller does
// after the guest shuts itself down or crashes, the crash-loop backoff, pause,
// and stand-alone VMIs.
#include "small_cluster.hpp"

#include "models/kubevirt.hpp"

using namespace kvsim;
using testing::run_ok;
using testing::vmi;
using testing::when_phase;

namespace {

std::string annotated_vm_yaml(const std::string& name, const std::string& strategy,
                              const std::string& annotations = "{}") {
  return R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: )" + name + R"(, namespace: default}
spec:
  runStrategy: )" + strategy + R"(
  template:
    metadata:
      annotations: )" + annotations + R"(
    spec:
      domain:
        devices:
          disks:
          - name: rootdisk
            disk: {bus: virtio}
        resources: {requests: {memory: 128Mi}}
      volumes:
      - name: rootdisk
        containerDisk: {image: quay.io/kubevirt/cirros-container-disk-demo}
)";
}

std::shared_ptr<const models::VirtualMachine> vm_of(sim::cluster::Cluster& c, const std::string& name) {
  return c.store().get<models::VirtualMachine>("default", name);
}

std::string printable(sim::cluster::Cluster& c, const std::string& name) {
  auto vm = vm_of(c, name);
  return vm ? vm->status.printableStatus : std::string("<no VM>");
}

}  // namespace

TEST_CASE("Always restarts its VMI after a guest shutdown and after a guest crash") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  cluster.run_until(0);
  testing::apply_yaml(cluster, annotated_vm_yaml("vm1", "Always"));
  const double up = when_phase(cluster, "vm1", "Running", 120);
  REQUIRE(up > 0);
  const std::string first = vmi(cluster, "vm1")->metadata.uid;

  cluster.run_until(up + 10);
  CHECK_THAT(run_ok(exec, "guest shutdown vm1"), Catch::Contains("shuts itself down"));
  // The guest's poweroff takes guestShutdown (4 s); the domain is Shutoff/Shutdown -> Succeeded.
  const double done = when_phase(cluster, "vm1", "Succeeded", up + 30);
  CHECK(done == Approx(up + 14).margin(0.5));
  // The VM controller deletes the final VMI and creates a new one: a new UID, Running again.
  const double again = when_phase(cluster, "vm1", "Running", done + 120, first);
  REQUIRE(again > 0);
  INFO("restart took " << again - done << " s");
  CHECK(again - done < 30);  // pod teardown + a new launcher pod + boot, about as long as the first start
  const std::string second = vmi(cluster, "vm1")->metadata.uid;
  CHECK(second != first);
  CHECK(testing::run_until_true(cluster, again + 1, [&] { return printable(cluster, "vm1") == "Running"; }) > 0);

  cluster.run_until(again + 10);
  run_ok(exec, "guest crash vm1");
  const double crashed = when_phase(cluster, "vm1", "Failed", again + 20);
  CHECK(crashed == Approx(again + 10).margin(0.5));  // a crash is immediate
  const double third_up = when_phase(cluster, "vm1", "Running", crashed + 120, second);
  REQUIRE(third_up > 0);
  CHECK(vmi(cluster, "vm1")->metadata.uid != second);
  // The crashed VMI had run: no crash loop.
  CHECK_FALSE(vm_of(cluster, "vm1")->status.startFailure);
  cluster.shutdown();
}

TEST_CASE("RerunOnFailure restarts its VMI after a crash but not after a guest shutdown") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  cluster.run_until(0);
  testing::apply_yaml(cluster, annotated_vm_yaml("vm1", "RerunOnFailure"));
  const double up = when_phase(cluster, "vm1", "Running", 120);
  REQUIRE(up > 0);
  const std::string first = vmi(cluster, "vm1")->metadata.uid;
  run_ok(exec, "guest crash vm1");
  const double failed = when_phase(cluster, "vm1", "Failed", up + 10);
  REQUIRE(failed > 0);
  const double again = when_phase(cluster, "vm1", "Running", failed + 120, first);
  REQUIRE(again > 0);
  CHECK(again - failed < 30);
  const std::string second = vmi(cluster, "vm1")->metadata.uid;
  CHECK(second != first);

  run_ok(exec, "guest shutdown vm1");
  const double done = when_phase(cluster, "vm1", "Succeeded", cluster.now() + 30);
  REQUIRE(done > 0);
  // Succeeded: the VMI is deleted and not replaced.
  REQUIRE(testing::run_until_true(cluster, done + 60, [&] { return !vmi(cluster, "vm1"); }) > 0);
  cluster.run_until(cluster.now() + 120);
  CHECK_FALSE(vmi(cluster, "vm1"));
  CHECK(printable(cluster, "vm1") == "Stopped");
  CHECK(vm_of(cluster, "vm1")->spec.runStrategy.value_or("") == "RerunOnFailure");
  // A start brings it back.
  CHECK(run_ok(exec, "start vm1") == "VM vm1 was scheduled to start\n");
  CHECK(when_phase(cluster, "vm1", "Running", cluster.now() + 120, second) > 0);
  cluster.shutdown();
}

TEST_CASE("Once and Manual never restart their VMI") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  cluster.run_until(0);
  testing::apply_yaml(cluster, annotated_vm_yaml("once", "Once"));
  testing::apply_yaml(cluster, annotated_vm_yaml("manual", "Manual"));
  cluster.run_until(30);
  CHECK_FALSE(vmi(cluster, "manual"));  // Manual waits for a start
  CHECK(printable(cluster, "manual") == "Stopped");
  run_ok(exec, "start manual");
  REQUIRE(when_phase(cluster, "once", "Running", 120) > 0);
  REQUIRE(when_phase(cluster, "manual", "Running", 120) > 0);
  const std::string once_uid = vmi(cluster, "once")->metadata.uid;
  const std::string manual_uid = vmi(cluster, "manual")->metadata.uid;

  run_ok(exec, "guest crash once");
  run_ok(exec, "guest shutdown manual");
  cluster.run_until(cluster.now() + 300);
  // Once keeps its final VMI; Manual's stays too. Neither is replaced.
  REQUIRE(vmi(cluster, "once"));
  CHECK(vmi(cluster, "once")->metadata.uid == once_uid);
  CHECK(vmi(cluster, "once")->status.phase == "Failed");
  REQUIRE(vmi(cluster, "manual"));
  CHECK(vmi(cluster, "manual")->metadata.uid == manual_uid);
  CHECK(vmi(cluster, "manual")->status.phase == "Succeeded");
  CHECK(printable(cluster, "once") == "Stopped");
  CHECK(printable(cluster, "manual") == "Stopped");
  // virtctl's table: Once refuses start and restart; Manual's start replaces the finished VMI.
  CHECK(exec.run("start once").error ==
        "Error starting VirtualMachine Operation cannot be fulfilled on virtualmachine.kubevirt.io \"once\": Once does "
        "not support manual start requests");
  CHECK(exec.run("restart once").error ==
        "error restarting VirtualMachine: Operation cannot be fulfilled on virtualmachine.kubevirt.io \"once\": "
        "RunStategy Once does not support manual restart requests");
  run_ok(exec, "start manual");
  CHECK(when_phase(cluster, "manual", "Running", cluster.now() + 120, manual_uid) > 0);
  cluster.shutdown();
}

TEST_CASE("a VM whose launcher fails fast backs off in CrashLoopBackOff") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  cluster.run_until(0);
  testing::apply_yaml(cluster,
                      annotated_vm_yaml("broken", "Always", "{kubevirt.io/func-test-launcher-fail-fast: \"\"}"));
  // Each VMI fails before it ever runs; the controller counts them and waits 10 s * n^2 (+ up to half) between.
  std::vector<double> failures;
  std::string last_uid;
  while (failures.size() < 3) {
    const double t = when_phase(cluster, "broken", "Failed", cluster.now() + 400, last_uid);
    REQUIRE(t > 0);
    failures.push_back(t);
    last_uid = vmi(cluster, "broken")->metadata.uid;
    REQUIRE(testing::run_until_true(cluster, t + 5, [&] {
              auto vm = vm_of(cluster, "broken");
              return vm->status.startFailure && vm->status.startFailure->lastFailedVMIUID == last_uid;
            }) > 0);
    const auto failure = *vm_of(cluster, "broken")->status.startFailure;
    CHECK(failure.consecutiveFailCount == static_cast<int>(failures.size()));
    const double delay = failure.retryAfterTimestamp->seconds - cluster.now();
    const double n = static_cast<double>(failures.size());
    CHECK(delay >= 10 * n * n - 0.5);
    CHECK(delay <= 15 * n * n + 1.5);
    // Meanwhile the VM shows CrashLoopBackOff (once the failed VMI is gone).
    REQUIRE(testing::run_until_true(cluster, t + 10, [&] { return printable(cluster, "broken") == "CrashLoopBackOff"; }) > 0);
    CHECK_THAT(run_ok(exec, "get vm broken"), Catch::Contains("CrashLoopBackOff"));
  }
  // The gaps between failures grow: the second wait is at least 40 s, the first at least 10 s.
  CHECK(failures[1] - failures[0] >= 10);
  CHECK(failures[2] - failures[1] >= 40);
  cluster.shutdown();
}

TEST_CASE("pause and unpause keep the VMI Running with a Paused condition") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  cluster.run_until(0);
  testing::apply_yaml(cluster, annotated_vm_yaml("vm1", "Always"));
  REQUIRE(testing::run_until_true(cluster, 10, [&] { return vmi(cluster, "vm1") != nullptr; }) > 0);
  CHECK(exec.run("pause vmi vm1").error ==
        "Error pausing VirtualMachineInstance vm1: Operation cannot be fulfilled on virtualmachineinstance.kubevirt.io "
        "\"vm1\": VM is not running");
  REQUIRE(when_phase(cluster, "vm1", "Running", 120) > 0);
  CHECK(exec.run("unpause vmi vm1").error ==
        "Error unpausing VirtualMachineInstance vm1: Operation cannot be fulfilled on "
        "virtualmachineinstance.kubevirt.io \"vm1\": VMI is not paused");
  CHECK(run_ok(exec, "pause vmi vm1") == "VMI vm1 was scheduled to pause\n");
  REQUIRE(testing::run_until_true(cluster, cluster.now() + 5, [&] { return printable(cluster, "vm1") == "Paused"; }) > 0);
  const auto paused = models::find_condition(vmi(cluster, "vm1")->status.conditions, "Paused");
  REQUIRE(paused);
  CHECK(paused->reason == "PausedByUser");
  CHECK(vmi(cluster, "vm1")->status.phase == "Running");
  // Copied onto the VM; -o wide shows PAUSED True.
  CHECK(models::find_condition(vm_of(cluster, "vm1")->status.conditions, "Paused"));
  CHECK_THAT(run_ok(exec, "get vmi vm1 -o wide"), Catch::Matches("(.|\n)*Running(.|\n)*True +True\n"));
  CHECK(exec.run("pause vm vm1").error ==
        "Error pausing VirtualMachineInstance vm1: Operation cannot be fulfilled on virtualmachineinstance.kubevirt.io "
        "\"vm1\": VMI is already paused");
  CHECK(exec.run("guest shutdown vm1").error ==
        "error: the guest of VMI vm1 is paused: its vCPUs run nothing until `unpause vmi vm1`");
  CHECK(run_ok(exec, "unpause vm vm1") == "VMI vm1 was scheduled to unpause\n");
  REQUIRE(testing::run_until_true(cluster, cluster.now() + 5, [&] { return printable(cluster, "vm1") == "Running"; }) > 0);
  CHECK_FALSE(models::find_condition(vmi(cluster, "vm1")->status.conditions, "Paused"));
  CHECK_FALSE(models::find_condition(vm_of(cluster, "vm1")->status.conditions, "Paused"));
  // Stopping a paused VM: the frozen guest cannot answer ACPI, so the domain is destroyed after
  // terminationGracePeriodSeconds (30 s) and the VMI ends Failed.
  run_ok(exec, "pause vmi vm1");
  REQUIRE(testing::run_until_true(cluster, cluster.now() + 5, [&] { return printable(cluster, "vm1") == "Paused"; }) > 0);
  const double stop_at = cluster.now();
  run_ok(exec, "stop vm1");
  CHECK(when_phase(cluster, "vm1", "Failed", stop_at + 60) == Approx(stop_at + 30).margin(1));
  cluster.shutdown();
}

TEST_CASE("a stand-alone VMI is never restarted and deleting it shuts it down") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  cluster.run_until(0);
  testing::apply_yaml(cluster, R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachineInstance
metadata: {name: solo, namespace: default}
spec:
  domain:
    devices:
      disks:
      - name: rootdisk
        disk: {bus: virtio}
    resources: {requests: {memory: 128Mi}}
  volumes:
  - name: rootdisk
    containerDisk: {image: quay.io/containerdisks/fedora:40}
)");
  const double up = when_phase(cluster, "solo", "Running", 120);
  REQUIRE(up > 0);
  CHECK(vmi(cluster, "solo")->metadata.ownerReferences.empty());
  CHECK_THAT(run_ok(exec, "get vmis"), Catch::Contains("solo"));
  // A Fedora image ships qemu-guest-agent: AgentConnected after guestAgentConnect (20 s).
  const double agent = testing::run_until_true(cluster, up + 60, [&] {
    return models::find_condition(vmi(cluster, "solo")->status.conditions, "AgentConnected") != nullptr;
  });
  CHECK(agent == Approx(up + 20).margin(0.5));
  const auto* migratable = models::find_condition(vmi(cluster, "solo")->status.conditions, "LiveMigratable");
  REQUIRE(migratable);
  CHECK(migratable->status == "True");  // a containerDisk migrates (block migration)
  run_ok(exec, "guest crash solo");
  cluster.run_until(cluster.now() + 120);
  REQUIRE(vmi(cluster, "solo"));
  CHECK(vmi(cluster, "solo")->status.phase == "Failed");  // stays, nobody restarts it
  run_ok(exec, "delete vmi solo");
  cluster.run_until(cluster.now() + 60);
  CHECK_FALSE(vmi(cluster, "solo"));
  cluster.shutdown();
}

TEST_CASE("stop and start on a running true VM flip spec.running as virt-api patches it") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  cluster.run_until(0);
  auto yaml = annotated_vm_yaml("legacy", "Always");
  yaml.replace(yaml.find("runStrategy: Always"), std::string("runStrategy: Always").size(), "running: true");
  testing::apply_yaml(cluster, yaml);
  REQUIRE(when_phase(cluster, "legacy", "Running", 120) > 0);
  CHECK(run_ok(exec, "stop legacy") == "VM legacy was scheduled to stop\n");
  // The deprecated field stays the one in use: running false (Halted), no runStrategy added.
  CHECK(vm_of(cluster, "legacy")->spec.running == std::optional<bool>(false));
  CHECK_FALSE(vm_of(cluster, "legacy")->spec.runStrategy);
  REQUIRE(testing::run_until_true(cluster, cluster.now() + 60, [&] { return !vmi(cluster, "legacy"); }) > 0);
  CHECK(testing::run_until_true(cluster, cluster.now() + 5, [&] { return printable(cluster, "legacy") == "Stopped"; }) > 0);
  CHECK(exec.run("stop legacy").error ==
        "error stopping VirtualMachine Operation cannot be fulfilled on virtualmachine.kubevirt.io \"legacy\": VM is "
        "not running");
  run_ok(exec, "start legacy");
  CHECK(vm_of(cluster, "legacy")->spec.running == std::optional<bool>(true));
  CHECK(when_phase(cluster, "legacy", "Running", cluster.now() + 120) > 0);
  cluster.shutdown();
}

TEST_CASE("virsh destroy from outside fails the VMI at once and Always brings a new one, Manual does not") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  cluster.run_until(0);
  testing::apply_yaml(cluster, annotated_vm_yaml("vm1", "Always"));
  testing::apply_yaml(cluster, annotated_vm_yaml("manual", "Manual"));
  run_ok(exec, "start manual");  // Manual starts only when asked
  const double up = when_phase(cluster, "vm1", "Running", 120);
  REQUIRE(up > 0);
  REQUIRE(when_phase(cluster, "manual", "Running", 120) > 0);
  const std::string first = vmi(cluster, "vm1")->metadata.uid;
  cluster.run_until(up + 10);
  CHECK(run_ok(exec, "virsh destroy vm1") == "Domain 'default_vm1' destroyed\n");
  // Shutoff, reason Destroyed, unasked: the VMI fails at once (FIDELITY.md §2).
  const double failed = when_phase(cluster, "vm1", "Failed", up + 20);
  CHECK(failed == Approx(up + 10).margin(0.1));
  const double again = when_phase(cluster, "vm1", "Running", failed + 120, first);
  CHECK(again > 0);
  // Manual: the destroyed VMI stays Failed; nothing new comes.
  run_ok(exec, "virsh destroy manual");
  const std::string manual_uid = vmi(cluster, "manual")->metadata.uid;
  CHECK(when_phase(cluster, "manual", "Failed", cluster.now() + 5) > 0);
  cluster.run_until(cluster.now() + 60);
  CHECK(vmi(cluster, "manual")->metadata.uid == manual_uid);
  CHECK(vmi(cluster, "manual")->status.phase == "Failed");
  // A domain that is not running cannot be destroyed: virsh's own words.
  const auto out = exec.run("virsh destroy manual");
  CHECK(out.error == "error: Requested operation is not valid: domain is not running");
  cluster.shutdown();
}
