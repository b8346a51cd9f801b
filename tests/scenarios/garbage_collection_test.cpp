// Garbage collection by ownerReferences: background, foreground and orphan
// propagation (FIDELITY.md §8), observed through a ReplicaSet and its pods.
#include "models/apps.hpp"
#include "small_cluster.hpp"

using namespace kvsim;
using testing::apply_yaml;
using testing::run_ok;
using testing::run_until_true;

namespace {

const char* kReplicaSet = R"(
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: frontend}
spec:
  replicas: 3
  selector: {matchLabels: {tier: frontend}}
  template:
    metadata: {labels: {tier: frontend}}
    spec:
      containers: [{name: php-redis, image: us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v5}]
)";

std::size_t pods_of(sim::cluster::Cluster& c, bool include_terminating = true) {
  std::size_t n = 0;
  for (const auto& p : c.store().list(models::Pod::kind_info(), "default"))
    if (p->metadata.labels.count("tier") && (include_terminating || !p->metadata.being_deleted())) ++n;
  return n;
}

bool three_pods_running(sim::cluster::Cluster& c) {
  std::size_t n = 0;
  for (const auto& p : c.store().list(models::Pod::kind_info(), "default"))
    if (static_cast<const models::Pod&>(*p).status.phase == "Running") ++n;
  return n == 3;
}

}  // namespace

TEST_CASE("background deletion removes the owner at once and its pods right after") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  apply_yaml(cluster, kReplicaSet);
  REQUIRE(run_until_true(cluster, 60, [&] { return three_pods_running(cluster); }) > 0);
  const double t = cluster.now();
  CHECK(run_ok(ex, "delete rs frontend") == "replicaset.apps \"frontend\" deleted\n");
  CHECK(!cluster.store().get<models::ReplicaSet>("default", "frontend"));
  CHECK(pods_of(cluster, false) == 3);  // the collector has not seen it yet
  const double gone = run_until_true(cluster, t + 30, [&] { return pods_of(cluster) == 0; });
  REQUIRE(gone > 0);
  // Watch latency, then the pods' graceful stop (container_stop) and the kubelet's confirmation.
  CHECK(gone - t < 2.0);
  cluster.shutdown();
}

TEST_CASE("foreground deletion keeps the owner, with its finalizer, until the pods are gone") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  apply_yaml(cluster, kReplicaSet);
  REQUIRE(run_until_true(cluster, 60, [&] { return three_pods_running(cluster); }) > 0);
  const double t = cluster.now();
  run_ok(ex, "delete rs frontend --cascade=foreground");
  auto rs = cluster.store().get<models::ReplicaSet>("default", "frontend");
  REQUIRE(rs);
  CHECK(rs->metadata.being_deleted());
  CHECK(rs->metadata.has_finalizer("foregroundDeletion"));
  const double rs_gone = run_until_true(cluster, t + 30, [&] { return !cluster.store().get<models::ReplicaSet>("default", "frontend"); });
  REQUIRE(rs_gone > 0);
  CHECK(pods_of(cluster) == 0);  // never the owner before its blocking dependents
  // The trace shows the order: every pod deleted before the ReplicaSet went.
  double last_pod = -1;
  for (const auto& r : cluster.trace().records())
    if (r.kind == "Pod" && r.change == "deleted") last_pod = r.time;
  CHECK(last_pod > t);
  CHECK(rs_gone >= last_pod);
  cluster.shutdown();
}

TEST_CASE("orphan deletion leaves the pods running without an owner") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  apply_yaml(cluster, kReplicaSet);
  REQUIRE(run_until_true(cluster, 60, [&] { return three_pods_running(cluster); }) > 0);
  run_ok(ex, "delete rs frontend --cascade=orphan");
  cluster.run_until(cluster.now() + 30);
  CHECK(!cluster.store().get<models::ReplicaSet>("default", "frontend"));
  CHECK(pods_of(cluster, false) == 3);
  for (const auto& p : cluster.store().list(models::Pod::kind_info(), "default"))
    CHECK(p->metadata.ownerReferences.empty());
  cluster.shutdown();
}

TEST_CASE("delete refuses an unknown cascade and a forced delete with a grace period") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  apply_yaml(cluster, kReplicaSet);
  auto out = ex.run("delete rs frontend --cascade=sometimes");
  CHECK(out.error == "error: invalid cascade value (sometimes). Must be \"background\", \"foreground\", or \"orphan\"");
  out = ex.run("delete rs frontend --force --grace-period=5");
  CHECK(out.error == "error: --force and --grace-period greater than 0 cannot be specified together");
  CHECK(cluster.store().get<models::ReplicaSet>("default", "frontend"));
  cluster.shutdown();
}
