// Golden images (issue 19 item 2): the DataSources of openshift-virtualization-os-images,
// backed by VolumeSnapshots as CDI keeps them on ODF's RBD class, clones from them through a
// DataVolume's sourceRef and clones of PVCs, with CDI's phases and events
// (containerized-data-importer v1.62 clone-controller-base.go), and a missing DataSource:
// CDI leaves a stand-alone DataVolume alone, KubeVirt v1.5's VM controller reports it as
// the VM's Failure condition (pkg/storage/types/dv.go GetResolvedCloneSource, vm.go).
#include "small_cluster.hpp"

#include "models/cdi.hpp"
#include "models/cdi_sources.hpp"
#include "models/volume_snapshot.hpp"

using namespace kvsim;

namespace {

constexpr const char* kImages = "openshift-virtualization-os-images";

std::string dv_cloning_source(const std::string& name, const std::string& source_ref) {
  return "apiVersion: cdi.kubevirt.io/v1beta1\nkind: DataVolume\nmetadata: {name: " + name +
         ", namespace: default}\nspec:\n  sourceRef: " + source_ref +
         "\n  storage: {resources: {requests: {storage: 30Gi}}}\n";
}

// When the trace first shows DataVolume `name` entering `phase`; -1 if never.
double dv_entered(sim::cluster::Cluster& c, const std::string& name, const std::string& phase) {
  return testing::first_record(c, "DataVolume", name, "-> " + phase);
}

std::string data_volume_events(sim::cluster::Cluster& c, const models::Object& o) {
  std::string text;
  for (const auto& e : c.store().events_for(o.metadata.uid)) text += *e->reason + ": " + *e->message + "\n";
  return text;
}

}  // namespace

TEST_CASE("the golden images are Ready DataSources in openshift-virtualization-os-images, backed by their cron's snapshot") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  cluster.run_until(0);
  for (const char* os : {"centos-stream10", "centos-stream9", "fedora", "rhel8", "rhel9"}) {
    INFO(os);
    auto ds = cluster.store().get<models::DataSource>(kImages, os);
    REQUIRE(ds);
    const auto* ready = models::find_condition(ds->status.conditions, "Ready");
    REQUIRE(ready);
    CHECK(ready->status == "True");
    CHECK(ready->reason == "Ready");
    CHECK(ready->message == "DataSource is ready to be consumed");
    REQUIRE(ds->spec.source.snapshot);
    REQUIRE(ds->status.source.snapshot);
    auto snapshot = cluster.store().get<models::VolumeSnapshot>(kImages, ds->spec.source.snapshot->name);
    REQUIRE(snapshot);
    CHECK(snapshot->ready());
    CHECK(ds->metadata.labels.at("instancetype.kubevirt.io/default-instancetype") == "u1.medium");
    CHECK(ds->metadata.labels.at("cdi.kubevirt.io/dataImportCron") == std::string(os) + "-image-cron");
  }
  CHECK(cluster.store().get<models::DataSource>(kImages, "rhel9")->metadata.labels.at(
            "instancetype.kubevirt.io/default-preference") == "rhel.9");
  // The imports' DataVolumes and PVCs are gone once their snapshots were ready.
  CHECK(cluster.store().list(models::PersistentVolumeClaim::kind_info(), kImages).empty());
  CHECK(cluster.store().list(models::DataVolume::kind_info(), kImages).empty());
  // SSP's DataSource for the Windows template: nothing provides its PVC.
  auto win = cluster.store().get<models::DataSource>(kImages, "win2k22");
  REQUIRE(win);
  const auto* win_ready = models::find_condition(win->status.conditions, "Ready");
  REQUIRE(win_ready);
  CHECK(win_ready->status == "False");
  CHECK(win_ready->reason == "NotFound");
  CHECK(win_ready->message == "PVC not found");

  const auto crons = testing::run_ok(exec, std::string("get dataimportcron -n ") + kImages);
  CHECK(crons.rfind("NAME                         FORMAT     AGE\n", 0) == 0);
  CHECK(crons.find("\nfedora-image-cron            snapshot   3d\n") != std::string::npos);
  const auto sources = testing::run_ok(exec, std::string("get das -n ") + kImages);
  CHECK(sources.rfind("NAME              AGE\n", 0) == 0);
  CHECK(sources.find("\nwin2k22           ") != std::string::npos);
  const auto snapshots = testing::run_ok(exec, std::string("get vs -n ") + kImages);
  CHECK(snapshots.rfind("NAME                           READYTOUSE   SOURCEPVC                      SOURCESNAPSHOTCONTENT   "
                        "RESTORESIZE   SNAPSHOTCLASS                            SNAPSHOTCONTENT", 0) == 0);
  const auto fedora_snapshot = cluster.store().get<models::VolumeSnapshot>(kImages, "fedora-e114260e51ec");
  REQUIRE(fedora_snapshot);
  CHECK(snapshots.find("\nfedora-e114260e51ec            true         fedora-e114260e51ec                                    5Gi"
                       "           ocs-storagecluster-rbdplugin-snapclass   snapcontent-" + fedora_snapshot->metadata.uid +
                       "   3d             3d\n") != std::string::npos);
}

