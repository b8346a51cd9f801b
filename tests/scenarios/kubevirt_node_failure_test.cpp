// The node-failure lesson (FIDELITY.md §4): a worker running a VM's VMI loses
// power. Kubernetes sees the node Unknown and marks the launcher pod for
// deletion, but nobody can confirm that the guest is gone, so the VMI stays
// Running (Ready=False) until the pod object disappears; virt-controller's node
// controller only labels the node kubevirt.io/schedulable=false once the
// virt-handler heartbeat is 5 min old. One simulation per TEST_CASE.
#include <catch2/catch.hpp>

#include "models/codec/timestamp.hpp"
#include "models/kubevirt.hpp"
#include "small_cluster.hpp"

using namespace kvsim;
using kvsim::testing::apply_yaml;
using kvsim::testing::run_ok;
using kvsim::testing::first_record;
using kvsim::testing::run_until_true;

namespace {

const char* kDbVm = R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: db, namespace: default}
spec:
  runStrategy: Always
  template:
    metadata: {labels: {kubevirt.io/vm: db}}
    spec:
      domain:
        devices:
          disks:
          - {name: rootdisk, disk: {bus: virtio}}
        resources: {requests: {memory: 1Gi}}
      volumes:
      - {name: rootdisk, containerDisk: {image: quay.io/containerdisks/fedora:40}}
)";

std::shared_ptr<const models::VirtualMachineInstance> db_vmi(sim::cluster::Cluster& c) {
  return c.store().get<models::VirtualMachineInstance>("default", "db");
}

std::string vmi_ready(const models::VirtualMachineInstance& v) {
  const auto* c = models::find_condition(v.status.conditions, "Ready");
  return c ? c->status : "";
}

std::shared_ptr<const models::Pod> launcher(sim::cluster::Cluster& c, const models::VirtualMachineInstance& v) {
  for (const auto& o : c.store().owned_by(v.metadata.uid))
    if (o->kind == "Pod") return std::static_pointer_cast<const models::Pod>(o);
  return nullptr;
}

std::string label(sim::cluster::Cluster& c, const std::string& node, const std::string& key) {
  auto n = c.store().get<models::Node>("", node);
  auto it = n->metadata.labels.find(key);
  return it == n->metadata.labels.end() ? "" : it->second;
}

// The VM Running, then the host of its VMI's node powered off at 95 s (kubelet
// leases are renewed every 10 s from 0, so the last renewal is at 90 s).
struct FailedVmNode {
  sim::cluster::Cluster cluster{kvsim::testing::small_cluster_options("1.32")};
  sim::commands::Executor exec{cluster};
  std::string node;            // where the VMI ran
  std::string first_uid;       // the VMI that was there
  std::string pod_name;        // its launcher pod
  double last_heartbeat = -1;  // virt-handler's last kubevirt.io/heartbeat before the failure

  FailedVmNode() {
    cluster.run_until(0);
    apply_yaml(cluster, kDbVm);
    cluster.run_until(95);
    auto v = db_vmi(cluster);
    REQUIRE(v);
    REQUIRE(v->status.phase == "Running");
    REQUIRE(vmi_ready(*v) == "True");
    node = v->status.nodeName;
    first_uid = v->metadata.uid;
    pod_name = launcher(cluster, *v)->metadata.name;
    auto n = cluster.store().get<models::Node>("", node);
    REQUIRE(label(cluster, node, "kubevirt.io/schedulable") == "true");
    last_heartbeat = models::parse_rfc3339(n->metadata.annotations.at("kubevirt.io/heartbeat"))->seconds;
    run_ok(exec, "node fail " + node);
  }
};

}  // namespace

