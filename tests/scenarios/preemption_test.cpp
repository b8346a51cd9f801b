// kube-scheduler's DefaultPreemption in a running cluster: the "preemption:"
// verdict in FailedScheduling and PodScheduled, a higher-priority pod that
// preempts a lower-priority one (DisruptionTarget, Preempted event,
// nominatedNodeName, graceful deletion, then binding), and preemptionPolicy Never.
#include "small_cluster.hpp"

using namespace kvsim;
using testing::apply_yaml;
using testing::pod;
using testing::pod_running;
using testing::run_until_true;

namespace {

constexpr const char* kTaint = "3 node(s) had untolerated taint {node-role.kubernetes.io/master: }";

std::string priority_class(const std::string& name, int value, const std::string& policy = "") {
  return "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: " + name +
         "}\nvalue: " + std::to_string(value) + "\n" + (policy.empty() ? "" : "preemptionPolicy: " + policy + "\n");
}

std::string prioritized_pod_yaml(const std::string& name, const std::string& memory,
                                 const std::string& priority_class = "", const std::string& node = "") {
  std::string y = "apiVersion: v1\nkind: Pod\nmetadata: {name: " + name + ", namespace: default}\nspec:\n";
  if (!priority_class.empty()) y += "  priorityClassName: " + priority_class + "\n";
  if (!node.empty()) y += "  nodeSelector: {kubernetes.io/hostname: " + node + "}\n";
  y += "  terminationGracePeriodSeconds: 5\n"
       "  containers: [{name: c, image: registry.example/app:1.0, resources: {requests: {memory: " +
       memory + "}}}]\n";
  return y;
}

std::string scheduled_message(sim::cluster::Cluster& c, const std::string& name) {
  const auto* s = models::find_condition(pod(c, name)->status.conditions, "PodScheduled");
  return s ? s->message : std::string();
}

std::vector<std::string> events_with_reason(sim::cluster::Cluster& c, const models::Object& o,
                                            const std::string& reason) {
  std::vector<std::string> out;
  for (const auto& e : c.store().events_for(o.metadata.uid))
    if (e->reason == reason) out.push_back(*e->type + " " + *e->message);
  return out;
}

// Each worker (64Gi) gets a 60Gi pod of `priority_class` (empty: priority 0),
// one after the other so that filler-3 starts last.
void fill_workers(sim::cluster::Cluster& cluster, const std::string& priority_class) {
  for (int i = 1; i <= 3; ++i) {
    const auto name = "filler-" + std::to_string(i);
    apply_yaml(cluster, prioritized_pod_yaml(name, "60Gi", priority_class, "worker-" + std::to_string(i)));
    REQUIRE(run_until_true(cluster, cluster.now() + 60, [&] { return pod_running(cluster, name); }) > 0);
  }
}

}  // namespace

TEST_CASE("a pod that fits nowhere and can preempt nothing says why in its event and PodScheduled condition") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  cluster.run_until(1);
  apply_yaml(cluster, prioritized_pod_yaml("huge", "100Gi"));
  cluster.run_until(cluster.now() + 5);
  const std::string expected = std::string("0/6 nodes are available: 3 Insufficient memory, ") + kTaint +
                               ". preemption: 0/6 nodes are available: 3 No preemption victims found for incoming "
                               "pod, 3 Preemption is not helpful for scheduling..";
  CHECK(scheduled_message(cluster, "huge") == expected);
  const auto failed = events_with_reason(cluster, *pod(cluster, "huge"), "FailedScheduling");
  REQUIRE_FALSE(failed.empty());
  CHECK(failed.front() == "Warning " + expected);
  CHECK(pod(cluster, "huge")->status.nominatedNodeName.empty());
  cluster.shutdown();
}

