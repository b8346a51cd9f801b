// Live migration end to end (FIDELITY.md §7): `migrate` and VirtualMachineInstanceMigration
// objects, the phases, the target pod, the pre-copy over SimGrid links, the parallel
// limits, virt-api's refusals, cancellation, a target node failing, and drain.
// One simulation per TEST_CASE.
#include <catch2/catch.hpp>

#include "models/kubevirt.hpp"
#include "sim/kubevirt/migration_plan.hpp"
#include "small_cluster.hpp"

using namespace kvsim;
using kvsim::testing::apply_yaml;
using kvsim::testing::run_ok;
using kvsim::testing::run_until_true;
using kvsim::testing::first_record;
using models::VirtualMachineInstance;
using models::VirtualMachineInstanceMigration;
using testing::all_vmis_running;
using testing::vmi;

namespace {

constexpr double kGiB = 1024.0 * 1024 * 1024;

std::string vmi_yaml(const std::string& name, const std::string& memory, const std::string& extra_volume = "") {
  return R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachineInstance
metadata: {name: )" + name + R"(, namespace: default}
spec:
  terminationGracePeriodSeconds: 0
  domain:
    devices:
      disks:
      - {name: containerdisk, disk: {bus: virtio}})" + (extra_volume.empty() ? "" : "\n      - {name: data, disk: {bus: virtio}}") + R"(
      interfaces:
      - {name: default, masquerade: {}}
    memory: {guest: )" + memory + R"(}
  networks:
  - {name: default, pod: {}}
  volumes:
  - {name: containerdisk, containerDisk: {image: quay.io/containerdisks/fedora:40}})" +
         (extra_volume.empty() ? "" : "\n  - {name: data, persistentVolumeClaim: {claimName: " + extra_volume + "}}") + "\n";
}

std::vector<std::shared_ptr<const VirtualMachineInstanceMigration>> migrations(sim::cluster::Cluster& c) {
  std::vector<std::shared_ptr<const VirtualMachineInstanceMigration>> out;
  for (const auto& o : c.store().list(VirtualMachineInstanceMigration::kind_info(), "default"))
    out.push_back(std::static_pointer_cast<const VirtualMachineInstanceMigration>(o));
  return out;
}

std::shared_ptr<const VirtualMachineInstanceMigration> migration_of(sim::cluster::Cluster& c, const std::string& vmi) {
  for (const auto& m : migrations(c))
    if (m->spec.vmiName == vmi) return m;
  return nullptr;
}

int count_phase(sim::cluster::Cluster& c, const std::string& phase) {
  int n = 0;
  for (const auto& m : migrations(c)) n += m->status.phase == phase;
  return n;
}

double phase_time(const VirtualMachineInstanceMigration& m, const std::string& phase) {
  for (const auto& t : m.status.phaseTransitionTimestamps)
    if (t.phase == phase && t.phaseTransitionTimestamp) return t.phaseTransitionTimestamp->seconds;
  return -1;
}

// Keeps new VMIs on worker-1: the other workers are cordoned until `uncordon`.
void only_worker_1(sim::commands::Executor& exec) {
  run_ok(exec, "cordon worker-2");
  run_ok(exec, "cordon worker-3");
}
void all_workers(sim::commands::Executor& exec) {
  run_ok(exec, "uncordon worker-2");
  run_ok(exec, "uncordon worker-3");
}

// The cluster with a per-migration bandwidth cap, so that a migration lasts long enough to watch.
sim::cluster::ClusterOptions capped_options(double bytes_per_second) {
  auto options = kvsim::testing::small_cluster_options();
  options.profile.migration_bandwidth_per_migration = bytes_per_second;
  return options;
}

}  // namespace