TEST_CASE("node-failure lesson: the VMI stays Running until its launcher pod object is gone, then fails over") {
  FailedVmNode f;
  auto& cluster = f.cluster;
  const double t = 95;

  // Unknown once the 50 s node-monitor grace period runs out after the 90 s
  // renewal (the 150 s monitor pass); the launcher pod is marked Ready=False
  // then, and virt-controller copies that to the VMI one watch hop later.
  cluster.run_until(160);
  CHECK(first_record(cluster, "Node", f.node, "Ready True -> Unknown") == Approx(t + 55));
  CHECK(first_record(cluster, "Pod", f.pod_name, "Ready True -> False") == Approx(t + 55));
  auto v = db_vmi(cluster);
  CHECK(v->status.phase == "Running");
  CHECK(vmi_ready(*v) == "False");
  CHECK(first_record(cluster, "VirtualMachineInstance", "db", "status updated", t) == Approx(t + 55).margin(0.2));

  // virt-controller's node controller: stale heartbeat (> 300 s old) is seen at its
  // next look, at most one 60 s recheck later. The heartbeat stopped with the host.
  const double unschedulable = run_until_true(cluster, f.last_heartbeat + 400, [&] {
    return label(cluster, f.node, "kubevirt.io/schedulable") == "false";
  }, 0.5);
  INFO("last heartbeat " << f.last_heartbeat << ", schedulable=false at " << unschedulable);
  CHECK(unschedulable > f.last_heartbeat + 300);
  CHECK(unschedulable <= f.last_heartbeat + 360 + 1);
  CHECK(first_record(cluster, "Node", f.node, "label kubevirt.io/schedulable=false") > f.last_heartbeat + 300);
  // The launcher pod is alive as far as anyone knows: the VMI is not failed.
  CHECK(db_vmi(cluster)->status.phase == "Running");

  // DefaultTolerationSeconds: the taint manager marks the pod for deletion 300 s
  // after it saw the NoExecute taint (added at t + 60.1, seen 0.05 s later).
  cluster.run_until(t + 361);
  auto pod = cluster.store().get<models::Pod>("default", f.pod_name);
  REQUIRE(pod);
  REQUIRE(pod->metadata.deletionTimestamp);
  CHECK(pod->metadata.deletionTimestamp->seconds == Approx(t + 360.15));

  // 600 s after the failure: pod Terminating (phase Running), VMI Running, Ready False, same UID.
  cluster.run_until(t + 600);
  pod = cluster.store().get<models::Pod>("default", f.pod_name);
  REQUIRE(pod);
  CHECK(pod->status.phase == "Running");
  v = db_vmi(cluster);
  CHECK(v->metadata.uid == f.first_uid);
  CHECK(v->status.phase == "Running");
  CHECK(vmi_ready(*v) == "False");
  // A launcher pod marked for deletion is "going down" (syncReadyConditionFromPod): the VMI's
  // Ready says so, instead of the pod's own reasonless Ready=False.
  const auto* ready_condition = models::find_condition(v->status.conditions, "Ready");
  REQUIRE(ready_condition);
  CHECK(ready_condition->reason == "PodTerminating");
  CHECK(ready_condition->message == "virt-launcher pod is terminating");
  CHECK(first_record(cluster, "VirtualMachineInstance", "db", "status updated", t + 360) == Approx(t + 360.2).margin(0.2));
  const auto table = run_ok(f.exec, "get vmi");
  CHECK(table.find("Running") != std::string::npos);

  // Delete the Node (at 695 s): PodGC (every 20 s from 0) finds the orphaned pod at
  // 700 s, quarantines it 40 s and force-deletes it at 740 s; the VMI fails one watch
  // hop later and the Always VM starts a new one on another worker.
  CHECK(run_ok(f.exec, "delete node " + f.node) == "node \"" + f.node + "\" deleted\n");
  cluster.run_until(739.9);
  CHECK(cluster.store().get<models::Pod>("default", f.pod_name));
  CHECK(db_vmi(cluster)->status.phase == "Running");
  cluster.run_until(740.1);
  CHECK_FALSE(cluster.store().get<models::Pod>("default", f.pod_name));
  const double failed = first_record(cluster, "VirtualMachineInstance", "db", "Running -> Failed", t);
  CHECK(failed == Approx(740.05));
  const double running_again = run_until_true(cluster, t + 760, [&] {
    auto now = db_vmi(cluster);
    return now && now->metadata.uid != f.first_uid && now->status.phase == "Running";
  });
  INFO("new VMI Running at " << running_again);
  // A fresh start: launcher pod scheduling, image and container start, domain start: seconds.
  CHECK(running_again > failed);
  CHECK(running_again < failed + 15);
  v = db_vmi(cluster);
  CHECK(v->status.nodeName != f.node);
  CHECK(vmi_ready(*v) == "True");
  cluster.shutdown();
}