TEST_CASE("a DataVolume cloning a golden image on the ODF RBD class goes CloneScheduled, CloneFromSnapshotSourceInProgress, Succeeded") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  cluster.run_until(0);
  const auto& profile = cluster.profile();
  testing::apply_yaml(cluster, dv_cloning_source("fedora-root", "{kind: DataSource, name: fedora, namespace: " +
                                                                 std::string(kImages) + "}"));
  REQUIRE(testing::run_until_true(cluster, 120, [&] {
            auto dv = cluster.store().get<models::DataVolume>("default", "fedora-root");
            return dv && dv->succeeded();
          }, 0.1) > 0);
  const double scheduled = dv_entered(cluster, "fedora-root", "CloneScheduled");
  const double restoring = dv_entered(cluster, "fedora-root", "CloneFromSnapshotSourceInProgress");
  const double done = dv_entered(cluster, "fedora-root", "Succeeded");
  REQUIRE(scheduled >= 0);
  CHECK(restoring - scheduled == Approx(profile.datavolume_clone_start));
  CHECK(done - restoring == Approx(profile.datavolume_csi_clone));
  CHECK(dv_entered(cluster, "fedora-root", "CloneInProgress") < 0);  // no host-assisted copy on RBD

  auto dv = cluster.store().get<models::DataVolume>("default", "fedora-root");
  const auto source = cluster.store().get<models::DataSource>(kImages, "fedora")->spec.source.snapshot->name;
  const std::string from = std::string(kImages) + "/" + source;
  const auto events = data_volume_events(cluster, *dv);
  CHECK(events.find("CloneScheduled: Cloning from " + from + " into default/fedora-root scheduled\n") != std::string::npos);
  CHECK(events.find("CloneFromSnapshotSourceInProgress: Creating PVC from snapshot source is in progress (for snapshot " +
                    from + ")\n") != std::string::npos);
  CHECK(events.find("CloneSucceeded: Successfully cloned from " + from + " into default/fedora-root\n") != std::string::npos);
  const auto row = testing::run_ok(exec, "get dv fedora-root");
  CHECK(row.find("fedora-root   Succeeded   100.0%     0          ") != std::string::npos);
}

TEST_CASE("virtctl create vm from a golden image without a size gets a claim of the snapshot's restoreSize and boots") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  cluster.run_until(0);
  // virtctl writes `storage: {resources: {}}`: CDI sizes the clone after its source.
  testing::run_ok(exec, "virtctl create vm --name fed --instancetype u1.medium --preference fedora "
                        "--volume-import type:ds,src:" + std::string(kImages) + "/fedora,name:rootdisk | apply -f -");
  REQUIRE(testing::run_until_true(cluster, 300, [&] { return testing::vmi_running(cluster, "fed"); }, 0.5) > 0);
  const auto snapshot = cluster.store().get<models::DataSource>(kImages, "fedora")->spec.source.snapshot->name;
  const auto restore_size = cluster.store().get<models::VolumeSnapshot>(kImages, snapshot)->status.restoreSize;
  REQUIRE(restore_size);
  auto claim = cluster.store().get<models::PersistentVolumeClaim>("default", "rootdisk");
  REQUIRE(claim);
  CHECK(claim->spec.resources.requests.at("storage") == *restore_size);
  CHECK(cluster.store().get<models::DataVolume>("default", "rootdisk")->succeeded());
  CHECK(testing::run_ok(exec, "get pvc rootdisk").find(" " + restore_size->text() + " ") != std::string::npos);
}

