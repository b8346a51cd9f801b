// A worker fails: the node lifecycle controller notices after the grace
// period, taints it, the taint eviction controller marks its pods for
// deletion 300 s later, and they stay Terminating until the Node goes (PodGC),
// the node comes back, or they are force-deleted. One simulation per TEST_CASE.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "models/apps.hpp"
#include "small_cluster.hpp"

using namespace kvsim;
using kvsim::testing::first_record;
using kvsim::testing::apply_yaml;
using kvsim::testing::run_ok;
using kvsim::testing::web_replicaset_yaml;

namespace {

std::vector<std::shared_ptr<const models::Pod>> web_pods(sim::cluster::Cluster& cluster) {
  std::vector<std::shared_ptr<const models::Pod>> out;
  const models::LabelSelector app{{{"app", "web"}}, {}};
  for (const auto& o : cluster.store().list(models::Pod::kind_info(), "default", &app))
    out.push_back(std::static_pointer_cast<const models::Pod>(o));
  return out;
}

std::vector<std::string> web_pods_on(sim::cluster::Cluster& cluster, const std::string& node) {
  std::vector<std::string> out;
  for (const auto& p : web_pods(cluster))
    if (p->spec.nodeName == node) out.push_back(p->metadata.name);
  return out;
}

std::shared_ptr<const models::Node> node(sim::cluster::Cluster& cluster, const std::string& name) {
  return cluster.store().get<models::Node>("", name);
}

std::string ready(sim::cluster::Cluster& cluster, const std::string& name) {
  auto n = node(cluster, name);
  const auto* c = n ? models::find_condition(n->status.conditions, "Ready") : nullptr;
  return c ? c->status : "";
}

const models::Taint* find_taint(const models::Node& n, const std::string& key, const std::string& effect) {
  for (const auto& t : n.spec.taints)
    if (t.key == key && t.effect == effect) return &t;
  return nullptr;
}

// The line of a table that starts with `name`.
std::string line_of(const std::string& table, const std::string& name) {
  const auto at = table.find("\n" + name + " ");
  if (at == std::string::npos) return {};
  return table.substr(at + 1, table.find('\n', at + 1) - at - 1);
}

// The web ReplicaSet running, then worker-2's host powered off at 95 s (its
// kubelet last renewed the lease at 90 s: renewals every 10 s from 0).
struct FailedWorker {
  sim::cluster::Cluster cluster;
  sim::commands::Executor exec{cluster};
  std::vector<std::string> victims;  // web pods on worker-2

  explicit FailedWorker(const std::string& version) : cluster(kvsim::testing::small_cluster_options(version)) {
    cluster.run_until(0);
    apply_yaml(cluster, web_replicaset_yaml(6));
    cluster.run_until(95);
    for (const auto& p : web_pods(cluster)) REQUIRE(p->status.phase == "Running");
    victims = web_pods_on(cluster, "worker-2");
    REQUIRE(!victims.empty());
    REQUIRE(cluster.leases().last_renewal("worker-2") == 90);
    CHECK(run_ok(exec, "node fail worker-2") == "node/worker-2 powered off (kubelet and virt-handler stopped)\n");
  }
};

}  // namespace

