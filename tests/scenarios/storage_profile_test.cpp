// Storage profiles (issue 20, item 7; containerized-data-importer pkg/storagecapabilities):
// a DataVolume written with the `storage:` API takes the access and volume modes it leaves
// out from its class's provisioner. On the default ODF RBD class
// (openshift-storage.rbd.csi.ceph.com) that is ReadWriteMany Block, so the VM booting
// from it is live-migratable; spec.pvc is taken as written.
#include "small_cluster.hpp"

#include <iterator>
#include <sstream>

#include "models/kubevirt.hpp"

using namespace kvsim;

namespace {

std::string vm_with_dv(const std::string& name, const std::string& dv_spec) {
  return R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: )" + name + R"(, namespace: default}
spec:
  runStrategy: Always
  dataVolumeTemplates:
  - metadata: {name: )" + name + R"(-dv}
    spec:
      )" + dv_spec + R"(
      source: {registry: {url: "docker://quay.io/containerdisks/fedora:40"}}
  template:
    spec:
      domain:
        devices: {disks: [{name: root, disk: {bus: virtio}}]}
        memory: {guest: 1Gi}
      volumes:
      - {name: root, dataVolume: {name: )" + name + R"(-dv}}
)";
}

// The row of `name` in a table, split into its columns.
std::vector<std::string> row_of(const std::string& table, const std::string& name) {
  std::istringstream lines(table);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind(name + " ", 0) == 0) {
      std::istringstream words(line);
      return {std::istream_iterator<std::string>(words), {}};
    }
  return {};
}

}  // namespace

TEST_CASE("a storage-API DataVolume on the ODF RBD class gets ReadWriteMany Block, and its VM is live-migratable") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  testing::apply_yaml(cluster, vm_with_dv("shared", "storage: {resources: {requests: {storage: 30Gi}}}"));
  testing::apply_yaml(cluster, vm_with_dv(
      "pinned", "pvc: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 30Gi}}}"));
  auto running = [&](const std::string& name) {
    auto v = cluster.store().get<models::VirtualMachineInstance>("default", name);
    return v && v->status.phase == "Running" && models::find_condition(v->status.conditions, "LiveMigratable");
  };
  REQUIRE(testing::run_until_true(cluster, 300, [&] { return running("shared") && running("pinned"); }, 0.5) > 0);

  // NAME STATUS VOLUME CAPACITY ACCESS MODES STORAGECLASS VOLUMEATTRIBUTESCLASS AGE VOLUMEMODE
  const auto pvcs = testing::run_ok(exec, "get pvc -o wide");
  const auto shared = row_of(pvcs, "shared-dv");
  REQUIRE(shared.size() == 9);
  CHECK(shared[1] == "Bound");
  CHECK(shared[4] == "RWX");
  CHECK(shared[5] == "ocs-storagecluster-ceph-rbd");
  CHECK(shared[8] == "Block");
  const auto pinned = row_of(pvcs, "pinned-dv");
  REQUIRE(pinned.size() == 9);
  CHECK(pinned[4] == "RWO");
  CHECK(pinned[8] == "Filesystem");

  // NAME AGE PHASE IP NODENAME READY LIVE-MIGRATABLE PAUSED
  const auto vmis = testing::run_ok(exec, "get vmi -o wide");
  const auto shared_vmi = row_of(vmis, "shared");
  REQUIRE(shared_vmi.size() >= 7);
  CHECK(shared_vmi[6] == "True");
  const auto pinned_vmi = row_of(vmis, "pinned");
  REQUIRE(pinned_vmi.size() >= 7);
  CHECK(pinned_vmi[6] == "False");
}