TEST_CASE("a 1Gi VMI live-migrates through every phase in the time the pre-copy model gives") {
  sim::cluster::Cluster cluster(kvsim::testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  cluster.run_until(0);
  apply_yaml(cluster, vmi_yaml("mover", "1Gi"));
  REQUIRE(run_until_true(cluster, 120, [&] { return all_vmis_running(cluster, {"mover"}); }) > 0);
  cluster.run_until(cluster.now() + 30);  // virt-api's pods run: its webhooks answer
  const auto before = vmi(cluster, "mover");
  const auto source = before->status.nodeName;
  CHECK(run_ok(exec, "migrate mover") == "VMI mover was scheduled to migrate\n");
  // A second request while the first is in flight is refused by virt-api's webhook.
  const auto again = exec.run("migrate mover");
  REQUIRE(migration_of(cluster, "mover"));
  CHECK(again.error == "Error migrating VirtualMachineInstance Internal error occurred: admission webhook "
                       "\"migration-create-validator.kubevirt.io\" denied the request: in-flight migration detected. "
                       "Active migration job (" + migration_of(cluster, "mover")->metadata.uid +
                       ") is currently already in progress for VMI mover.");
  CHECK(migrations(cluster).size() == 1);
  const auto m0 = migration_of(cluster, "mover");
  CHECK(m0->metadata.name.rfind("kubevirt-migrate-vm-", 0) == 0);
  CHECK(m0->metadata.labels.at("kubevirt.io/vmi-name") == "mover");
  CHECK(m0->metadata.has_finalizer("kubevirt.io/migrationJobFinalize"));
  // The transfer: from the source's startTimestamp to its completed.
  const double started = run_until_true(cluster, cluster.now() + 120, [&] {
    return vmi(cluster, "mover")->status.migrationState.contains("startTimestamp");
  }, 0.001);
  REQUIRE(started > 0);
  const double completed = run_until_true(cluster, started + 60, [&] {
    return vmi(cluster, "mover")->status.migrationState.value("completed", false);
  }, 0.001);
  REQUIRE(completed > 0);
  // The pre-copy model over the path between two nodes: two node links of 10 Gbit/s (1.25 GB/s)
  // and 0.2 ms each. SimGrid's default TCP model (LV08) gives 97% of the bandwidth, bounds a flow
  // by its 4 MiB window over the round trip (~5.1 GB/s here, so the link is what limits) and
  // multiplies the latency by 13.01 once per round.
  const double route_latency = 2 * 0.0002;
  const double path = 0.97 * std::min(10e9 / 8, 4194304.0 / (2 * route_latency));
  const double latency = 13.01 * route_latency;
  sim::kubevirt::PrecopyParams params{kGiB, cluster.profile().migration_dirty_rate, path,
                                      cluster.profile().migration_max_downtime};
  const auto model = sim::kubevirt::estimate_precopy(params);
  REQUIRE(model.converges);
  INFO("measured " << completed - started << " s, model " << model.seconds << " s in " << model.rounds.size()
                   << " rounds");
  CHECK(completed - started == Approx(model.seconds + latency * model.rounds.size()).epsilon(0.02));
  REQUIRE(run_until_true(cluster, completed + 30,
                         [&] { return migration_of(cluster, "mover")->status.phase == "Succeeded"; }) > 0);
  const auto m = migration_of(cluster, "mover");
  std::vector<std::string> phases;
  for (const auto& t : m->status.phaseTransitionTimestamps) phases.push_back(t.phase);
  CHECK(phases == std::vector<std::string>{"Pending", "Scheduling", "Scheduled", "PreparingTarget", "TargetReady",
                                           "Running", "Succeeded"});
  const auto after = vmi(cluster, "mover");
  CHECK(after->metadata.uid == before->metadata.uid);  // the same VMI: it was never restarted
  CHECK(after->status.phase == "Running");
  CHECK(after->status.nodeName != source);
  CHECK(after->metadata.labels.at("kubevirt.io/nodeName") == after->status.nodeName);
  const auto& ms = after->status.migrationState;
  CHECK(ms.value("sourceNode", "") == source);
  CHECK(ms.value("targetNode", "") == after->status.nodeName);
  CHECK(ms.value("mode", "") == "PreCopy");
  CHECK(ms.value("completed", false));
  CHECK_FALSE(ms.value("failed", false));
  CHECK(ms.value("migrationUid", "") == m->metadata.uid);
  CHECK(ms.contains("endTimestamp"));
  // The target pod carries the migration's UID.
  const auto target_pod = cluster.store().get<models::Pod>("default", ms.value("targetPod", ""));
  REQUIRE(target_pod);
  CHECK(target_pod->metadata.labels.at("kubevirt.io/migrationJobUID") == m->metadata.uid);
  CHECK(target_pod->spec.nodeName == after->status.nodeName);
  // The source virt-launcher exits once its domain has moved (containerStop later): its pod
  // stays, Succeeded, and `get pods` reads it Completed, not ready.
  const auto source_pod_name = ms.value("sourcePod", "");
  cluster.run_until(completed + 1);
  const auto source_pod = cluster.store().get<models::Pod>("default", source_pod_name);
  REQUIRE(source_pod);
  CHECK(source_pod->status.phase == "Succeeded");
  CHECK(first_record(cluster, "Pod", source_pod_name, "phase Running -> Succeeded") ==
        Approx(completed + cluster.profile().container_stop).margin(0.01));
  cluster.run_until(cluster.now() + 120);
  const auto pods = run_ok(exec, "get pods");
  const auto row = pods.find(source_pod_name + " ");
  REQUIRE(row != std::string::npos);
  const auto line = pods.substr(row, pods.find('\n', row) - row);
  CHECK_THAT(line, Catch::Contains(" 0/") && Catch::Contains(" Completed "));
  // The VMI's activePods lists every pod it controls (setActivePods): the Completed source too.
  CHECK(vmi(cluster, "mover")->status.activePods ==
        std::map<std::string, std::string>{{source_pod->metadata.uid, source}, {target_pod->metadata.uid, after->status.nodeName}});
  // The pod IP is now the target pod's.
  REQUIRE_FALSE(after->status.interfaces.empty());
  CHECK(after->status.interfaces[0].ipAddress == target_pod->status.podIP);
  const auto table = run_ok(exec, "get vmim");
  // Upstream's printer columns (PHASE, VMI), aligned as kubectl's tabwriter does (3 spaces of padding).
  CHECK(m->metadata.name.size() == 25);
  CHECK(table == "NAME                        PHASE       VMI\n" + m->metadata.name + "   Succeeded   mover\n");
  CHECK(run_ok(exec, "get virtualmachineinstancemigrations") == table);
  const auto described = run_ok(exec, "describe vmim " + m->metadata.name);
  // kubectl's generic describer: the spec and status as a tree.
  CHECK(described.find("Spec:\n  Vmi Name:  mover\n") != std::string::npos);
  CHECK(described.find("\n  Phase:") != std::string::npos);
  CHECK(described.find("Succeeded\n") != std::string::npos);
  CHECK(run_ok(exec, "describe vmi mover").find("Migration State:") != std::string::npos);
  // The Completed source pod goes with its VMI (garbage collection of the VMI's dependents).
  run_ok(exec, "delete vmi mover");
  CHECK(run_until_true(cluster, cluster.now() + 60,
                       [&] { return !cluster.store().get<models::Pod>("default", source_pod_name); }) > 0);
  cluster.shutdown();
}

TEST_CASE("six migrations at once: five run and the sixth waits Pending for a slot") {
  auto options = capped_options(64.0 * 1024 * 1024);  // 1 GiB takes 16 s
  options.profile.parallel_outbound_migrations_per_node = 10;  // only the cluster limit here
  sim::cluster::Cluster cluster(options);
  sim::commands::Executor exec(cluster);
  cluster.run_until(0);
  const std::vector<std::string> names{"vm-a", "vm-b", "vm-c", "vm-d", "vm-e", "vm-f"};
  for (const auto& n : names) apply_yaml(cluster, vmi_yaml(n, "1Gi"));
  REQUIRE(run_until_true(cluster, 180, [&] { return all_vmis_running(cluster, names); }) > 0);
  cluster.run_until(cluster.now() + 30);
  for (const auto& n : names) run_ok(exec, "migrate " + n);
  cluster.run_until(cluster.now() + 5);
  CHECK(count_phase(cluster, "Pending") == 1);
  CHECK(migrations(cluster).size() == 6);
  const auto waiting = [&] {
    for (const auto& m : migrations(cluster))
      if (m->status.phase == "Pending") return m->spec.vmiName;
    return std::string();
  }();
  CHECK(waiting == "vm-f");  // the last one asked for
  REQUIRE(run_until_true(cluster, cluster.now() + 300, [&] { return count_phase(cluster, "Succeeded") == 6; }) > 0);
  // The sixth started only once one of the first five had finished.
  double first_done = 1e300;
  for (const auto& m : migrations(cluster))
    if (m->spec.vmiName != "vm-f") first_done = std::min(first_done, phase_time(*m, "Succeeded"));
  CHECK(phase_time(*migration_of(cluster, "vm-f"), "Scheduling") >= first_done);
  cluster.shutdown();
}

TEST_CASE("three migrations out of one node: two run and the third waits Pending") {
  sim::cluster::Cluster cluster(capped_options(64.0 * 1024 * 1024));
  sim::commands::Executor exec(cluster);
  cluster.run_until(0);
  only_worker_1(exec);
  const std::vector<std::string> names{"vm-a", "vm-b", "vm-c"};
  for (const auto& n : names) apply_yaml(cluster, vmi_yaml(n, "1Gi"));
  REQUIRE(run_until_true(cluster, 180, [&] { return all_vmis_running(cluster, names); }) > 0);
  for (const auto& n : names) REQUIRE(vmi(cluster, n)->status.nodeName == "worker-1");
  all_workers(exec);
  cluster.run_until(cluster.now() + 30);
  for (const auto& n : names) run_ok(exec, "migrate " + n);
  cluster.run_until(cluster.now() + 5);
  CHECK(count_phase(cluster, "Pending") == 1);
  CHECK(migration_of(cluster, "vm-c")->status.phase == "Pending");
  REQUIRE(run_until_true(cluster, cluster.now() + 300, [&] { return count_phase(cluster, "Succeeded") == 3; }) > 0);
  for (const auto& n : names) CHECK(vmi(cluster, n)->status.nodeName != "worker-1");
  cluster.shutdown();
}

TEST_CASE("virt-api refuses to migrate a VMI whose PVC is not ReadWriteMany and creates nothing") {
  sim::cluster::Cluster cluster(kvsim::testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  cluster.run_until(0);
  apply_yaml(cluster, R"(
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: local}
provisioner: kubevirt.io.hostpath-provisioner
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: disk-rwo, namespace: default}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
  storageClassName: local
)");
  apply_yaml(cluster, vmi_yaml("pinned", "1Gi", "disk-rwo"));
  REQUIRE(run_until_true(cluster, 180, [&] { return all_vmis_running(cluster, {"pinned"}); }) > 0);
  cluster.run_until(cluster.now() + 30);
  const std::string why =
      "admission webhook \"migration-create-validator.kubevirt.io\" denied the request: Cannot migrate VMI, Reason: "
      "DisksNotLiveMigratable, Message: cannot migrate VMI: PVC disk-rwo is not shared, live migration requires that "
      "all PVCs must be shared (using ReadWriteMany access mode)";
  const auto out = exec.run("migrate pinned");
  CHECK(out.error == "Error migrating VirtualMachineInstance Internal error occurred: " + why);
  // The same refusal for a VirtualMachineInstanceMigration applied from a file.
  const std::string file = "/tmp/kvsim-migration-refused-" + std::to_string(::getpid()) + ".yaml";
  {
    std::ofstream f(file);
    f << "apiVersion: kubevirt.io/v1\nkind: VirtualMachineInstanceMigration\nmetadata: {name: m1, namespace: default}\n"
         "spec: {vmiName: pinned}\n";
  }
  const auto applied = exec.run("apply -f " + file);
  std::remove(file.c_str());
  CHECK(applied.error == "Error from server (BadRequest): " + why);
  CHECK(migrations(cluster).empty());
  // Not found and not running, as virtctl says them.
  CHECK(exec.run("migrate nothing").error ==
        "Error migrating VirtualMachine virtualmachine.kubevirt.io \"nothing\" not found");
  apply_yaml(cluster, R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: halted, namespace: default}
spec:
  runStrategy: Halted
  template:
    spec:
      domain: {devices: {}, memory: {guest: 1Gi}}
)");
  CHECK(exec.run("migrate halted").error ==
        "Error migrating VirtualMachine virtualmachineinstance.kubevirt.io \"halted\" not found");
  // A VM whose VMI cannot be scheduled (no node has 1000Gi): virt-api's 409.
  apply_yaml(cluster, R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: huge, namespace: default}
