// Golden images (issue 19 item 2): the DataSources of openshift-virtualization-os-images,
// clones from them through a DataVolume's sourceRef with CDI's phases and events
// (containerized-data-importer v1.62 clone-controller-base.go), and a missing DataSource:
// CDI leaves a stand-alone DataVolume alone, KubeVirt v1.5's VM controller reports it as
// the VM's Failure condition (pkg/storage/types/dv.go GetResolvedCloneSource, vm.go).
#include "small_cluster.hpp"

#include "models/cdi.hpp"
#include "models/cdi_sources.hpp"

using namespace kvsim;

namespace {

constexpr const char* kImages = "openshift-virtualization-os-images";

std::string dv_from_source(const std::string& name, const std::string& source_ref) {
  return "apiVersion: cdi.kubevirt.io/v1beta1\nkind: DataVolume\nmetadata: {name: " + name +
         ", namespace: default}\nspec:\n  sourceRef: " + source_ref +
         "\n  storage: {resources: {requests: {storage: 30Gi}}}\n";
}

// When the trace first shows DataVolume `name` entering `phase`; -1 if never.
double entered(sim::cluster::Cluster& c, const std::string& name, const std::string& phase) {
  return testing::first_record(c, "DataVolume", name, "-> " + phase);
}

std::string event_messages(sim::cluster::Cluster& c, const models::Object& o) {
  std::string text;
  for (const auto& e : c.store().events_for(o.metadata.uid)) text += e->reason + ": " + e->message + "\n";
  return text;
}

}  // namespace

TEST_CASE("the golden images are DataSources in openshift-virtualization-os-images, Ready and backed by their cron's PVC") {
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
    REQUIRE(ds->spec.source.pvc);
    auto pvc = cluster.store().get<models::PersistentVolumeClaim>(kImages, ds->spec.source.pvc->name);
    REQUIRE(pvc);
    CHECK(pvc->status.phase == "Bound");
    CHECK(ds->metadata.labels.at("instancetype.kubevirt.io/default-instancetype") == "u1.medium");
    CHECK(ds->metadata.labels.at("cdi.kubevirt.io/dataImportCron") == std::string(os) + "-image-cron");
  }
  CHECK(cluster.store().get<models::DataSource>(kImages, "rhel9")->metadata.labels.at(
            "instancetype.kubevirt.io/default-preference") == "rhel.9");
  // SSP's DataSource for the Windows template: nothing provides its PVC.
  auto win = cluster.store().get<models::DataSource>(kImages, "win2k22");
  REQUIRE(win);
  const auto* win_ready = models::find_condition(win->status.conditions, "Ready");
  REQUIRE(win_ready);
  CHECK(win_ready->status == "False");
  CHECK(win_ready->reason == "NotFound");
  CHECK(win_ready->message == "PVC not found");

  const auto crons = testing::run_ok(exec, std::string("get dataimportcron -n ") + kImages);
  CHECK(crons.rfind("NAME                        FORMAT   AGE\n", 0) == 0);
  CHECK(crons.find("fedora-image-cron           pvc      ") != std::string::npos);
  const auto sources = testing::run_ok(exec, std::string("get das -n ") + kImages);
  CHECK(sources.rfind("NAME              AGE\n", 0) == 0);
  CHECK(sources.find("\nwin2k22           ") != std::string::npos);
}

TEST_CASE("a DataVolume cloning a DataSource on the ODF RBD class goes CloneScheduled, CSICloneInProgress, Succeeded") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  cluster.run_until(0);
  const auto& profile = cluster.profile();
  testing::apply_yaml(cluster, dv_from_source("fedora-root", "{kind: DataSource, name: fedora, namespace: " +
                                                                 std::string(kImages) + "}"));
  REQUIRE(testing::run_until_true(cluster, 120, [&] {
            auto dv = cluster.store().get<models::DataVolume>("default", "fedora-root");
            return dv && dv->succeeded();
          }, 0.1) > 0);
  const double scheduled = entered(cluster, "fedora-root", "CloneScheduled");
  const double csi = entered(cluster, "fedora-root", "CSICloneInProgress");
  const double done = entered(cluster, "fedora-root", "Succeeded");
  REQUIRE(scheduled >= 0);
  CHECK(csi - scheduled == Approx(profile.datavolume_clone_start));
  CHECK(done - csi == Approx(profile.datavolume_csi_clone));
  CHECK(entered(cluster, "fedora-root", "CloneInProgress") < 0);  // no host-assisted copy on RBD

  auto dv = cluster.store().get<models::DataVolume>("default", "fedora-root");
  const auto source = cluster.store().get<models::DataSource>(kImages, "fedora")->spec.source.pvc->name;
  const std::string from = std::string(kImages) + "/" + source;
  const auto events = event_messages(cluster, *dv);
  CHECK(events.find("CloneScheduled: Cloning from " + from + " into default/fedora-root scheduled\n") != std::string::npos);
  CHECK(events.find("CSICloneInProgress: CSI Volume clone in progress (for pvc " + from + ")\n") != std::string::npos);
  CHECK(events.find("CloneSucceeded: Successfully cloned from " + from + " into default/fedora-root\n") != std::string::npos);
  const auto row = testing::run_ok(exec, "get dv fedora-root");
  CHECK(row.find("fedora-root   Succeeded   100.0%     0          ") != std::string::npos);
}

