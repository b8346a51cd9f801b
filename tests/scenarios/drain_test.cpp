// kubectl drain: cordon, evict through the eviction subresource honouring
// PodDisruptionBudgets (429s retried every 5 s), DaemonSet pods left alone
// only with --ignore-daemonsets, --timeout. One simulation per TEST_CASE.
#include <catch2/catch.hpp>

#include <sstream>

#include "models/policy.hpp"
#include "small_cluster.hpp"

using namespace kvsim;
using kvsim::testing::apply_yaml;
using kvsim::testing::first_record;
using kvsim::testing::run_ok;
using kvsim::testing::web_replicaset_yaml;

namespace {

std::string pdb_yaml(const std::string& min_available) {
  return R"(
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, namespace: default}
spec:
  minAvailable: )" + min_available + R"(
  selector: {matchLabels: {app: web}}
)";
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

std::vector<std::string> app_pods_on(sim::cluster::Cluster& cluster, const std::string& node) {
  std::vector<std::string> out;
  for (const auto& o : cluster.store().on_node(models::Pod::kind_info(), node))
    if (o->metadata.labels.contains("app")) out.push_back(o->metadata.name);
  return out;
}

std::string virt_handler_on(sim::cluster::Cluster& cluster, const std::string& node) {
  for (const auto& o : cluster.store().on_node(models::Pod::kind_info(), node))
    if (o->metadata.namespace_ == "openshift-cnv" && o->metadata.name.rfind("virt-handler-", 0) == 0)
      return o->metadata.name;
  return {};
}

// The DaemonSet pods on a node as drain names them: bridge-marker's and virt-handler's.
std::string daemon_pods_on(sim::cluster::Cluster& cluster, const std::string& node) {
  std::string marker;
  for (const auto& o : cluster.store().on_node(models::Pod::kind_info(), node))
    if (o->metadata.namespace_ == "openshift-cnv" && o->metadata.name.rfind("bridge-marker-", 0) == 0)
      marker = o->metadata.name;
  return "openshift-cnv/" + marker + ", openshift-cnv/" + virt_handler_on(cluster, node);
}

// The three web pods all on worker-2 (the other workers cordoned while they
// were placed), with a budget of `min_available`.
struct WebOnWorker2 {
  sim::cluster::Cluster cluster{kvsim::testing::small_cluster_options()};
  sim::commands::Executor exec{cluster};
  std::vector<std::string> pods;

  explicit WebOnWorker2(const std::string& min_available) {
    cluster.run_until(1);
    run_ok(exec, "cordon worker-1");
    run_ok(exec, "cordon worker-3");
    apply_yaml(cluster, web_replicaset_yaml(3));
    apply_yaml(cluster, pdb_yaml(min_available));
    cluster.run_until(30);
    run_ok(exec, "uncordon worker-1");
    run_ok(exec, "uncordon worker-3");
    pods = app_pods_on(cluster, "worker-2");
    REQUIRE(pods.size() == 3);
    cluster.run_until(40);
  }
};

}  // namespace

TEST_CASE("drain evicts all but DaemonSet pods, a minAvailable budget holding evictions until replacements are Ready") {
  WebOnWorker2 s("2");
  auto& cluster = s.cluster;
  // 3 healthy, 2 needed: one disruption allowed.
  const auto pdb = run_ok(s.exec, "get pdb");
  CHECK(pdb == "NAME   MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE\n"
               "web    2               N/A               1                     39s\n");
  const double start = cluster.now();
  const auto handler = virt_handler_on(cluster, "worker-2");
  REQUIRE(!handler.empty());
  const auto out = run_ok(s.exec, "drain worker-2 --ignore-daemonsets --delete-emptydir-data");
  INFO(out);
  const auto l = lines(out);
  REQUIRE(l.size() >= 5);
  CHECK(l[0] == "node/worker-2 cordoned");
  CHECK(l[1] == "Warning: ignoring DaemonSet-managed Pods: " + daemon_pods_on(cluster, "worker-2"));
  CHECK(l.back() == "node/worker-2 drained");
  const std::string refused = "(will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.";
  int refusals = 0;
  for (const auto& line : l)
    if (line.find(refused) != std::string::npos) ++refusals;
  CHECK(refusals >= 2);  // at least the second and third pods waited once
  for (const auto& pod : s.pods) {
    INFO(pod);
    CHECK(out.find("evicting pod default/" + pod + "\n") != std::string::npos);
    CHECK(out.find("pod/" + pod + " evicted\n") != std::string::npos);
    const bool waited = out.find("error when evicting pods/\"" + pod + "\" -n \"default\" " + refused) != std::string::npos;
    const bool went_at_once = first_record(cluster, "Pod", pod, "terminating") == Approx(start);
    CHECK(waited != went_at_once);
  }
  // One pod goes at once; each other one only 5 s retries later, after a
  // replacement became Ready and gave the budget a disruption back.
  std::vector<double> evicted;
  for (const auto& pod : s.pods) evicted.push_back(first_record(cluster, "Pod", pod, "terminating"));
  std::sort(evicted.begin(), evicted.end());
  CHECK(evicted[0] == Approx(start));
  CHECK(evicted[1] == Approx(start + 5));
  CHECK(evicted[2] == Approx(start + 10));
  CHECK(cluster.now() > evicted[2]);
  CHECK(cluster.now() < start + 15);
  // The DaemonSet pod stays; the web pods run elsewhere; the node stays cordoned.
  CHECK(cluster.store().get(models::Pod::kind_info(), "openshift-cnv", handler));
  CHECK(app_pods_on(cluster, "worker-2").empty());
  CHECK(cluster.store().get<models::Node>("", "worker-2")->spec.unschedulable.value_or(false));
  cluster.run_until(cluster.now() + 5);
  const auto after = cluster.store().get<models::PodDisruptionBudget>("default", "web");
  CHECK(after->status.currentHealthy == 3);
  CHECK(after->status.disruptionsAllowed == 1);
  CHECK(after->status.disruptedPods.empty());
  cluster.shutdown();
}