spec:
  runStrategy: Always
  template:
    spec:
      domain: {devices: {}, memory: {guest: 1000Gi}}
)");
  REQUIRE(run_until_true(cluster, cluster.now() + 30, [&] {
            auto v = vmi(cluster, "huge");
            return v && v->status.phase == "Scheduling";
          }) > 0);
  CHECK(exec.run("migrate huge").error ==
        "Error migrating VirtualMachine Operation cannot be fulfilled on virtualmachine.kubevirt.io \"huge\": VM is "
        "not running");
  CHECK(migrations(cluster).empty());
  cluster.shutdown();
}

TEST_CASE("deleting a running migration cancels it and the VMI stays on its source") {
  sim::cluster::Cluster cluster(capped_options(64.0 * 1024 * 1024));  // 4 GiB take 64 s
  sim::commands::Executor exec(cluster);
  cluster.run_until(0);
  apply_yaml(cluster, vmi_yaml("big", "4Gi"));
  REQUIRE(run_until_true(cluster, 180, [&] { return all_vmis_running(cluster, {"big"}); }) > 0);
  cluster.run_until(cluster.now() + 30);
  const auto source = vmi(cluster, "big")->status.nodeName;
  run_ok(exec, "migrate big");
  REQUIRE(run_until_true(cluster, cluster.now() + 120,
                         [&] { return migration_of(cluster, "big")->status.phase == "Running"; }) > 0);
  cluster.run_until(cluster.now() + 10);
  const auto m = migration_of(cluster, "big");
  const auto target_pod = vmi(cluster, "big")->status.migrationState.value("targetPod", "");
  CHECK(run_ok(exec, "delete vmim " + m->metadata.name) ==
        "virtualmachineinstancemigration.kubevirt.io \"" + m->metadata.name + "\" deleted\n");
  // Aborted within the monitor's poll, Failed, and then gone with its finalizer.
  REQUIRE(run_until_true(cluster, cluster.now() + 5, [&] { return !migration_of(cluster, "big"); }) > 0);
  const auto v = vmi(cluster, "big");
  CHECK(v->status.phase == "Running");
  CHECK(v->status.nodeName == source);
  CHECK(v->status.migrationState.value("failed", false));
  CHECK(v->status.migrationState.value("abortStatus", "") == "Succeeded");
  CHECK(v->status.migrationState.value("failureReason", "") == "Live migration aborted");
  CHECK_FALSE(v->metadata.labels.contains("kubevirt.io/migrationTargetNodeName"));
  REQUIRE(run_until_true(cluster, cluster.now() + 120,
                         [&] { return !cluster.store().get<models::Pod>("default", target_pod); }) > 0);
  CHECK(run_ok(exec, "get vmim") == "No resources found in default namespace.\n");
  cluster.shutdown();
}

