// What a running VMI's status shows, field by field, as KubeVirt v1.5 fills it (issue 20 item 11;
// FIDELITY.md §10): virt-api's mutator (memory, currentCPUTopology), the VM controller
// (virtualMachineRevisionName), virt-controller (conditions from the launcher pod, qosClass,
// launcherContainerImageVersion, volumeStatus) and virt-handler (machine, disk targets,
// migrationMethod, StorageLiveMigratable). One simulation per TEST_CASE.
#include <catch2/catch.hpp>

#include "models/kubevirt.hpp"
#include "tests/scenarios/small_cluster.hpp"

using namespace kvsim;
using kvsim::testing::apply_yaml;
using kvsim::testing::run_ok;
using kvsim::testing::run_until_true;
using kvsim::testing::vmi;

namespace {

const char* kAppVm = R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: app, namespace: default}
spec:
  runStrategy: Always
  template:
    spec:
      domain:
        cpu: {cores: 2}
        devices:
          disks:
          - {name: rootdisk, disk: {bus: virtio}}
          - {name: cloudinitdisk, disk: {bus: virtio}}
        resources: {requests: {memory: 1Gi}}
      volumes:
      - {name: rootdisk, containerDisk: {image: quay.io/containerdisks/fedora:40}}
      - {name: cloudinitdisk, cloudInitNoCloud: {userData: "#cloud-config"}}
)";

bool has_condition(const models::VirtualMachineInstance& v, const std::string& type) {
  return models::find_condition(v.status.conditions, type) != nullptr;
}

}  // namespace

TEST_CASE("a running VMI's status: memory, CPU topology, machine, volumes, QoS, launcher image, revision, migration") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  cluster.run_until(0);
  apply_yaml(cluster, kAppVm);
  REQUIRE(run_until_true(cluster, 60, [&] {
            auto v = vmi(cluster, "app");
            return v && v->status.phase == "Running" && has_condition(*v, "LiveMigratable");
          }) > 0);
  auto v = vmi(cluster, "app");
  auto vm = cluster.store().get<models::VirtualMachine>("default", "app");
  const auto yaml = run_ok(ex, "get vmi app -o yaml");
  INFO(yaml);

  // Scheduled, so PodScheduled is gone; Ready from the pod; both migratable conditions True.
  CHECK_FALSE(has_condition(*v, "PodScheduled"));
  CHECK(models::find_condition(v->status.conditions, "Ready")->status == "True");
  const auto* storage = models::find_condition(v->status.conditions, "StorageLiveMigratable");
  REQUIRE(storage);
  CHECK(storage->status == "True");
  // A containerDisk and a cloud-init disk live on the node: their contents move with the guest.
  CHECK(v->status.migrationMethod == "BlockMigration");
  CHECK(yaml.find("  migrationMethod: BlockMigration\n") != std::string::npos);

  // The mutator's starting values; the guest asked 1Gi and 2 cores (1 socket, 1 thread by default).
  CHECK(v->status.memory == models::Json{{"guestAtBoot", "1Gi"}, {"guestCurrent", "1Gi"}, {"guestRequested", "1Gi"}});
  CHECK(v->status.currentCPUTopology == models::Json{{"cores", 2}, {"sockets", 1}, {"threads", 1}});
  CHECK(yaml.find("  currentCPUTopology:\n    cores: 2\n    sockets: 1\n    threads: 1\n") != std::string::npos);
  // libvirt's name for q35 on OpenShift 4.19's RHEL 9.6 qemu-kvm.
  CHECK(yaml.find("  machine:\n    type: pc-q35-rhel9.6.0\n") != std::string::npos);

  // The launcher pod's QoS class and compute image.
  std::shared_ptr<const models::Pod> pod;
  for (const auto& o : cluster.store().owned_by(v->metadata.uid))
    if (o->kind == "Pod") pod = std::static_pointer_cast<const models::Pod>(o);
  REQUIRE(pod);
  CHECK(v->status.qosClass == "Burstable");
  CHECK(v->status.launcherContainerImageVersion == pod->spec.containers.front().image);
  CHECK(v->status.launcherContainerImageVersion.find("virt-launcher") != std::string::npos);

  // One volume status per volume, sorted by name, each with the domain's device; the
  // containerDisk with virt-handler's crc32 (IEEE), here of its image reference
  // (zlib.crc32(b"quay.io/containerdisks/fedora:40") == 724286893).
  CHECK(v->status.volumeStatus == models::Json::parse(R"([{"name":"cloudinitdisk","target":"vdb"},
                                                          {"name":"rootdisk","target":"vda",
                                                           "containerDiskVolume":{"checksum":724286893}}])"));
  CHECK(yaml.find("containerDiskVolume:\n      checksum: 724286893") != std::string::npos);

  // The VM's ControllerRevision the VMI started from: revision-start-vm-<VM UID>-<generation>.
  CHECK(v->status.virtualMachineRevisionName == "revision-start-vm-" + vm->metadata.uid + "-1");
  cluster.shutdown();
}

TEST_CASE("PodScheduled shows on a VMI only while its launcher pod cannot be scheduled") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  cluster.run_until(0);
  auto big = testing::vm_yaml("big");
  big.replace(big.find("memory: 128Mi"), 13, "memory: 900Gi");
  apply_yaml(cluster, big);
  REQUIRE(run_until_true(cluster, 30, [&] {
            auto v = vmi(cluster, "big");
            return v && has_condition(*v, "PodScheduled");
          }) > 0);
  const auto* c = models::find_condition(vmi(cluster, "big")->status.conditions, "PodScheduled");
  CHECK(c->status == "False");
  CHECK(c->reason == "Unschedulable");
  // The VM controller reads it as printableStatus ErrorUnschedulable at its next sync.
  CHECK(run_until_true(cluster, cluster.now() + 5, [&] {
          return cluster.store().get<models::VirtualMachine>("default", "big")->status.printableStatus == "ErrorUnschedulable";
        }) > 0);
  CHECK(run_ok(ex, "get vm big").find("ErrorUnschedulable") != std::string::npos);
  // No StorageLiveMigratable before the VMI runs: virt-handler computes it for a running domain.
  CHECK_FALSE(has_condition(*vmi(cluster, "big"), "StorageLiveMigratable"));
  cluster.shutdown();
}

TEST_CASE("a bridge on the pod network blocks storage live migration too, with the reason in the message") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  cluster.run_until(0);
  auto yaml = testing::vm_yaml("bridged");
  yaml += "      networks: [{name: default, pod: {}}]\n";
  yaml.replace(yaml.find("          disks:"), 0, "          interfaces: [{name: default, bridge: {}}]\n");
  apply_yaml(cluster, yaml);
  REQUIRE(run_until_true(cluster, 60, [&] {
            auto v = vmi(cluster, "bridged");
            return v && has_condition(*v, "StorageLiveMigratable");
          }) > 0);
  const auto* c = models::find_condition(vmi(cluster, "bridged")->status.conditions, "StorageLiveMigratable");
  CHECK(c->status == "False");
  CHECK(c->reason == "NotMigratable");
  CHECK(c->message ==
        "InterfaceNotLiveMigratable: cannot migrate VMI which does not use masquerade, bridge with "
        "kubevirt.io/allow-pod-bridge-network-live-migration VM annotation or a migratable plugin to connect to the "
        "pod network");
  cluster.shutdown();
}
