// ReplicaSets end to end: matchExpressions selectors, scale-down by
// pod-deletion-cost, and availability after minReadySeconds.
#include "models/apps.hpp"
#include "small_cluster.hpp"

using namespace kvsim;
using testing::apply_yaml;
using testing::run_ok;
using testing::run_until_true;

namespace {

std::string replicaset(const std::string& selector, const std::string& extra_spec = "") {
  return "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: web}\nspec:\n  replicas: 3\n" + extra_spec +
         "  selector: " + selector +
         "\n  template:\n    metadata: {labels: {tier: web}}\n    spec:\n"
         "      containers: [{name: nginx, image: nginx:1.14.2}]\n";
}

std::shared_ptr<const models::ReplicaSet> web_replicaset(sim::cluster::Cluster& c) {
  return c.store().get<models::ReplicaSet>("default", "web");
}

std::vector<std::shared_ptr<const models::Pod>> owned_pods(sim::cluster::Cluster& c) {
  std::vector<std::shared_ptr<const models::Pod>> out;
  for (const auto& o : c.store().owned_by(web_replicaset(c)->metadata.uid))
    if (o->kind == "Pod") out.push_back(std::static_pointer_cast<const models::Pod>(o));
  return out;
}

double trace_time(sim::cluster::Cluster& c, const std::string& kind, const std::string& name, const std::string& change) {
  for (const auto& r : c.trace().records())
    if (r.kind == kind && r.name == name && r.change.rfind(change, 0) == 0) return r.time;
  return -1;
}

}  // namespace

TEST_CASE("a matchExpressions selector creates pods and adopts a bare pod it selects") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  apply_yaml(cluster, replicaset("{matchExpressions: [{key: tier, operator: In, values: [web, frontend]}]}"));
  REQUIRE(run_until_true(cluster, 60, [&] { return web_replicaset(cluster)->status.readyReplicas == 3; }) > 0);
  cluster.run_until(10);
  run_ok(*std::make_unique<sim::commands::Executor>(cluster), "scale rs/web --replicas=4");
  apply_yaml(cluster, "apiVersion: v1\nkind: Pod\nmetadata: {name: stray, labels: {tier: frontend}}\n"
                      "spec:\n  containers: [{name: c, image: nginx}]\n");
  cluster.run_until(20);
  // The scale to 4 and the bare pod arrive together: the ReplicaSet adopts it rather than create one.
  CHECK(trace_time(cluster, "Pod", "stray", "ownerReference added (adopted)") == Approx(10.05));
  CHECK(owned_pods(cluster).size() == 4);
  CHECK(web_replicaset(cluster)->status.replicas == 4);
  CHECK(web_replicaset(cluster)->status.fullyLabeledReplicas == 3);  // stray lacks the template's tier=web
  cluster.shutdown();
}

TEST_CASE("scaling down deletes the pod with the lowest pod-deletion-cost first") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  apply_yaml(cluster, replicaset("{matchLabels: {tier: web}}"));
  REQUIRE(run_until_true(cluster, 60, [&] { return web_replicaset(cluster)->status.readyReplicas == 3; }) > 0);
  cluster.run_until(10);
  // Without costs the ReplicaSet would pick the first in its order (same age, same node count: lowest UID);
  // mark the last one cheap.
  auto pods = owned_pods(cluster);
  std::sort(pods.begin(), pods.end(), [](const auto& a, const auto& b) { return a->metadata.uid < b->metadata.uid; });
  auto cheap = std::static_pointer_cast<models::Pod>(pods.back()->clone());
  cheap->metadata.annotations["controller.kubernetes.io/pod-deletion-cost"] = "-100";
  cheap->metadata.resourceVersion.clear();
  REQUIRE(cluster.store().update(cheap, sim::api::Cause{"user", "annotated", "test"}).ok());
  CHECK(run_ok(ex, "scale rs/web --replicas=2") == "replicaset.apps/web scaled\n");
  cluster.run_until(11);
  auto going = cluster.store().get<models::Pod>("default", cheap->metadata.name);
  CHECK((!going || going->metadata.being_deleted()));
  CHECK(trace_time(cluster, "Pod", cheap->metadata.name, "deleting") == Approx(10.05));
  int left = 0;
  for (const auto& p : owned_pods(cluster)) left += !p->metadata.being_deleted();
  CHECK(left == 2);
  cluster.shutdown();
}

TEST_CASE("a Ready pod counts as available minReadySeconds later, when the controller looks again") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  apply_yaml(cluster, replicaset("{matchLabels: {tier: web}}", "  minReadySeconds: 10\n"));
  REQUIRE(run_until_true(cluster, 60, [&] { return web_replicaset(cluster)->status.readyReplicas == 3; }) > 0);
  double last_ready = 0;
  for (const auto& p : owned_pods(cluster))
    last_ready = std::max(last_ready, models::find_condition(p->status.conditions, "Ready")->lastTransitionTime->seconds);
  cluster.run_until(last_ready + 9.9);
  CHECK(web_replicaset(cluster)->status.availableReplicas < 3);
  cluster.run_until(last_ready + 10.01);
  CHECK(web_replicaset(cluster)->status.availableReplicas == 3);
  // Written at the very moment, from the requeue rather than a later event.
  double written = -1;
  for (const auto& r : cluster.trace().records())
    if (r.kind == "ReplicaSet" && r.change == "status 3 replicas, 3 ready, 3 available") written = r.time;
  CHECK(written == Approx(last_ready + 10));
  cluster.shutdown();
}