TEST_CASE("1.32: a failed worker is Unknown 60 s after its last lease renewal, tainted, its pods evicted 300 s later") {
  FailedWorker w("1.32");
  auto& cluster = w.cluster;
  // Lease renewed at 90; the monitor (every 5 s) first sees it at 95; 50 s of
  // grace run out strictly after 145, so at the 150 s pass.
  cluster.run_until(149.9);
  CHECK(ready(cluster, "worker-2") == "True");
  cluster.run_until(160);
  CHECK(first_record(cluster, "Node", "worker-2", "Ready True -> Unknown") == Approx(150));
  auto n = node(cluster, "worker-2");
  const auto* rc = models::find_condition(n->status.conditions, "Ready");
  REQUIRE(rc);
  CHECK(rc->status == "Unknown");
  CHECK(rc->reason == "NodeStatusUnknown");
  CHECK(rc->message == "Kubelet stopped posting node status.");
  CHECK(rc->lastTransitionTime->seconds == Approx(150));
  for (const char* type : {"MemoryPressure", "DiskPressure", "PIDPressure"})
    CHECK(models::find_condition(n->status.conditions, type)->status == "Unknown");
  // NoSchedule at once (the node update); NoExecute at the next pass (155 s),
  // from the rate-limited tainter's 100 ms tick.
  const auto* no_schedule = find_taint(*n, "node.kubernetes.io/unreachable", "NoSchedule");
  const auto* no_execute = find_taint(*n, "node.kubernetes.io/unreachable", "NoExecute");
  REQUIRE(no_schedule);
  REQUIRE(no_execute);
  CHECK(no_schedule->timeAdded->seconds == Approx(150.05));
  CHECK(no_execute->timeAdded->seconds == Approx(155.1));
  // The pods are marked not Ready, but stay Running and bound.
  for (const auto& name : w.victims) {
    INFO(name);
    CHECK(first_record(cluster, "Pod", name, "Ready True -> False") == Approx(150));
    auto pod = cluster.store().get<models::Pod>("default", name);
    CHECK(pod->status.phase == "Running");
    CHECK_FALSE(pod->metadata.being_deleted());
  }
  sim::commands::Executor exec(cluster);
  const auto nodes = run_ok(exec, "get nodes");
  CHECK(nodes.find("worker-2          NotReady   worker") != std::string::npos);

  // DefaultTolerationSeconds: 300 s after the eviction controller saw the
  // taint (155.1 + the watch latency).
  cluster.run_until(455.1);
  for (const auto& name : w.victims) CHECK_FALSE(cluster.store().get<models::Pod>("default", name)->metadata.being_deleted());
  cluster.run_until(456);
  for (const auto& name : w.victims) {
    INFO(name);
    auto pod = cluster.store().get<models::Pod>("default", name);
    REQUIRE(pod->metadata.deletionTimestamp);
    CHECK(pod->metadata.deletionTimestamp->seconds == Approx(455.15));
    const auto* dt = models::find_condition(pod->status.conditions, "DisruptionTarget");
    REQUIRE(dt);
    CHECK(dt->reason == "DeletionByTaintManager");
  }

  // The DaemonSet's pod tolerates unreachable forever: it stays.
  for (const auto& o : cluster.store().on_node(models::Pod::kind_info(), "worker-2"))
    if (o->metadata.namespace_ == "openshift-cnv" && o->metadata.name.rfind("virt-handler-", 0) == 0)
      CHECK_FALSE(o->metadata.being_deleted());

  // The marked pods no longer count: the ReplicaSet replaces them elsewhere.
  cluster.run_until(500);
  int running_elsewhere = 0;
  for (const auto& p : web_pods(cluster))
    if (!p->metadata.being_deleted() && p->status.phase == "Running" && p->spec.nodeName != "worker-2") ++running_elsewhere;
  CHECK(running_elsewhere == 6);

  // 600 s after the failure nobody has confirmed the deletions: still Terminating.
  cluster.run_until(695);
  const auto pods = run_ok(exec, "get pods");
  for (const auto& name : w.victims) {
    INFO(name);
    auto pod = cluster.store().get<models::Pod>("default", name);
    REQUIRE(pod);
    CHECK(pod->status.phase == "Running");
    CHECK(line_of(pods, name).find(" Terminating ") != std::string::npos);
  }
  cluster.shutdown();
}

TEST_CASE("1.31: the grace period is 40 s, so Unknown at 140 s and evictions at 445 s") {
  FailedWorker w("1.31");
  auto& cluster = w.cluster;
  cluster.run_until(446);
  CHECK(first_record(cluster, "Node", "worker-2", "Ready True -> Unknown") == Approx(140));
  auto n = node(cluster, "worker-2");
  CHECK(find_taint(*n, "node.kubernetes.io/unreachable", "NoExecute")->timeAdded->seconds == Approx(145.1));
  for (const auto& name : w.victims)
    CHECK(cluster.store().get<models::Pod>("default", name)->metadata.deletionTimestamp->seconds == Approx(445.15));
  cluster.shutdown();
}

TEST_CASE("deleting the failed Node lets PodGC force-delete its Terminating pods after the 40 s quarantine") {
  FailedWorker w("1.32");
  auto& cluster = w.cluster;
  cluster.run_until(705);
  for (const auto& name : w.victims) REQUIRE(cluster.store().get<models::Pod>("default", name)->metadata.being_deleted());
  CHECK(run_ok(w.exec, "delete node worker-2") == "node \"worker-2\" deleted\n");
  // PodGC runs every 20 s from 0: at 720 it finds pods on a missing node and
  // quarantines it; at 760 a fresh read confirms it gone.
  cluster.run_until(759.9);
  for (const auto& name : w.victims) CHECK(cluster.store().get<models::Pod>("default", name));
  cluster.run_until(761);
  for (const auto& name : w.victims) {
    INFO(name);
    CHECK_FALSE(cluster.store().get<models::Pod>("default", name));
    CHECK(first_record(cluster, "Pod", name, "phase Running -> Failed") == Approx(760));
    CHECK(first_record(cluster, "Pod", name, "force deleted") == Approx(760));
  }
  CHECK(cluster.store().on_node(models::Pod::kind_info(), "worker-2").empty());
  CHECK(web_pods(cluster).size() == 6);
  cluster.shutdown();
}

