// Storage end to end (FIDELITY §7, upstream persistent-volumes and
// storage-classes docs): dynamic provisioning with the default class,
// WaitForFirstConsumer, the scheduler's volume messages, RWO multi-attach,
// reclaim Delete vs Retain, and pvc-protection. One simulation per TEST_CASE.
#include "models/storage.hpp"
#include "small_cluster.hpp"

using namespace kvsim;
using testing::apply_yaml;
using testing::pod;
using testing::pod_running;
using testing::run_ok;
using testing::run_until_true;

namespace {

std::shared_ptr<const models::PersistentVolumeClaim> claim(sim::cluster::Cluster& c, const std::string& name) {
  return c.store().get<models::PersistentVolumeClaim>("default", name);
}

bool phase_is(sim::cluster::Cluster& c, const std::string& pvc, const char* phase) {
  auto p = claim(c, pvc);
  return p && p->status.phase == phase;
}

// The messages of the events recorded for an object, with their reasons.
std::vector<std::string> event_reasons(sim::cluster::Cluster& c, const models::Object& o) {
  std::vector<std::string> out;
  for (const auto& e : c.store().events_for(o.metadata.uid)) out.push_back(*e->reason + ": " + *e->message);
  return out;
}

bool has_event(sim::cluster::Cluster& c, const models::Object& o, const std::string& text) {
  for (const auto& e : event_reasons(c, o))
    if (e == text) return true;
  return false;
}

std::string claim_yaml(const std::string& name, const std::string& extra = "", const char* mode = "ReadWriteOnce") {
  return "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: " + name + "}\nspec:\n  accessModes: [" + mode +
         "]\n  resources: {requests: {storage: 10Gi}}\n" + extra;
}

std::string pod_yaml(const std::string& name, const std::string& claim_name, const std::string& node = "") {
  std::string y = "apiVersion: v1\nkind: Pod\nmetadata: {name: " + name + ", labels: {app: db}}\nspec:\n";
  if (!node.empty()) y += "  nodeSelector: {kubernetes.io/hostname: " + node + "}\n";
  y += "  terminationGracePeriodSeconds: 5\n"
       "  containers: [{name: db, image: quay.io/fedora/postgresql-16:latest, volumeMounts: [{name: data, mountPath: "
       "/var/lib/pgsql}]}]\n"
       "  volumes: [{name: data, persistentVolumeClaim: {claimName: " +
       claim_name + "}}]\n";
  return y;
}

}  // namespace

TEST_CASE("a claim without a class gets the default class and is provisioned and bound") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  const auto& p = cluster.profile();
  CHECK(run_ok(ex, "get sc") ==
        "NAME                                    PROVISIONER                          RECLAIMPOLICY   VOLUMEBINDINGMODE   "
        "ALLOWVOLUMEEXPANSION   AGE\n"
        "ocs-storagecluster-ceph-rbd (default)   openshift-storage.rbd.csi.ceph.com   Delete          Immediate           "
        "true                   3d\n");  // created with the cluster, clusterAge ago
  apply_yaml(cluster, claim_yaml("data"));
  auto pvc = claim(cluster, "data");
  REQUIRE(pvc);
  CHECK(pvc->spec.storageClassName == "ocs-storagecluster-ceph-rbd");  // DefaultStorageClass admission
  CHECK(pvc->metadata.finalizers == std::vector<std::string>{"kubernetes.io/pvc-protection"});
  const double bound = run_until_true(cluster, 30, [&] { return phase_is(cluster, "data", "Bound"); });
  // PV controller sees the claim, hands it over; the provisioner sees that, provisions; the PV
  // controller sees the PV and binds both.
  CHECK(bound == Approx(3 * p.watch_latency + p.volume_provisioning).margin(0.011));
  pvc = claim(cluster, "data");
  const auto pv_name = "pvc-" + pvc->metadata.uid;
  CHECK(pvc->spec.volumeName == pv_name);
  auto pv = cluster.store().get<models::PersistentVolume>("", pv_name);
  REQUIRE(pv);
  CHECK(pv->status.phase == "Bound");
  CHECK(pv->spec.persistentVolumeReclaimPolicy == "Delete");
  CHECK(pv->metadata.annotations.at("pv.kubernetes.io/provisioned-by") == "openshift-storage.rbd.csi.ceph.com");
  CHECK(has_event(cluster, *pvc,
                  "ExternalProvisioning: Waiting for a volume to be created either by the external provisioner "
                  "'openshift-storage.rbd.csi.ceph.com' or manually by the system administrator. If volume creation "
                  "is delayed, please verify that the provisioner is running and correctly registered."));
  CHECK(has_event(cluster, *pvc, "Provisioning: External provisioner is provisioning volume for claim \"default/data\""));
  CHECK(has_event(cluster, *pvc, "ProvisioningSucceeded: Successfully provisioned volume " + pv_name));
  cluster.run_until(60);
  CHECK(run_ok(ex, "get pvc") ==
        "NAME   STATUS   VOLUME                                     CAPACITY   ACCESS MODES   STORAGECLASS                  "
        "VOLUMEATTRIBUTESCLASS   AGE\n"
        "data   Bound    " + pv_name + "   10Gi       RWO            ocs-storagecluster-ceph-rbd   <unset>                 60s\n");
  const auto described = run_ok(ex, "describe pvc data");
  CHECK(described.find("Status:        Bound\n") != std::string::npos);
  CHECK(described.find("Finalizers:    [kubernetes.io/pvc-protection]\n") != std::string::npos);
  CHECK(described.find("Used By:       <none>\n") != std::string::npos);
  cluster.shutdown();
}

