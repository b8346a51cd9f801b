// Volumes of a VMI, pure (FIDELITY.md §7): what keeps the launcher pod from
// being rendered, the printableStatus the volumes imply in upstream's order,
// and the claim CDI creates for a DataVolume.
#include <catch2/catch.hpp>

#include "models/manifest.hpp"
#include "sim/kubevirt/launcher_pod.hpp"
#include "sim/kubevirt/storage/cdi_controller.hpp"
#include "sim/kubevirt/storage/vm_data_volumes.hpp"
#include "sim/kubevirt/storage/vmi_volumes.hpp"

using namespace kvsim;
using namespace kvsim::sim::kubevirt;

namespace {

std::vector<models::KvVolume> volumes() {
  std::vector<models::KvVolume> v(3);
  v[0].name = "rootdisk";
  v[0].persistentVolumeClaim = models::KvPVCSource{"disk-alpine", {}, {}};
  v[1].name = "data";
  v[1].dataVolume = models::DataVolumeSource{"alpine-dv", {}};
  v[2].name = "containerdisk";
  v[2].containerDisk = models::ContainerDiskSource{"quay.io/containerdisks/fedora:40", {}, {}, {}};
  return v;
}

models::PersistentVolumeClaim claim(const std::string& phase) {
  models::PersistentVolumeClaim c;
  c.status.phase = phase;
  return c;
}

models::DataVolume dv(const std::string& phase) {
  models::DataVolume d;
  d.status.phase = phase;
  return d;
}

}  // namespace

TEST_CASE("a missing claim is FailedPvcNotFound, an importing DataVolume makes the pod wait") {
  struct Row {
    const char* pvc;     // phase of disk-alpine, "" = missing
    const char* dv_pvc;  // phase of alpine-dv's claim, "" = missing
    const char* dv;      // phase of the DataVolume alpine-dv, "-" = missing
    const char* missing;
    const char* waiting;
  };
  const Row rows[] = {
      {"Bound", "Bound", "Succeeded", "", ""},
      {"", "Bound", "Succeeded", "PVC default/disk-alpine does not exist, waiting for it to appear", ""},
      {"Bound", "", "-", "PVC default/alpine-dv does not exist, waiting for it to appear", ""},
      // CDI has not made the claim yet, but the DataVolume is there: wait, nothing is missing.
      {"Bound", "", "Pending", "", "DataVolume alpine-dv is Pending"},
      {"Pending", "Bound", "ImportInProgress", "", "DataVolume alpine-dv is ImportInProgress"},
  };
  for (const auto& row : rows) {
    INFO(row.pvc << " " << row.dv_pvc << " " << row.dv);
    const auto pvc = claim(row.pvc), dv_pvc = claim(row.dv_pvc);
    const auto data = dv(row.dv);
    auto c = storage::check_vmi_volumes(
        volumes(), "default",
        [&](const std::string& n) -> const models::PersistentVolumeClaim* {
          if (n == "disk-alpine") return *row.pvc ? &pvc : nullptr;
          return *row.dv_pvc ? &dv_pvc : nullptr;
        },
        [&](const std::string&) -> const models::DataVolume* { return std::string(row.dv) == "-" ? nullptr : &data; });
    CHECK(c.missing_pvc == row.missing);
    CHECK(c.waiting_for == row.waiting);
  }
}

TEST_CASE("Provisioning and WaitingForVolumeBinding slot into upstream's printableStatus order") {
  struct Row {
    const char* base;
    bool provisioning, unbound, set_to_start;
    const char* status;
  };
  const Row rows[] = {
      {"Starting", true, false, true, "Provisioning"},
      {"Stopped", true, false, false, "Provisioning"},  // a Halted VM's DataVolume still imports
      {"Starting", false, true, true, "WaitingForVolumeBinding"},
      {"Stopped", false, true, false, "Stopped"},  // only a VM set to start waits for binding
      {"Starting", true, true, true, "Provisioning"},
      {"ErrImagePull", false, true, true, "WaitingForVolumeBinding"},
      {"CrashLoopBackOff", true, false, true, "Provisioning"},
      // Statuses ahead of them in the order win.
      {"Running", true, true, true, "Running"},
      {"ErrorUnschedulable", true, true, true, "ErrorUnschedulable"},
      {"ErrorPvcNotFound", false, true, true, "ErrorPvcNotFound"},
      {"Stopping", true, false, true, "Stopping"},
      {"Terminating", true, false, true, "Terminating"},
      {"Starting", false, false, true, "Starting"},
  };
  for (const auto& row : rows) {
    INFO(row.base);
    CHECK(storage::with_volume_status(row.base, {row.provisioning, row.unbound}, row.set_to_start) == row.status);
  }
}