TEST_CASE("node-failure lesson: force-deleting the launcher pod fails the VMI over at once") {
  FailedVmNode f;
  auto& cluster = f.cluster;
  cluster.run_until(200);
  CHECK(db_vmi(cluster)->status.phase == "Running");
  run_ok(f.exec, "delete pod " + f.pod_name + " --force --grace-period=0");
  cluster.run_until(201);
  CHECK(first_record(cluster, "VirtualMachineInstance", "db", "Running -> Failed") == Approx(200.05).margin(0.1));
  const double running_again = run_until_true(cluster, 260, [&] {
    auto now = db_vmi(cluster);
    return now && now->metadata.uid != f.first_uid && now->status.phase == "Running";
  });
  CHECK(running_again > 200);
  CHECK(running_again < 215);
  CHECK(db_vmi(cluster)->status.nodeName != f.node);
  cluster.shutdown();
}

TEST_CASE("a node whose virt-handler is gone but whose VMIs run on is warned about as holding orphaned VMIs") {
  sim::cluster::Cluster cluster{kvsim::testing::small_cluster_options("1.32")};
  sim::commands::Executor exec{cluster};
  cluster.run_until(0);
  // The VM tolerates a maintenance taint that virt-handler's DaemonSet pod does not.
  std::string vm = kDbVm;
  vm.replace(vm.find("      volumes:"), 0, "      tolerations: [{key: maint, operator: Exists, effect: NoExecute}]\n");
  apply_yaml(cluster, vm);
  REQUIRE(run_until_true(cluster, 60, [&] {
            auto v = db_vmi(cluster);
            return v && v->status.phase == "Running";
          }) > 0);
  const auto node_name = db_vmi(cluster)->status.nodeName;
  auto node = std::static_pointer_cast<models::Node>(cluster.store().get<models::Node>("", node_name)->clone());
  node->spec.taints.push_back({"maint", "1", "NoExecute", std::nullopt});
  node->metadata.resourceVersion.clear();
  const double tainted = cluster.now();
  REQUIRE(cluster.store().update(node, sim::api::Cause{"user", "taint maint=1:NoExecute", "test"}).ok());
  // virt-handler's pod is evicted and not recreated there; its heartbeat stops. Once it is
  // older than 5 min, virt-controller's node controller warns at each look (every minute),
  // while the VMI, whose launcher pod lives on, stays Running.
  const auto orphaned = [&] {
    for (const auto& e : cluster.store().events_for(cluster.store().get<models::Node>("", node_name)->metadata.uid))
      if (e->reason == "NodeUnresponsive" && e->type == "Warning") return e;
    return std::shared_ptr<const models::Event>();
  };
  const double warned = run_until_true(cluster, tainted + 500, [&] { return orphaned() != nullptr; }, 0.5);
  REQUIRE(warned > 0);
  CHECK(warned > tainted + 300);
  CHECK(warned < tainted + 300 + 132 + 61);  // the heartbeat's jittered period, then one recheck
  CHECK(orphaned()->message ==
        "virt-handler is not present, there are orphaned vmis on this node. Run virt-handler on this node to migrate "
        "or remove them.");
  CHECK(db_vmi(cluster)->status.phase == "Running");
  CHECK(label(cluster, node_name, "kubevirt.io/schedulable") == "false");
  cluster.shutdown();
}