TEST_CASE("a recovered worker is Ready again, its taints go, and its Terminating pods are finally deleted") {
  FailedWorker w("1.32");
  auto& cluster = w.cluster;
  cluster.run_until(501);
  for (const auto& name : w.victims) REQUIRE(cluster.store().get<models::Pod>("default", name)->metadata.being_deleted());
  CHECK(run_ok(w.exec, "node recover worker-2") ==
        "node/worker-2 powered on (booting: kubelet and virt-handler start in 2m0s)\n");
  // The host boots first (profile nodeBoot, 120 s): meanwhile the node stays NotReady.
  cluster.run_until(620.9);
  CHECK(ready(cluster, "worker-2") == "Unknown");
  sim::commands::Executor booting(cluster);
  CHECK(run_ok(booting, "get node worker-2").find("worker-2   NotReady   worker") != std::string::npos);
  // Then the kubelet starts and posts Ready at once.
  cluster.run_until(621);
  CHECK(ready(cluster, "worker-2") == "True");
  CHECK(first_record(cluster, "Node", "worker-2", "Ready Unknown -> True") == Approx(501 + cluster.profile().node_boot));
  // The NoSchedule taint follows the condition (one watch latency); the
  // NoExecute one goes at the next monitor pass.
  cluster.run_until(626);
  auto n = node(cluster, "worker-2");
  CHECK_FALSE(find_taint(*n, "node.kubernetes.io/unreachable", "NoSchedule"));
  CHECK_FALSE(find_taint(*n, "node.kubernetes.io/unreachable", "NoExecute"));
  CHECK(first_record(cluster, "Node", "worker-2", "-node.kubernetes.io/unreachable:NoExecute") == Approx(625));
  // The kubelet confirms the deletions it finds: the pods are gone.
  for (const auto& name : w.victims) CHECK_FALSE(cluster.store().get<models::Pod>("default", name));
  CHECK(web_pods(cluster).size() == 6);
  sim::commands::Executor exec(cluster);
  CHECK(run_ok(exec, "get node worker-2").find("worker-2   Ready    worker") != std::string::npos);
  cluster.shutdown();
}

TEST_CASE("a worker recovered before the evictions keeps its pods, restarted after the reboot") {
  FailedWorker w("1.32");
  auto& cluster = w.cluster;
  cluster.run_until(201);
  run_ok(w.exec, "node recover worker-2");
  cluster.run_until(470);  // past when the evictions would have fired
  for (const auto& name : w.victims) {
    INFO(name);
    auto pod = cluster.store().get<models::Pod>("default", name);
    REQUIRE(pod);
    CHECK_FALSE(pod->metadata.being_deleted());
    CHECK(pod->status.phase == "Running");
    CHECK(pod->status.containerStatuses.at(0).restartCount == 1);
    CHECK(models::find_condition(pod->status.conditions, "Ready")->status == "True");
  }
  cluster.shutdown();
}

TEST_CASE("force delete removes a Terminating pod of an unreachable node at once") {
  FailedWorker w("1.32");
  auto& cluster = w.cluster;
  cluster.run_until(460);
  const auto name = w.victims.front();
  REQUIRE(cluster.store().get<models::Pod>("default", name)->metadata.being_deleted());
  const auto out = run_ok(w.exec, "delete pod " + name + " --force --grace-period=0");
  CHECK(out == "Warning: Immediate deletion does not wait for confirmation that the running resource has been "
               "terminated. The resource may continue to run on the cluster indefinitely.\n"
               "pod \"" + name + "\" force deleted\n");
  CHECK_FALSE(cluster.store().get<models::Pod>("default", name));
  cluster.shutdown();
}