TEST_CASE("WaitForFirstConsumer: nothing is provisioned until a pod is scheduled, then on that pod's node") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  const auto& p = cluster.profile();
  apply_yaml(cluster, R"(
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: lvms-vg1}
provisioner: topolvm.io
volumeBindingMode: WaitForFirstConsumer
)");
  apply_yaml(cluster, claim_yaml("data", "  storageClassName: lvms-vg1\n"));
  cluster.run_until(20);
  auto pvc = claim(cluster, "data");
  CHECK(pvc->status.phase == "Pending");
  CHECK(cluster.store().list(models::PersistentVolume::kind_info()).empty());
  // Events repeat at each resync of the PV controller (15 s).
  const auto waits = cluster.store().events_for(pvc->metadata.uid);
  REQUIRE(waits.size() == 1);
  CHECK(waits[0]->reason == "WaitForFirstConsumer");
  CHECK(waits[0]->message == "waiting for first consumer to be created before binding");
  CHECK(waits[0]->count == 2);
  apply_yaml(cluster, pod_yaml("db", "data", "worker-2"));
  const double t = cluster.now();
  const double bound = run_until_true(cluster, 60, [&] { return phase_is(cluster, "data", "Bound"); });
  // The scheduler (watch + cycle) writes the node; the binder hands the claim to the provisioner,
  // which sees that and provisions; the binder sees the PV and binds.
  CHECK(bound - t == Approx(4 * p.watch_latency + p.scheduler_latency + p.volume_provisioning).margin(0.011));
  pvc = claim(cluster, "data");
  CHECK(pvc->metadata.annotations.at("volume.kubernetes.io/selected-node") == "worker-2");
  auto pv = cluster.store().get<models::PersistentVolume>("", pvc->spec.volumeName);
  REQUIRE(pv);
  CHECK(pv->spec.nodeAffinity.dump() ==
        R"({"required":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"kubernetes.io/hostname","operator":"In","values":["worker-2"]}]}]}})");
  // The pod was bound at once and its containers waited for the volume (topolvm PVs are not CSI-attached here:
  // they carry a csi source, so an attach follows).
  REQUIRE(run_until_true(cluster, 60, [&] { return pod_running(cluster, "db"); }) > 0);
  CHECK(pod(cluster, "db")->spec.nodeName == "worker-2");
  cluster.shutdown();
}

TEST_CASE("the scheduler names missing and unbound claims, and schedules once a PV appears at the next resync") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  apply_yaml(cluster, pod_yaml("orphan", "nope"));
  apply_yaml(cluster, claim_yaml("manual-claim", "  storageClassName: \"\"\n"));
  apply_yaml(cluster, pod_yaml("db", "manual-claim"));
  cluster.run_until(5);
  auto scheduled_msg = [&](const std::string& name) {
    const auto* c = models::find_condition(pod(cluster, name)->status.conditions, "PodScheduled");
    return c ? c->message : std::string();
  };
  // PreFilter rejections are UnschedulableAndUnresolvable: preemption cannot help on any node.
  CHECK(scheduled_msg("orphan") ==
        "0/6 nodes are available: persistentvolumeclaim \"nope\" not found. preemption: 0/6 nodes are available: 6 Preemption is not helpful for scheduling..");
  CHECK(scheduled_msg("db") ==
        "0/6 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/6 nodes are available: 6 Preemption is not helpful for scheduling..");
  CHECK(has_event(cluster, *claim(cluster, "manual-claim"),
                  "FailedBinding: no persistent volumes available for this claim and no storage class is set"));
  // A matching PV: the claim binds at the PV controller's next periodic sync (every 15 s from its start).
  apply_yaml(cluster, R"(
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv-nfs-1}
spec:
  capacity: {storage: 20Gi}
  accessModes: [ReadWriteOnce, ReadWriteMany]
  nfs: {server: nfs.example.com, path: /exports/1}
)");
  const double bound = run_until_true(cluster, 60, [&] { return phase_is(cluster, "manual-claim", "Bound"); });
  CHECK(bound == Approx(cluster.profile().pv_claim_binder_sync).margin(0.011));
  CHECK(run_until_true(cluster, 60, [&] { return pod_running(cluster, "db"); }) > 0);
  CHECK(run_ok(ex, "get pv") ==
        "NAME       CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM                  STORAGECLASS   "
        "VOLUMEATTRIBUTESCLASS   REASON   AGE\n"
        "pv-nfs-1   20Gi       RWO,RWX        Retain           Bound    default/manual-claim                  "
        "<unset>                          " + std::to_string(static_cast<int>(cluster.now()) - 5) + "s\n");
  cluster.shutdown();
}