TEST_CASE("a target node failing mid-migration fails it and the VMI keeps running on its source") {
  sim::cluster::Cluster cluster(capped_options(64.0 * 1024 * 1024));
  sim::commands::Executor exec(cluster);
  cluster.run_until(0);
  apply_yaml(cluster, vmi_yaml("big", "4Gi"));
  REQUIRE(run_until_true(cluster, 180, [&] { return all_vmis_running(cluster, {"big"}); }) > 0);
  cluster.run_until(cluster.now() + 30);
  const auto source = vmi(cluster, "big")->status.nodeName;
  run_ok(exec, "migrate big");
  REQUIRE(run_until_true(cluster, cluster.now() + 120,
                         [&] { return migration_of(cluster, "big")->status.phase == "Running"; }) > 0);
  cluster.run_until(cluster.now() + 10);
  const auto target = vmi(cluster, "big")->status.migrationState.value("targetNode", "");
  REQUIRE(!target.empty());
  run_ok(exec, "node fail " + target);
  const double failed_at = cluster.now();
  // The source's monitor sees the connection drop at its next look (0.1 s) and reports it.
  const double reported = run_until_true(cluster, failed_at + 10, [&] {
    return vmi(cluster, "big")->status.migrationState.value("failed", false);
  });
  REQUIRE(reported > 0);
  CHECK(reported - failed_at < 0.5);
  // virt-controller marks the migration Failed (after a leader failover when its leader ran there).
  REQUIRE(run_until_true(cluster, failed_at + 60,
                         [&] { return migration_of(cluster, "big")->status.phase == "Failed"; }) > 0);
  const auto v = vmi(cluster, "big");
  CHECK(v->status.phase == "Running");
  CHECK(v->status.nodeName == source);
  CHECK(v->status.migrationState.value("failed", false));
  CHECK(v->status.migrationState.value("failureReason", "").find("the connection to the target on " + target +
                                                                  " was lost") != std::string::npos);
  cluster.run_until(cluster.now() + 60);
  CHECK(all_vmis_running(cluster, {"big"}));
  CHECK(vmi(cluster, "big")->status.nodeName == source);
  cluster.shutdown();
}