TEST_CASE("cordon taints a node unschedulable and keeps new pods off it, and uncordon undoes both") {
  sim::cluster::Cluster cluster(kvsim::testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  cluster.run_until(1);
  CHECK(run_ok(exec, "cordon worker-1") == "node/worker-1 cordoned\n");
  CHECK(run_ok(exec, "cordon worker-1") == "node/worker-1 already cordoned\n");
  cluster.run_until(2);
  auto n = node(cluster, "worker-1");
  CHECK(n->spec.unschedulable.value_or(false));
  REQUIRE(find_taint(*n, "node.kubernetes.io/unschedulable", "NoSchedule"));
  CHECK(find_taint(*n, "node.kubernetes.io/unschedulable", "NoSchedule")->timeAdded->seconds == Approx(1.05));
  CHECK(run_ok(exec, "get node worker-1").find("worker-1   Ready,SchedulingDisabled   worker") != std::string::npos);
  apply_yaml(cluster, web_replicaset_yaml(6));
  cluster.run_until(30);
  CHECK(web_pods(cluster).size() == 6);
  CHECK(web_pods_on(cluster, "worker-1").empty());
  CHECK(run_ok(exec, "uncordon worker-1") == "node/worker-1 uncordoned\n");
  cluster.run_until(31);
  n = node(cluster, "worker-1");
  CHECK_FALSE(n->spec.unschedulable);
  CHECK_FALSE(find_taint(*n, "node.kubernetes.io/unschedulable", "NoSchedule"));
  const auto err = exec.run("cordon worker-9");
  CHECK(err.error == "Error from server (NotFound): nodes \"worker-9\" not found");
  cluster.shutdown();
}

TEST_CASE("node add brings up a worker whose kubelet registers a Ready Node that takes pods") {
  sim::cluster::Cluster cluster(kvsim::testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  cluster.run_until(10);
  CHECK(run_ok(exec, "node add worker-4 --labels zone=b --cpu 32 --memory 128Gi") ==
        "node/worker-4 added (worker, kubelet starting)\n");
  auto n = node(cluster, "worker-4");
  REQUIRE(n);
  CHECK(ready(cluster, "worker-4") == "True");
  CHECK(n->metadata.labels.at("zone") == "b");
  CHECK(n->metadata.labels.contains("node-role.kubernetes.io/worker"));
  CHECK(n->status.capacity.at("cpu") == *models::Quantity::parse("32"));
  CHECK(n->spec.podCIDR == "10.128.12.0/23");  // the 7th node's /23
  CHECK(exec.run("node add worker-4").error == "Error from server (AlreadyExists): nodes \"worker-4\" already exists");
  // Its lease is renewed: still Ready well past the grace period.
  cluster.run_until(200);
  CHECK(ready(cluster, "worker-4") == "True");
  CHECK(cluster.leases().last_renewal("worker-4") >= 190);
  CHECK(first_record(cluster, "Node", "worker-4", "registered") == Approx(10));
  // Other workers cordoned: new pods land on it.
  run_ok(exec, "cordon worker-1");
  run_ok(exec, "cordon worker-2");
  run_ok(exec, "cordon worker-3");
  apply_yaml(cluster, web_replicaset_yaml(6));
  cluster.run_until(230);
  CHECK(web_pods_on(cluster, "worker-4").size() == 6);
  for (const auto& p : web_pods(cluster)) CHECK(p->status.phase == "Running");
  cluster.shutdown();
}

TEST_CASE("a Node deleted is registered again by its restarted kubelet, and watched again") {
  sim::cluster::Cluster cluster(kvsim::testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  cluster.run_until(10);
  auto registrations = [&](const std::string& node) {
    std::vector<double> at;
    const auto reason = fmt::format("Node {} event: Registered Node {} in Controller", node, node);
    for (const auto& r : cluster.trace().records())
      if (r.kind == "Event" && r.change == "event RegisteredNode" && r.reason == reason) at.push_back(r.time);
    return at;
  };
  run_ok(exec, "node add worker-4");
  cluster.run_until(30);
  REQUIRE(registrations("worker-4").size() == 1);
  run_ok(exec, "delete node worker-4");
  cluster.run_until(60);  // node monitor passes (every 5 s) see it gone; a running kubelet does not re-register
  CHECK_FALSE(node(cluster, "worker-4"));
  run_ok(exec, "node fail worker-4");
  run_ok(exec, "node recover worker-4");
  REQUIRE(run_until_true(cluster, 300, [&] { return node(cluster, "worker-4") != nullptr; }) > 60);
  cluster.run_until(cluster.now() + 10);
  const auto again = registrations("worker-4");
  REQUIRE(again.size() == 2);
  CHECK(again[1] > 60);
  CHECK(registrations("worker-1").size() == 1);  // the others stay registered once
  // Its health is tracked from the new registration: Ready, and still Ready past the grace period.
  cluster.run_until(cluster.now() + 120);
  CHECK(ready(cluster, "worker-4") == "True");
  CHECK(ready(cluster, "worker-1") == "True");
  cluster.shutdown();
}

TEST_CASE("node commands refuse what cannot be done") {
  sim::cluster::Cluster cluster(kvsim::testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  cluster.run_until(1);
  CHECK(exec.run("node fail worker-9").error == "Error from server (NotFound): nodes \"worker-9\" not found");
  CHECK(exec.run("node recover worker-1").error == "error: node worker-1 is not down");
  CHECK(exec.run("node fail control-plane-1").error.find("runs the simulated control plane") != std::string::npos);
  run_ok(exec, "node fail worker-1");
  CHECK(exec.run("node fail worker-1").error == "error: node worker-1 is already down");
  CHECK(exec.run("node explode worker-1").error.rfind("error: usage: node", 0) == 0);
  cluster.shutdown();
}