TEST_CASE("a local PV pins its pod to its node, a ReadWriteOncePod claim in use fits nowhere") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  apply_yaml(cluster, R"(
apiVersion: v1
kind: PersistentVolume
metadata: {name: local-w3}
spec:
  capacity: {storage: 100Gi}
  accessModes: [ReadWriteOncePod]
  storageClassName: ""
  local: {path: /mnt/disks/ssd1}
  nodeAffinity:
    required:
      nodeSelectorTerms:
      - matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [worker-3]}]
)");
  apply_yaml(cluster, claim_yaml("fast", "  storageClassName: \"\"\n", "ReadWriteOncePod"));
  REQUIRE(run_until_true(cluster, 30, [&] { return phase_is(cluster, "fast", "Bound"); }) > 0);
  apply_yaml(cluster, pod_yaml("first", "fast"));
  REQUIRE(run_until_true(cluster, 60, [&] { return pod_running(cluster, "first"); }) > 0);
  CHECK(pod(cluster, "first")->spec.nodeName == "worker-3");
  apply_yaml(cluster, pod_yaml("second", "fast"));
  cluster.run_until(cluster.now() + 5);
  const auto* c = models::find_condition(pod(cluster, "second")->status.conditions, "PodScheduled");
  REQUIRE(c);
  // VolumeRestrictions runs after TaintToleration: the control-plane nodes fail on their taint first.
  CHECK(c->message ==
        "0/6 nodes are available: 3 node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod "
        "access mode, 3 node(s) had untolerated taint {node-role.kubernetes.io/master: }. preemption: 0/6 nodes are "
        "available: 3 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling..");
  cluster.shutdown();
}

TEST_CASE("an RWO volume attached on one node keeps a pod on another ContainerCreating until the first pod is gone") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  const auto& p = cluster.profile();
  apply_yaml(cluster, claim_yaml("data"));
  REQUIRE(run_until_true(cluster, 30, [&] { return phase_is(cluster, "data", "Bound"); }) > 0);
  apply_yaml(cluster, pod_yaml("a", "data", "worker-1"));
  REQUIRE(run_until_true(cluster, 60, [&] { return pod_running(cluster, "a"); }) > 0);
  apply_yaml(cluster, pod_yaml("b", "data", "worker-2"));
  apply_yaml(cluster, pod_yaml("c", "data", "worker-1"));  // same node: shares the attachment
  cluster.run_until(cluster.now() + 30);
  CHECK(pod_running(cluster, "c"));
  CHECK(pod(cluster, "b")->status.phase == "Pending");
  CHECK(run_ok(ex, "get pod b").find("b      0/1     ContainerCreating") != std::string::npos);
  const auto pv_name = claim(cluster, "data")->spec.volumeName;
  CHECK(has_event(cluster, *pod(cluster, "b"),
                  "FailedAttachVolume: Multi-Attach error for volume \"" + pv_name +
                      "\" Volume is already used by pod(s) a, c"));
  // No image pull before the volume is there: the kubelet mounts first.
  for (const auto& e : event_reasons(cluster, *pod(cluster, "b"))) CHECK(e.rfind("Pulling", 0) != 0);
  run_ok(ex, "delete pod a");
  run_ok(ex, "delete pod c");
  const double t = cluster.now();
  const double started = run_until_true(cluster, t + 60, [&] { return pod_running(cluster, "b"); });
  REQUIRE(started > 0);
  // Pods stop (container_stop) and go; the volume detaches, then attaches on worker-2; the kubelet's
  // next poll mounts it; then image pull, network and container start.
  const double attached_by = p.container_stop + 2 * p.watch_latency + p.volume_detach + p.watch_latency + p.volume_attach;
  CHECK(started - t > attached_by);
  CHECK(started - t < attached_by + p.volume_mount_poll + 3 * p.watch_latency + 1.0 + p.pod_network_setup + p.container_start);
  CHECK(has_event(cluster, *pod(cluster, "b"), "SuccessfulAttachVolume: AttachVolume.Attach succeeded for volume \"" + pv_name + "\""));
  const auto attachments = cluster.store().list(models::VolumeAttachment::kind_info());
  REQUIRE(attachments.size() == 1);
  CHECK(static_cast<const models::VolumeAttachment&>(*attachments[0]).spec.nodeName == "worker-2");
  cluster.shutdown();
}