TEST_CASE("a guest dirtying memory faster than the link can send is aborted after the progress timeout") {
  sim::cluster::Cluster cluster(capped_options(64.0 * 1024 * 1024));
  sim::commands::Executor exec(cluster);
  cluster.run_until(0);
  auto yaml = vmi_yaml("busy", "2Gi");  // completion timeout 450 s: the progress timeout comes first
  yaml.replace(yaml.find("metadata: {name: busy, namespace: default}"),
               std::string("metadata: {name: busy, namespace: default}").size(),
               "metadata: {name: busy, namespace: default, annotations: {kvsim.io/memory-dirty-rate: 128Mi}}");
  apply_yaml(cluster, yaml);
  REQUIRE(run_until_true(cluster, 180, [&] { return all_vmis_running(cluster, {"busy"}); }) > 0);
  cluster.run_until(cluster.now() + 30);
  run_ok(exec, "migrate busy");
  const double started = run_until_true(cluster, cluster.now() + 120, [&] {
    return vmi(cluster, "busy")->status.migrationState.contains("startTimestamp");
  });
  REQUIRE(started > 0);
  const double failed = run_until_true(cluster, started + 400, [&] {
    return vmi(cluster, "busy")->status.migrationState.value("failed", false);
  });
  REQUIRE(failed > 0);
  // The 2 GiB pass (32 s) is progress; the rounds after it never get below 2 GiB: stuck for 150 s.
  CHECK(failed - started == Approx(32 + 150).margin(1.5));
  CHECK(vmi(cluster, "busy")->status.migrationState.value("failureReason", "") ==
        "Live migration stuck for 150 sec and has been aborted");
  CHECK(all_vmis_running(cluster, {"busy"}));
  cluster.shutdown();
}

