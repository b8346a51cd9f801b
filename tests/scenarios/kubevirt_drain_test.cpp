// `drain` of a node running VMIs, per evictionStrategy (FIDELITY.md §7): virt-api's
// eviction webhook lets None go (the VM's runStrategy restarts it elsewhere), keeps
// LiveMigrate / External launcher pods (marking the VMI with
// status.evacuationNodeName; LiveMigrate gets an evacuation
// VirtualMachineInstanceMigration, which moves the VMI away so that the drain
// finishes), and denies LiveMigrate for a VMI that cannot migrate. One
// simulation per TEST_CASE.
#include <catch2/catch.hpp>

#include "models/kubevirt.hpp"
#include "small_cluster.hpp"

using namespace kvsim;
using kvsim::testing::apply_yaml;
using kvsim::testing::run_until_true;
using testing::all_vmis_running;
using testing::vmi;

namespace {

// A VM pinned to `node` (empty: anywhere) with `strategy` (empty: the cluster's),
// on the pod network with `binding` (masquerade or bridge).
std::string evictable_vm_yaml(const std::string& name, const std::string& node, const std::string& strategy,
                              const std::string& binding = "masquerade") {
  std::string spec = "    spec:\n";
  if (!node.empty()) spec += "      nodeSelector: {kubernetes.io/hostname: " + node + "}\n";
  if (!strategy.empty()) spec += "      evictionStrategy: " + strategy + "\n";
  return R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: )" + name + R"(, namespace: default}
spec:
  runStrategy: Always
  template:
    metadata: {labels: {kubevirt.io/vm: )" + name + R"(}}
)" + spec + R"(      domain:
        devices:
          disks:
          - {name: rootdisk, disk: {bus: virtio}}
          interfaces:
          - {name: default, )" + binding + R"(: {}}
        resources: {requests: {memory: 1Gi}}
      networks:
      - {name: default, pod: {}}
      volumes:
      - {name: rootdisk, containerDisk: {image: quay.io/containerdisks/fedora:40}}
)";
}

std::string launcher_name(sim::cluster::Cluster& c, const std::string& name) {
  auto v = vmi(c, name);
  for (const auto& o : c.store().owned_by(v->metadata.uid))
    if (o->kind == "Pod") return o->metadata.name;
  return {};
}

}  // namespace