TEST_CASE("a higher-priority pod preempts one lower-priority pod, is nominated, and binds once it is gone") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  cluster.run_until(1);
  apply_yaml(cluster, priority_class("high", 1000));
  fill_workers(cluster, "");
  std::map<std::string, std::string> uid_before;
  for (int i = 1; i <= 3; ++i)
    uid_before["filler-" + std::to_string(i)] = pod(cluster, "filler-" + std::to_string(i))->metadata.uid;
  const double created = cluster.now();
  apply_yaml(cluster, prioritized_pod_yaml("urgent", "8Gi", "high"));
  const double nominated =
      run_until_true(cluster, created + 10, [&] { return !pod(cluster, "urgent")->status.nominatedNodeName.empty(); });
  REQUIRE(nominated > 0);
  const auto urgent = pod(cluster, "urgent");
  const auto node = urgent->status.nominatedNodeName;
  // The fillers are equal in priority; the one that started last is the cheapest victim.
  const std::string victim = "filler-" + node.substr(std::string("worker-").size());
  CHECK(victim == "filler-3");
  // The preemptor's own FailedScheduling has no "preemption:" part: preemption succeeded.
  CHECK(scheduled_message(cluster, "urgent") == std::string("0/6 nodes are available: 3 Insufficient memory, ") +
                                                     kTaint + ".");
  const auto gone = pod(cluster, victim);
  REQUIRE(gone);
  CHECK(gone->metadata.being_deleted());
  const auto* target = models::find_condition(gone->status.conditions, "DisruptionTarget");
  REQUIRE(target);
  CHECK(target->status == "True");
  CHECK(target->reason == "PreemptionByScheduler");
  CHECK(target->message == "default-scheduler: preempting to accommodate a higher priority pod");
  CHECK(events_with_reason(cluster, *gone, "Preempted") ==
        std::vector<std::string>{"Normal Preempted by pod " + urgent->metadata.uid + " on node " + node});
  // Only one victim: the other fillers keep running.
  for (const auto& [name, uid] : uid_before)
    if (name != victim) CHECK_FALSE(pod(cluster, name)->metadata.being_deleted());
  // The victim stops within its 5 s grace period; the preemptor then binds to the freed node.
  const double bound = run_until_true(cluster, nominated + 30, [&] { return !pod(cluster, "urgent")->spec.nodeName.empty(); });
  REQUIRE(bound > 0);
  CHECK(pod(cluster, "urgent")->spec.nodeName == node);
  CHECK(pod(cluster, victim) == nullptr);
  CHECK(bound - nominated > 0.5);
  CHECK(bound - nominated < 5 + 2);
  cluster.shutdown();
}

TEST_CASE("a pod with preemptionPolicy Never preempts nobody and says it is not eligible") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  cluster.run_until(1);
  apply_yaml(cluster, priority_class("high-polite", 1000, "Never"));
  fill_workers(cluster, "");
  apply_yaml(cluster, prioritized_pod_yaml("polite", "8Gi", "high-polite"));
  cluster.run_until(cluster.now() + 10);
  CHECK(scheduled_message(cluster, "polite") == std::string("0/6 nodes are available: 3 Insufficient memory, ") +
                                                     kTaint + ". preemption: not eligible due to preemptionPolicy=Never..");
  CHECK(pod(cluster, "polite")->status.nominatedNodeName.empty());
  for (int i = 1; i <= 3; ++i) CHECK_FALSE(pod(cluster, "filler-" + std::to_string(i))->metadata.being_deleted());
  cluster.shutdown();
}

TEST_CASE("lower-priority pods that would not make room are not preempted, and the verdict says so") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  cluster.run_until(1);
  apply_yaml(cluster, priority_class("high", 1000));
  apply_yaml(cluster, priority_class("low", -10));
  fill_workers(cluster, "low");
  // 70Gi fits no 64Gi worker even empty.
  apply_yaml(cluster, prioritized_pod_yaml("giant", "70Gi", "high"));
  cluster.run_until(cluster.now() + 10);
  CHECK(scheduled_message(cluster, "giant") == std::string("0/6 nodes are available: 3 Insufficient memory, ") + kTaint +
                                                   ". preemption: 0/6 nodes are available: 3 Insufficient memory, 3 "
                                                   "Preemption is not helpful for scheduling..");
  for (int i = 1; i <= 3; ++i) CHECK_FALSE(pod(cluster, "filler-" + std::to_string(i))->metadata.being_deleted());
  cluster.shutdown();
}

TEST_CASE("room freed by preemption stays reserved for its preemptor against a lower-priority pod") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  cluster.run_until(1);
  apply_yaml(cluster, priority_class("high", 1000));
  fill_workers(cluster, "");
  apply_yaml(cluster, prioritized_pod_yaml("urgent", "8Gi", "high"));
  REQUIRE(run_until_true(cluster, cluster.now() + 10,
                         [&] { return !pod(cluster, "urgent")->status.nominatedNodeName.empty(); }) > 0);
  const auto node = pod(cluster, "urgent")->status.nominatedNodeName;
  // Arrives while the victim terminates; alone it would fit the freed node (58Gi of 64Gi), not beside urgent.
  apply_yaml(cluster, prioritized_pod_yaml("sneaky", "58Gi"));
  REQUIRE(run_until_true(cluster, cluster.now() + 30, [&] { return !pod(cluster, "urgent")->spec.nodeName.empty(); }) > 0);
  cluster.run_until(cluster.now() + 5);
  CHECK(pod(cluster, "urgent")->spec.nodeName == node);
  CHECK(pod(cluster, "sneaky")->spec.nodeName.empty());
  CHECK(scheduled_message(cluster, "sneaky") ==
        std::string("0/6 nodes are available: 3 Insufficient memory, ") + kTaint +
            ". preemption: 0/6 nodes are available: 3 No preemption victims found for incoming pod, 3 Preemption is "
            "not helpful for scheduling..");
  cluster.shutdown();
}