TEST_CASE("virtctl migrate of a VM: the VM reads Migrating while the pre-copy runs, then Running") {
  sim::cluster::Cluster cluster(capped_options(64.0 * 1024 * 1024));  // 2 GiB take 32 s
  sim::commands::Executor exec(cluster);
  cluster.run_until(0);
  apply_yaml(cluster, R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: web, namespace: default}
spec:
  runStrategy: Always
  template:
    spec:
      domain:
        devices:
          disks:
          - {name: containerdisk, disk: {bus: virtio}}
          interfaces:
          - {name: default, masquerade: {}}
        memory: {guest: 2Gi}
      networks:
      - {name: default, pod: {}}
      volumes:
      - {name: containerdisk, containerDisk: {image: quay.io/containerdisks/fedora:40}}
)");
  REQUIRE(run_until_true(cluster, 180, [&] { return all_vmis_running(cluster, {"web"}); }) > 0);
  cluster.run_until(cluster.now() + 30);
  auto status = [&] { return cluster.store().get<models::VirtualMachine>("default", "web")->status.printableStatus; };
  CHECK(status() == "Running");
  CHECK(run_ok(exec, "virtctl migrate web") == "VM web was scheduled to migrate\n");
  REQUIRE(run_until_true(cluster, cluster.now() + 120, [&] { return status() == "Migrating"; }) > 0);
  CHECK(exec.run("migrate-cancel nothing").error == "Found no migration to cancel for nothing");
  CHECK(run_ok(exec, "get vm web").find("Migrating") != std::string::npos);
  REQUIRE(run_until_true(cluster, cluster.now() + 120, [&] { return status() == "Running"; }) > 0);
  REQUIRE(run_until_true(cluster, cluster.now() + 30,
                         [&] { return migration_of(cluster, "web")->status.phase == "Succeeded"; }) > 0);
  CHECK(status() == "Running");
  cluster.shutdown();
}

TEST_CASE("virtctl migrate-cancel aborts the active migration") {
  sim::cluster::Cluster cluster(capped_options(64.0 * 1024 * 1024));
  sim::commands::Executor exec(cluster);
  cluster.run_until(0);
  apply_yaml(cluster, vmi_yaml("big", "4Gi"));
  REQUIRE(run_until_true(cluster, 180, [&] { return all_vmis_running(cluster, {"big"}); }) > 0);
  cluster.run_until(cluster.now() + 30);
  const auto source = vmi(cluster, "big")->status.nodeName;
  run_ok(exec, "migrate big");
  REQUIRE(run_until_true(cluster, cluster.now() + 120,
                         [&] { return migration_of(cluster, "big")->status.phase == "Running"; }) > 0);
  CHECK(run_ok(exec, "migrate-cancel big") == "VM big was scheduled to migrate-cancel\n");
  REQUIRE(run_until_true(cluster, cluster.now() + 5, [&] { return migrations(cluster).empty(); }) > 0);
  CHECK(vmi(cluster, "big")->status.nodeName == source);
  CHECK(vmi(cluster, "big")->status.migrationState.value("abortStatus", "") == "Succeeded");
  CHECK(exec.run("migrate-cancel big").error == "Found no migration to cancel for big");
  cluster.shutdown();
}