TEST_CASE("a spec.source.pvc clone onto a class without CSI clones is host-assisted: CloneInProgress") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  cluster.run_until(0);
  testing::apply_yaml(cluster, R"(
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: hostpath}
provisioner: kubevirt.io.hostpath-provisioner
volumeBindingMode: Immediate
---
apiVersion: cdi.kubevirt.io/v1beta1
kind: DataVolume
metadata: {name: copy, namespace: default}
spec:
  source: {pvc: {name: fedora-e6b5ef0a4dd8, namespace: openshift-virtualization-os-images}}
  storage: {storageClassName: hostpath, resources: {requests: {storage: 10Gi}}}
)");
  const auto source = cluster.store().get<models::DataSource>(kImages, "fedora")->spec.source.pvc->name;
  REQUIRE(source == "fedora-e6b5ef0a4dd8");  // the name the manifest above clones
  REQUIRE(testing::run_until_true(cluster, 200, [&] {
            auto dv = cluster.store().get<models::DataVolume>("default", "copy");
            return dv && dv->succeeded();
          }, 0.5) > 0);
  const double host = entered(cluster, "copy", "CloneInProgress");
  REQUIRE(host >= 0);
  CHECK(entered(cluster, "copy", "Succeeded") - host == Approx(cluster.profile().datavolume_host_clone));
  CHECK(entered(cluster, "copy", "CSICloneInProgress") < 0);
  auto pvc = cluster.store().get<models::PersistentVolumeClaim>("default", "copy");
  REQUIRE(pvc);
  CHECK(pvc->metadata.annotations.at("cdi.kubevirt.io/storage.cloneRequest") ==
        std::string(kImages) + "/fedora-e6b5ef0a4dd8");
}

TEST_CASE("a DataVolume whose DataSource is missing keeps no status and no claim until the DataSource exists") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  cluster.run_until(0);
  testing::apply_yaml(cluster, dv_from_source("waiting", "{kind: DataSource, name: mine}"));
  cluster.run_until(60);
  auto dv = cluster.store().get<models::DataVolume>("default", "waiting");
  REQUIRE(dv);
  CHECK(dv->status.phase.empty());
  CHECK(dv->status.conditions.empty());
  CHECK_FALSE(cluster.store().get<models::PersistentVolumeClaim>("default", "waiting"));
  // A DataSource of that name in the DataVolume's namespace, pointing at the fedora image.
  const auto source = cluster.store().get<models::DataSource>(kImages, "fedora")->spec.source.pvc->name;
  testing::apply_yaml(cluster, "apiVersion: cdi.kubevirt.io/v1beta1\nkind: DataSource\nmetadata: {name: mine, "
                               "namespace: default}\nspec:\n  source: {pvc: {name: " + source + ", namespace: " +
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

  const auto source = cluster.store().get<models::DataSource>(kImages, "centos-stream9")->spec.source.pvc->name;
  testing::apply_yaml(cluster, "apiVersion: cdi.kubevirt.io/v1beta1\nkind: DataSource\nmetadata: {name: custom, "
                               "namespace: default}\nspec:\n  source: {pvc: {name: " + source + ", namespace: " +
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
  // The rendered DataVolume clones the DataSource's PVC: KubeVirt replaced the sourceRef.
  auto dv = cluster.store().get<models::DataVolume>("default", "golden-root");
  REQUIRE(dv);
  CHECK(dv->spec.sourceRef.is_null());
  CHECK(dv->spec.source["pvc"]["name"] == source);
}