TEST_CASE("drain without --ignore-daemonsets refuses, naming the DaemonSet pods, and evicts nothing") {
  WebOnWorker2 s("2");
  auto& cluster = s.cluster;
  const auto handler = virt_handler_on(cluster, "worker-2");
  const auto r = s.exec.run("drain worker-2");
  REQUIRE(!handler.empty());
  const std::string why =
      "cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): " + daemon_pods_on(cluster, "worker-2");
  CHECK(r.output == "node/worker-2 cordoned\n"
                    "error: unable to drain node \"worker-2\" due to error: " + why + ", continuing command...\n"
                    "There are pending nodes to be drained:\n"
                    " worker-2\n");
  CHECK(r.error == why);
  CHECK(app_pods_on(cluster, "worker-2").size() == 3);
  for (const auto& pod : s.pods) CHECK_FALSE(cluster.store().get<models::Pod>("default", pod)->metadata.being_deleted());
  cluster.shutdown();
}

TEST_CASE("drain gives up at --timeout while a budget allows no disruption") {
  WebOnWorker2 s("3");
  auto& cluster = s.cluster;
  CHECK(cluster.store().get<models::PodDisruptionBudget>("default", "web")->status.disruptionsAllowed == 0);
  const double start = cluster.now();
  const auto r = s.exec.run("drain worker-2 --ignore-daemonsets --timeout=12s");
  INFO(r.output);
  CHECK(cluster.now() == Approx(start + 15));  // attempts at +0, +5, +10; the one at +15 finds the time up
  const auto first = s.pods.front();
  CHECK(r.output.find("error when evicting pods/\"" + first + "\" -n \"default\" (will retry after 5s): Cannot evict pod "
                      "as it would violate the pod's disruption budget.\n") != std::string::npos);
  CHECK(r.output.find("There are pending pods in node \"worker-2\" when an error occurred: ") != std::string::npos);
  CHECK(r.output.find("error when evicting pods/\"" + first + "\" -n \"default\": global timeout reached: 12s") !=
        std::string::npos);
  CHECK(r.output.find("There are pending nodes to be drained:\n worker-2\n") != std::string::npos);
  CHECK(r.error.rfind("[error when evicting pods/", 0) == 0);
  for (const auto& pod : s.pods) CHECK_FALSE(cluster.store().get<models::Pod>("default", pod)->metadata.being_deleted());
  cluster.shutdown();
}

TEST_CASE("the eviction subresource refuses with 429 and takes a disruption when it allows one") {
  WebOnWorker2 s("2");
  auto& cluster = s.cluster;
  auto& store = cluster.store();
  const sim::api::Cause cause{"user", "", "test"};
  auto r = sim::api::evict_pod(store, "default", s.pods[0], {}, cause);
  CHECK(r.code == 201);
  auto pdb = store.get<models::PodDisruptionBudget>("default", "web");
  CHECK(pdb->status.disruptionsAllowed == 0);
  CHECK(pdb->status.disruptedPods.contains(s.pods[0]));
  r = sim::api::evict_pod(store, "default", s.pods[1], {}, cause);
  CHECK(r.code == 429);
  CHECK(r.message == "Cannot evict pod as it would violate the pod's disruption budget.");
  CHECK_FALSE(store.get<models::Pod>("default", s.pods[1])->metadata.being_deleted());
  r = sim::api::evict_pod(store, "default", "nope", {}, cause);
  CHECK(r.code == 404);
  CHECK(r.message == "pods \"nope\" not found");
  // A second budget over the same pods: the subresource cannot choose.
  apply_yaml(cluster, R"(
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web-too, namespace: default}
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app: web}}
)");
  r = sim::api::evict_pod(store, "default", s.pods[2], {}, cause);
  CHECK(r.code == 500);
  CHECK(r.message == "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
  cluster.shutdown();
}