TEST_CASE("a spec.source.pvc clone is a CSI clone on ODF RBD and host-assisted (CloneInProgress) on a hostpath class") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  cluster.run_until(0);
  testing::apply_yaml(cluster, R"(
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: hostpath}
provisioner: kubevirt.io.hostpath-provisioner
volumeBindingMode: Immediate
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: base, namespace: default}
spec:
  accessModes: [ReadWriteMany]
  volumeMode: Block
  resources: {requests: {storage: 10Gi}}
---
apiVersion: cdi.kubevirt.io/v1beta1
kind: DataVolume
metadata: {name: fast, namespace: default}
spec:
  source: {pvc: {name: base, namespace: default}}
  storage: {resources: {requests: {storage: 10Gi}}}
---
apiVersion: cdi.kubevirt.io/v1beta1
kind: DataVolume
metadata: {name: slow, namespace: default}
spec:
  source: {pvc: {name: base}}
  storage: {storageClassName: hostpath, resources: {requests: {storage: 10Gi}}}
)");
  auto done = [&](const char* name) {
    auto dv = cluster.store().get<models::DataVolume>("default", name);
    return dv && dv->succeeded();
  };
  REQUIRE(testing::run_until_true(cluster, 200, [&] { return done("fast") && done("slow"); }, 0.5) > 0);
  const auto& profile = cluster.profile();
  const double csi = dv_entered(cluster, "fast", "CSICloneInProgress");
  REQUIRE(csi >= 0);
  CHECK(dv_entered(cluster, "fast", "Succeeded") - csi == Approx(profile.datavolume_csi_clone));
  const double host = dv_entered(cluster, "slow", "CloneInProgress");
  REQUIRE(host >= 0);
  CHECK(dv_entered(cluster, "slow", "Succeeded") - host == Approx(profile.datavolume_host_clone));
  CHECK(dv_entered(cluster, "slow", "CSICloneInProgress") < 0);
  auto pvc = cluster.store().get<models::PersistentVolumeClaim>("default", "slow");
  REQUIRE(pvc);
  CHECK(pvc->metadata.annotations.at("cdi.kubevirt.io/storage.cloneRequest") == "default/base");
  CHECK(data_volume_events(cluster, *cluster.store().get<models::DataVolume>("default", "fast"))
            .find("CSICloneInProgress: CSI Volume clone in progress (for pvc default/base)\n") != std::string::npos);
}

TEST_CASE("a clone of a PVC that does not exist waits with CDI's CloneWithoutSource event", "[bad-input]") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  cluster.run_until(0);
  testing::apply_yaml(cluster, "apiVersion: cdi.kubevirt.io/v1beta1\nkind: DataVolume\nmetadata: {name: orphan, "
                               "namespace: default}\nspec:\n  source: {pvc: {name: nowhere}}\n"
                               "  storage: {resources: {requests: {storage: 1Gi}}}\n");
  cluster.run_until(30);
  auto dv = cluster.store().get<models::DataVolume>("default", "orphan");
  REQUIRE(dv);
  CHECK(dv->status.phase.empty());
  CHECK_FALSE(cluster.store().get<models::PersistentVolumeClaim>("default", "orphan"));
  CHECK(data_volume_events(cluster, *dv) == "CloneWithoutSource: The source pvc nowhere doesn't exist\n");
}

TEST_CASE("a DataVolume whose DataSource is missing keeps no status and no claim until the DataSource exists") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  cluster.run_until(0);
  testing::apply_yaml(cluster, dv_cloning_source("waiting", "{kind: DataSource, name: mine}"));
  cluster.run_until(60);
  auto dv = cluster.store().get<models::DataVolume>("default", "waiting");
  REQUIRE(dv);
  CHECK(dv->status.phase.empty());
  CHECK(dv->status.conditions.empty());
  CHECK_FALSE(cluster.store().get<models::PersistentVolumeClaim>("default", "waiting"));
  // A DataSource of that name in the DataVolume's namespace, pointing at the fedora image.
  const auto source = cluster.store().get<models::DataSource>(kImages, "fedora")->spec.source.snapshot->name;
  testing::apply_yaml(cluster, "apiVersion: cdi.kubevirt.io/v1beta1\nkind: DataSource\nmetadata: {name: mine, "
                               "namespace: default}\nspec:\n  source: {snapshot: {name: " + source + ", namespace: " +
                               kImages + "}}\n");
  CHECK(testing::run_until_true(cluster, 120, [&] {
          auto d = cluster.store().get<models::DataVolume>("default", "waiting");
          return d && d->succeeded();
        }, 0.5) > 0);
}