TEST_CASE("reclaim: Delete removes a released PV, Retain keeps it Released and never rebinds it") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  const auto& p = cluster.profile();
  apply_yaml(cluster, claim_yaml("scratch"));
  apply_yaml(cluster, R"(
apiVersion: v1
kind: PersistentVolume
metadata: {name: keep-me}
spec:
  capacity: {storage: 10Gi}
  accessModes: [ReadWriteOnce]
  storageClassName: manual
  persistentVolumeReclaimPolicy: Retain
  hostPath: {path: /mnt/data}
)");
  apply_yaml(cluster, claim_yaml("kept", "  storageClassName: manual\n"));
  REQUIRE(run_until_true(cluster, 30, [&] { return phase_is(cluster, "scratch", "Bound") && phase_is(cluster, "kept", "Bound"); }) > 0);
  const auto dynamic_pv = claim(cluster, "scratch")->spec.volumeName;
  run_ok(ex, "delete pvc scratch");
  run_ok(ex, "delete pvc kept");
  const double t = cluster.now();
  const double gone = run_until_true(cluster, t + 30, [&] { return !cluster.store().get<models::PersistentVolume>("", dynamic_pv); });
  REQUIRE(gone > 0);
  // pvc-protection lets the unused claim go, the binder releases the PV, the provisioner deletes it.
  CHECK(gone - t == Approx(4 * p.watch_latency + p.volume_deletion).margin(0.011));
  auto kept = cluster.store().get<models::PersistentVolume>("", "keep-me");
  REQUIRE(kept);
  CHECK(kept->status.phase == "Released");
  REQUIRE(kept->spec.claimRef);
  CHECK(kept->spec.claimRef->name == "kept");
  // A new claim of the same name is another claim: the Released PV is not given back.
  apply_yaml(cluster, claim_yaml("kept", "  storageClassName: manual\n"));
  cluster.run_until(cluster.now() + 40);
  CHECK(phase_is(cluster, "kept", "Pending"));
  CHECK(run_ok(ex, "get pv keep-me").find("keep-me   10Gi       RWO            Retain           Released   default/kept   manual") !=
        std::string::npos);
  cluster.shutdown();
}

TEST_CASE("a claim in use stays Terminating until its pod is gone (kubernetes.io/pvc-protection)") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  apply_yaml(cluster, claim_yaml("data"));
  apply_yaml(cluster, pod_yaml("db", "data"));
  REQUIRE(run_until_true(cluster, 60, [&] { return pod_running(cluster, "db"); }) > 0);
  CHECK(run_ok(ex, "delete pvc data") == "persistentvolumeclaim \"data\" deleted\n");
  cluster.run_until(cluster.now() + 20);
  auto pvc = claim(cluster, "data");
  REQUIRE(pvc);
  CHECK(pvc->metadata.being_deleted());
  CHECK(run_ok(ex, "get pvc data").find("data   Terminating   pvc-") != std::string::npos);
  CHECK(run_ok(ex, "describe pvc data").find("Used By:       db\n") != std::string::npos);
  run_ok(ex, "delete pod db");
  const double t = cluster.now();
  const double gone = run_until_true(cluster, t + 30, [&] { return !claim(cluster, "data"); });
  REQUIRE(gone > 0);
  // The pod stops and is deleted; the protection controller sees it and lets the claim go.
  CHECK(gone - t == Approx(cluster.profile().watch_latency * 2 + cluster.profile().container_stop).margin(0.011));
  // Then its volume is released and deleted (Delete).
  CHECK(run_until_true(cluster, t + 30, [&] { return cluster.store().list(models::PersistentVolume::kind_info()).empty(); }) > 0);
  cluster.shutdown();
}