TEST_CASE("DataVolumeError ranks below ErrorPvcNotFound and above ErrorUnschedulable and Provisioning") {
  // vm.go setPrintableStatus (KubeVirt v1.5): ... Running, ErrorPvcNotFound, DataVolumeError,
  // ErrorUnschedulable, Provisioning, WaitingForVolumeBinding, ErrImagePull ... Stopped.
  const storage::VolumeStatus error{true, false, true};
  CHECK(storage::with_volume_status("Starting", error, true) == "DataVolumeError");
  CHECK(storage::with_volume_status("Stopped", error, false) == "DataVolumeError");
  CHECK(storage::with_volume_status("ErrorUnschedulable", error, true) == "DataVolumeError");
  CHECK(storage::with_volume_status("ErrorPvcNotFound", error, true) == "ErrorPvcNotFound");
  CHECK(storage::with_volume_status("Running", error, true) == "Running");
  CHECK(storage::with_volume_status("Starting", {true, false, false}, true) == "Provisioning");
}

TEST_CASE("CDI's claim for a DataVolume: its name, spec and owner") {
  auto loaded = models::load_manifests(R"(
apiVersion: cdi.kubevirt.io/v1beta1
kind: DataVolume
metadata: {name: alpine-dv, namespace: default, uid: dv-uid}
spec:
  source: {registry: {url: "docker://quay.io/kubevirt/alpine-container-disk-demo"}}
  storage:
    resources: {requests: {storage: 2Gi}}
    storageClassName: local
)", "dv.yaml");
  for (const auto& p : loaded.problems) FAIL(p.str());
  const auto& dv = static_cast<const models::DataVolume&>(*loaded.objects.front());
  CHECK(dv.spec.source_type() == "registry");
  auto pvc = storage::data_volume_claim(dv, nullptr);  // class `local` unknown here: the RWO fallback
  CHECK(pvc->metadata.name == "alpine-dv");
  CHECK(pvc->spec.accessModes == std::vector<std::string>{"ReadWriteOnce"});
  CHECK(pvc->spec.storageClassName == std::optional<std::string>("local"));
  CHECK(pvc->spec.resources.requests.at("storage").units_ceil() == 2LL << 30);
  REQUIRE(pvc->metadata.controller_ref());
  CHECK(pvc->metadata.controller_ref()->kind == "DataVolume");
  CHECK(pvc->metadata.annotations.at("cdi.kubevirt.io/storage.import.source") == "registry");
}

TEST_CASE("DataVolumes are validated as CDI's webhook does") {
  struct Row {
    const char* spec;
    const char* problem;
  };
  const Row rows[] = {
      {"{pvc: {accessModes: [ReadWriteOnce]}}", "Data volume should have either Source or SourceRef"},
      {"{source: {blank: {}}}", "Missing Data volume PVC or Storage"},
      {"{source: {blank: {}, http: {url: x}}, storage: {}}", "Data volume source can only have one source type"},
      {"{source: {blank: {}}, storage: {}, checkpoints: []}", "checkpoints"},
  };
  for (const auto& row : rows) {
    auto loaded = models::load_manifests(std::string("apiVersion: cdi.kubevirt.io/v1beta1\nkind: DataVolume\n"
                                                     "metadata: {name: d, namespace: default}\nspec: ") + row.spec + "\n",
                                         "dv.yaml");
    INFO(row.spec);
    REQUIRE_FALSE(loaded.problems.empty());
    CHECK_THAT(loaded.problems.front().str(), Catch::Contains(row.problem));
  }
}

TEST_CASE("a dataVolumeTemplates entry renders a DataVolume owned by the VM, and the launcher pod mounts its claim") {
  auto loaded = models::load_manifests(R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: vm-alpine-datavolume, namespace: default, uid: vm-uid}
spec:
  runStrategy: Halted
  dataVolumeTemplates:
  - metadata: {name: alpine-dv}
    spec:
      pvc: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 2Gi}}, storageClassName: local}
      source: {registry: {url: "docker://registry:5000/kubevirt/alpine-container-disk-demo:devel"}}
  template:
    spec:
      domain:
        devices: {disks: [{name: datavolumedisk1, disk: {bus: virtio}}]}
        memory: {guest: 128Mi}
      volumes:
      - {name: datavolumedisk1, dataVolume: {name: alpine-dv}}
)", "vm.yaml");
  for (const auto& p : loaded.problems) FAIL(p.str());
  const auto& vm = static_cast<const models::VirtualMachine&>(*loaded.objects.front());
  std::string error;
  auto dv = storage::data_volume_from_template(vm, vm.spec.dataVolumeTemplates.front(), error);
  REQUIRE(dv);
  CHECK(error.empty());
  CHECK(dv->metadata.namespace_ == "default");
  CHECK(dv->spec.source_type() == "registry");
  REQUIRE(dv->metadata.controller_ref());
  CHECK(dv->metadata.controller_ref()->uid == "vm-uid");
  models::VirtualMachineInstance vmi;
  vmi.metadata.name = "vm-alpine-datavolume";
  vmi.spec = vm.spec.template_.spec;
  auto pod = launcher_pod(vmi);
  REQUIRE(pod->spec.volumes.size() == 1);
  CHECK(pod->spec.volumes.front().name == "datavolumedisk1");
  REQUIRE(pod->spec.volumes.front().persistentVolumeClaim);
  CHECK(pod->spec.volumes.front().persistentVolumeClaim->claimName == "alpine-dv");
}