TEST_CASE("a VM whose dataVolumeTemplate names a missing DataSource is Stopped with the Failure condition, then provisions") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  cluster.run_until(0);
  testing::apply_yaml(cluster, R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: golden, namespace: default}
spec:
  runStrategy: Always
  dataVolumeTemplates:
  - metadata: {name: golden-root}
    spec:
      sourceRef: {kind: DataSource, name: custom, namespace: default}
      storage: {resources: {requests: {storage: 30Gi}}}
  template:
    spec:
      domain:
        devices: {disks: [{name: root, disk: {bus: virtio}}]}
        memory: {guest: 2Gi}
      volumes:
      - {name: root, dataVolume: {name: golden-root}}
)");
  cluster.run_until(30);
  auto vm = cluster.store().get<models::VirtualMachine>("default", "golden");
  REQUIRE(vm);
  CHECK(vm->status.printableStatus == "Stopped");
  const auto* failure = models::find_condition(vm->status.conditions, "Failure");
  REQUIRE(failure);
  CHECK(failure->status == "True");
  CHECK(failure->reason == "FailedCreate");
  CHECK(failure->message == "Error encountered while creating DataVolumes: unable to create DataVolume manifest: "
                            "datasources.cdi.kubevirt.io \"custom\" not found");
  CHECK_FALSE(cluster.store().get<models::DataVolume>("default", "golden-root"));

  const auto source = cluster.store().get<models::DataSource>(kImages, "centos-stream9")->spec.source.snapshot->name;
  testing::apply_yaml(cluster, "apiVersion: cdi.kubevirt.io/v1beta1\nkind: DataSource\nmetadata: {name: custom, "
                               "namespace: default}\nspec:\n  source: {snapshot: {name: " + source + ", namespace: " +
                               kImages + "}}\n");
  bool saw_provisioning = false;
  const double running = testing::run_until_true(cluster, 300, [&] {
    auto v = cluster.store().get<models::VirtualMachine>("default", "golden");
    saw_provisioning = saw_provisioning || v->status.printableStatus == "Provisioning";
    return v->status.printableStatus == "Running";
  }, 0.2);
  CHECK(running > 0);
  CHECK(saw_provisioning);
  vm = cluster.store().get<models::VirtualMachine>("default", "golden");
  CHECK_FALSE(models::find_condition(vm->status.conditions, "Failure"));
  // The rendered DataVolume restores the DataSource's snapshot: KubeVirt replaced the sourceRef.
  auto dv = cluster.store().get<models::DataVolume>("default", "golden-root");
  REQUIRE(dv);
  CHECK(dv->spec.sourceRef.is_null());
  CHECK(dv->spec.source["snapshot"]["name"] == source);
  CHECK(dv->spec.source["snapshot"]["namespace"] == kImages);
}

TEST_CASE("the Windows template's VM waits Provisioning: its DataSource names a PVC nobody provided") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  cluster.run_until(0);
  testing::run_ok(exec, "process -n openshift windows2k22-server-medium -p NAME=win | apply -f -");
  cluster.run_until(30);
  auto vm = cluster.store().get<models::VirtualMachine>("default", "win");
  REQUIRE(vm);
  CHECK(vm->status.printableStatus == "Provisioning");
  std::string vm_events;
  for (const auto& e : cluster.store().events_for(vm->metadata.uid)) vm_events += *e->reason + ": " + *e->message + "\n";
  // KubeVirt v1.5 vm.go handleCloneDataVolume (its reason is spelt so upstream).
  CHECK(vm_events.find("SourcePVCNotAvailabe: Source PVC win2k22 not available: Target PVC win will remain unpopulated "
                       "until source is created\n") != std::string::npos);
  auto dv = cluster.store().get<models::DataVolume>("default", "win");
  REQUIRE(dv);
  CHECK(dv->status.phase.empty());
  CHECK(data_volume_events(cluster, *dv) == "CloneWithoutSource: The source pvc win2k22 doesn't exist\n");
}