TEST_CASE("drain with evictionStrategy None evicts the launcher pod and the Always VM restarts elsewhere") {
  sim::cluster::Cluster cluster(kvsim::testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  cluster.run_until(0);
  apply_yaml(cluster, evictable_vm_yaml("plain", "", "None"));
  REQUIRE(run_until_true(cluster, 60, [&] { return all_vmis_running(cluster, {"plain"}); }) > 0);
  cluster.run_until(30);
  const auto first = vmi(cluster, "plain");
  const auto node = first->status.nodeName;
  const auto pod = launcher_name(cluster, "plain");
  const auto out = exec.run("drain " + node + " --ignore-daemonsets --delete-emptydir-data --timeout=120s");
  INFO(out.output << out.error);
  CHECK(out.ok());
  CHECK(out.output.find("evicting pod default/" + pod + "\n") != std::string::npos);
  CHECK(out.output.find("pod/" + pod + " evicted\n") != std::string::npos);
  CHECK(out.output.find("node/" + node + " drained\n") != std::string::npos);
  // The launcher pod's graceful stop shuts the guest down (Succeeded); runStrategy
  // Always makes a new VMI, which the cordon keeps off the drained node.
  REQUIRE(run_until_true(cluster, cluster.now() + 60, [&] {
    auto v = vmi(cluster, "plain");
    return v && v->metadata.uid != first->metadata.uid && v->status.phase == "Running";
  }) > 0);
  CHECK(vmi(cluster, "plain")->status.nodeName != node);
  CHECK(vmi(cluster, "plain")->status.evacuationNodeName.empty());
  cluster.shutdown();
}

TEST_CASE("drain keeps LiveMigrate and External launcher pods and refuses a VMI that cannot migrate") {
  sim::cluster::Cluster cluster(kvsim::testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  REQUIRE(cluster.profile().cluster_eviction_strategy == "LiveMigrate");  // HCO's default
  cluster.run_until(0);
  apply_yaml(cluster, evictable_vm_yaml("mover", "worker-1", ""));            // the cluster's LiveMigrate
  apply_yaml(cluster, evictable_vm_yaml("stuck", "worker-1", "", "bridge"));  // bridge on the pod network
  apply_yaml(cluster, evictable_vm_yaml("ext", "worker-1", "External", "bridge"));
  REQUIRE(run_until_true(cluster, 60, [&] { return all_vmis_running(cluster, {"mover", "stuck", "ext"}); }) > 0);
  cluster.run_until(30);
  const auto stuck_pod = launcher_name(cluster, "stuck");
  const auto mover_pod = launcher_name(cluster, "mover");
  const auto ext_pod = launcher_name(cluster, "ext");
  const auto out = exec.run("drain worker-1 --ignore-daemonsets --delete-emptydir-data --timeout=12s");
  INFO(out.output << out.error);
  CHECK_FALSE(out.ok());
  // Not migratable: virt-api's webhook denies, and kubectl retries every 5 s (0, 5, 10 s).
  const std::string denied = "error when evicting pods/\"" + stuck_pod +
                             "\" -n \"default\" (will retry after 5s): admission webhook "
                             "\"virt-launcher-eviction-interceptor.kubevirt.io\" denied the request: VMI stuck is "
                             "configured with an eviction strategy but is not live-migratable\n";
  CHECK(out.output.find(denied) != std::string::npos);
  // Migratable and External: kept, as the VMI's disruption budget answers.
  for (const auto& p : {mover_pod, ext_pod})
    CHECK(out.output.find("error when evicting pods/\"" + p + "\" -n \"default\" (will retry after 5s): " +
                          "Cannot evict pod as it would violate the pod's disruption budget.\n") != std::string::npos);
  CHECK(out.error.find("global timeout reached: 12s") != std::string::npos);
  // Every launcher pod is still there, none terminating; the VMIs still run on worker-1.
  for (const auto& p : {mover_pod, stuck_pod, ext_pod}) {
    auto pod = cluster.store().get<models::Pod>("default", p);
    REQUIRE(pod);
    CHECK_FALSE(pod->metadata.being_deleted());
  }
  CHECK(all_vmis_running(cluster, {"mover", "stuck", "ext"}));
  // Marked for evacuation: LiveMigrate and External, not the denied one.
  CHECK(vmi(cluster, "mover")->status.evacuationNodeName == "worker-1");
  CHECK(vmi(cluster, "ext")->status.evacuationNodeName == "worker-1");
  CHECK(vmi(cluster, "stuck")->status.evacuationNodeName.empty());
  // virt-controller's evacuation controller asks for a migration of `mover` only (once,
  // however often kubectl retried). `mover` is pinned to worker-1 by its nodeSelector, which
  // its target pod inherits next to the rule that keeps it off the source: it cannot be
  // scheduled, and the migration waits in Scheduling.
  std::vector<std::shared_ptr<const models::VirtualMachineInstanceMigration>> migrations;
  for (const auto& o : cluster.store().list(models::VirtualMachineInstanceMigration::kind_info(), "default"))
    migrations.push_back(std::static_pointer_cast<const models::VirtualMachineInstanceMigration>(o));
  REQUIRE(migrations.size() == 1);
  CHECK(migrations[0]->spec.vmiName == "mover");
  CHECK(migrations[0]->metadata.name.rfind("kubevirt-evacuation-", 0) == 0);
  CHECK(migrations[0]->metadata.annotations.at("kubevirt.io/evacuationMigration") == "worker-1");
  CHECK(migrations[0]->status.phase == "Scheduling");
  cluster.shutdown();
}

TEST_CASE("drain with LiveMigrate migrates the VM away and finishes with no VMI left on the node") {
  sim::cluster::Cluster cluster(kvsim::testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  cluster.run_until(0);
  // Both VMs start on worker-1 (the other workers cordoned meanwhile), unpinned.
  kvsim::testing::run_ok(exec, "cordon worker-2");
  kvsim::testing::run_ok(exec, "cordon worker-3");
  apply_yaml(cluster, evictable_vm_yaml("mover", "", ""));  // the cluster's LiveMigrate
  apply_yaml(cluster, evictable_vm_yaml("other", "", "LiveMigrate"));
  REQUIRE(run_until_true(cluster, 60, [&] { return all_vmis_running(cluster, {"mover", "other"}); }) > 0);
  REQUIRE(vmi(cluster, "mover")->status.nodeName == "worker-1");
  REQUIRE(vmi(cluster, "other")->status.nodeName == "worker-1");
  kvsim::testing::run_ok(exec, "uncordon worker-2");
  kvsim::testing::run_ok(exec, "uncordon worker-3");
  cluster.run_until(30);
  const auto uid = vmi(cluster, "mover")->metadata.uid;
  const double drain_started = cluster.now();
  const auto out = exec.run("drain worker-1 --ignore-daemonsets --delete-emptydir-data --timeout=300s");
  INFO(out.output << out.error);
  CHECK(out.ok());
  CHECK(out.output.find("node/worker-1 drained\n") != std::string::npos);
  // Migrated, not restarted: the same VMIs run on other nodes; each went through an evacuation migration.
  CHECK(vmi(cluster, "mover")->metadata.uid == uid);
  for (const auto& name : {"mover", "other"}) {
    CHECK(vmi(cluster, name)->status.phase == "Running");
    CHECK(vmi(cluster, name)->status.nodeName != "worker-1");
    CHECK(vmi(cluster, name)->status.evacuationNodeName.empty());
  }
  CHECK(cluster.store().on_node(models::VirtualMachineInstance::kind_info(), "worker-1").empty());
  int succeeded = 0;
  for (const auto& o : cluster.store().list(models::VirtualMachineInstanceMigration::kind_info(), "default")) {
    const auto& m = static_cast<const models::VirtualMachineInstanceMigration&>(*o);
    CHECK(m.metadata.name.rfind("kubevirt-evacuation-", 0) == 0);
    succeeded += m.status.phase == "Succeeded";
  }
  CHECK(succeeded == 2);
  // Each migration: a target pod to start (image pull, containers), a 1 GiB pre-copy, then the
  // source pod's graceful stop: the drain takes well under its timeout.
  CHECK(cluster.now() - drain_started < 120);
  cluster.shutdown();
}
