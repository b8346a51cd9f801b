// StatefulSets end to end (FIDELITY.md §8): ordered creation, stable names
// that come back, scale-down from the highest ordinal, rolling updates with a
// partition, immutable fields. Claims are covered by the fixture test
// (tests/fixtures/), which needs the storage controllers.
#include <fstream>

#include "models/apps.hpp"
#include "small_cluster.hpp"

using namespace kvsim;
using testing::apply_yaml;
using testing::run_ok;
using testing::run_until_true;
using testing::pod;
using testing::running_ready;
using testing::first_time;
using testing::write_file;


namespace {

std::string web_yaml(int replicas, const std::string& image = "registry.k8s.io/nginx-slim:0.24",
                     const std::string& extra_spec = "") {
  return R"(
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web, namespace: default}
spec:
  selector: {matchLabels: {app: nginx}}
  serviceName: nginx
  replicas: )" + std::to_string(replicas) + "\n" + extra_spec + R"(
  template:
    metadata: {labels: {app: nginx}}
    spec:
      terminationGracePeriodSeconds: 10
      containers:
      - name: nginx
        image: )" + image + R"(
        ports: [{containerPort: 80, name: web}]
)";
}

std::string image_of(const std::shared_ptr<const models::Pod>& p) { return p ? p->spec.containers[0].image : ""; }

}  // namespace

TEST_CASE("OrderedReady creates web-0, web-1, web-2 in order, each once its predecessor is Running and Ready") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  apply_yaml(cluster, web_yaml(3));
  const double all = run_until_true(cluster, 120, [&] { return running_ready(pod(cluster, "web-2")); });
  REQUIRE(all > 0);
  double created[3], running[3];
  for (int i = 0; i < 3; ++i) {
    const auto name = "web-" + std::to_string(i);
    created[i] = first_time(cluster, name, "created");
    running[i] = first_time(cluster, name, "phase Pending -> Running");
    INFO(name << " created at " << created[i] << ", Running at " << running[i]);
  }
  CHECK(created[0] < 0.2);
  CHECK(created[1] > running[0]);
  CHECK(created[2] > running[1]);
  CHECK(created[1] - running[0] < 0.2);  // the watch delivers the Ready pod, the next one follows
  const auto p1 = pod(cluster, "web-1");
  CHECK(p1->metadata.labels.at("statefulset.kubernetes.io/pod-name") == "web-1");
  CHECK(p1->metadata.labels.at("apps.kubernetes.io/pod-index") == "1");
  CHECK(p1->metadata.labels.at("controller-revision-hash").rfind("web-", 0) == 0);
  CHECK(p1->spec.hostname == "web-1");
  CHECK(p1->spec.subdomain == "nginx");
  cluster.run_until(all + 1);  // the controller sees web-2 Ready
  const auto sts = cluster.store().get<models::StatefulSet>("default", "web");
  CHECK(sts->status.readyReplicas == 3);
  CHECK(sts->status.availableReplicas == 3);
  CHECK(sts->status.currentRevision == sts->status.updateRevision);
  CHECK(sts->status.currentRevision == p1->metadata.labels.at("controller-revision-hash"));
  cluster.run_until(60);
  CHECK(run_ok(ex, "get sts") == "NAME   READY   AGE\nweb    3/3     60s\n");
  const auto described = run_ok(ex, "describe pod web-0");
  CHECK(described.find("DNS Name:") != std::string::npos);
  CHECK(described.find("web-0.nginx.default.svc.cluster.local\n") != std::string::npos);
  CHECK(run_ok(ex, "describe pod -n openshift-cnv").find("DNS Name:") == std::string::npos);  // no subdomain, no line
  cluster.shutdown();
}

TEST_CASE("a deleted stateful pod comes back with the same name and identity") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  apply_yaml(cluster, web_yaml(2));
  REQUIRE(run_until_true(cluster, 120, [&] { return running_ready(pod(cluster, "web-1")); }) > 0);
  const auto old_uid = pod(cluster, "web-0")->metadata.uid;
  run_ok(ex, "delete pod web-0");
  const double t = cluster.now();
  const double back = run_until_true(cluster, t + 60, [&] {
    auto p = pod(cluster, "web-0");
    return running_ready(p) && p->metadata.uid != old_uid;
  });
  REQUIRE(back > 0);
  INFO("web-0 deleted at " << t << ", back Running at " << back);
  CHECK(back - t < 15);
  CHECK(pod(cluster, "web-0")->spec.hostname == "web-0");
  cluster.shutdown();
}

TEST_CASE("scaling down removes the highest ordinal first and waits for it to be gone") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  apply_yaml(cluster, web_yaml(3));
  REQUIRE(run_until_true(cluster, 120, [&] { return running_ready(pod(cluster, "web-2")); }) > 0);
  const double t = cluster.now();
  run_ok(ex, "apply -f " + write_file("one.yaml", web_yaml(1)));
  const double done = run_until_true(cluster, t + 60, [&] { return !pod(cluster, "web-1") && !pod(cluster, "web-2"); });
  REQUIRE(done > 0);
  const double web2_going = first_time(cluster, "web-2", "deleting", t);
  const double web2_gone = first_time(cluster, "web-2", "deleted", t);
  const double web1_going = first_time(cluster, "web-1", "deleting", t);
  INFO("web-2 deleting at " << web2_going << ", gone at " << web2_gone << "; web-1 deleting at " << web1_going);
  CHECK(web2_going > t);
  CHECK(web1_going > web2_gone);
  CHECK(running_ready(pod(cluster, "web-0")));
  cluster.run_until(done + 1);
  CHECK(cluster.store().get<models::StatefulSet>("default", "web")->status.replicas == 1);
  cluster.shutdown();
}

TEST_CASE("Parallel pod management creates every pod at once") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  apply_yaml(cluster, web_yaml(3, "registry.k8s.io/nginx-slim:0.24", "  podManagementPolicy: Parallel\n"));
  REQUIRE(run_until_true(cluster, 120, [&] {
            return running_ready(pod(cluster, "web-0")) && running_ready(pod(cluster, "web-1")) &&
                   running_ready(pod(cluster, "web-2"));
          }) > 0);
  const double c0 = first_time(cluster, "web-0", "created");
  CHECK(first_time(cluster, "web-1", "created") == c0);
  CHECK(first_time(cluster, "web-2", "created") == c0);
  cluster.shutdown();
}

TEST_CASE("a rolling update replaces pods from the highest ordinal down and stops at the partition") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  apply_yaml(cluster, web_yaml(3));
  REQUIRE(run_until_true(cluster, 120, [&] { return running_ready(pod(cluster, "web-2")); }) > 0);
  const auto old_revision = cluster.store().get<models::StatefulSet>("default", "web")->status.currentRevision;
  const std::string v2 = "registry.k8s.io/nginx-slim:0.27";
  const auto partitioned =
      web_yaml(3, v2, "  updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 1}}\n");
  const double t = cluster.now();
  CHECK(run_ok(ex, "apply -f " + write_file("v2.yaml", partitioned)) == "statefulset.apps/web configured\n");
  const double done = run_until_true(cluster, t + 120, [&] {
    return image_of(pod(cluster, "web-1")) == v2 && running_ready(pod(cluster, "web-1"));
  });
  REQUIRE(done > 0);
  cluster.run_until(done + 30);
  CHECK(image_of(pod(cluster, "web-2")) == v2);
  CHECK(image_of(pod(cluster, "web-0")) == "registry.k8s.io/nginx-slim:0.24");
  const double web2_going = first_time(cluster, "web-2", "deleting", t);
  const double web2_back = first_time(cluster, "web-2", "phase Pending -> Running", t);
  const double web1_going = first_time(cluster, "web-1", "deleting", t);
  INFO("web-2 replaced " << web2_going << " -> " << web2_back << ", web-1 deleting at " << web1_going);
  CHECK(web2_going > t);
  CHECK(web1_going > web2_back);
  CHECK(first_time(cluster, "web-0", "deleting", t) < 0);
  auto sts = cluster.store().get<models::StatefulSet>("default", "web");
  CHECK(sts->status.currentRevision == old_revision);
  CHECK(sts->status.updateRevision != old_revision);
  CHECK(sts->status.updatedReplicas == 2);
  CHECK(sts->status.currentReplicas == 1);

  // A pod below the partition that is deleted comes back at the old revision.
  run_ok(ex, "delete pod web-0");
  const double t0 = cluster.now();
  REQUIRE(run_until_true(cluster, t0 + 60, [&] {
            auto p = pod(cluster, "web-0");
            return running_ready(p) && first_time(cluster, "web-0", "created", t0) > 0;
          }) > 0);
  CHECK(image_of(pod(cluster, "web-0")) == "registry.k8s.io/nginx-slim:0.24");
  CHECK(pod(cluster, "web-0")->metadata.labels.at("controller-revision-hash") == old_revision);

  // Partition 0 finishes the rollout; the update revision becomes current.
  run_ok(ex, "apply -f " + write_file("v2-all.yaml", web_yaml(3, v2)));
  REQUIRE(run_until_true(cluster, cluster.now() + 120, [&] {
            auto s = cluster.store().get<models::StatefulSet>("default", "web");
            return s->status.currentRevision == s->status.updateRevision;
          }) > 0);
  CHECK(image_of(pod(cluster, "web-0")) == v2);
  sts = cluster.store().get<models::StatefulSet>("default", "web");
  CHECK(sts->status.currentReplicas == 3);
  CHECK(sts->status.updatedReplicas == 3);
  cluster.shutdown();
}

TEST_CASE("changing a StatefulSet's volumeClaimTemplates is refused with the API server's message") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  apply_yaml(cluster, web_yaml(1));
  cluster.run_until(5);
  const auto before = cluster.store().get<models::StatefulSet>("default", "web");
  const auto with_claims = web_yaml(1) +
                           "  volumeClaimTemplates:\n"
                           "  - metadata: {name: www}\n"
                           "    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n";
  auto out = ex.run("apply -f " + write_file("claims.yaml", with_claims));
  CHECK(out.error ==
        "The StatefulSet \"web\" is invalid: spec: Forbidden: updates to statefulset spec for "
        "fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', "
        "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");
  const auto after = cluster.store().get<models::StatefulSet>("default", "web");
  CHECK(after->metadata.resourceVersion == before->metadata.resourceVersion);
  CHECK(after->spec.volumeClaimTemplates.empty());
  cluster.shutdown();
}

TEST_CASE("retention policy Delete: a scaled-away pod takes its claim along, and so does the deleted set") {
  // The claims bind through the default StorageClass (storage controllers).
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  apply_yaml(cluster, web_yaml(2, "registry.k8s.io/nginx-slim:0.24",
                               "  persistentVolumeClaimRetentionPolicy: {whenDeleted: Delete, whenScaled: Delete}\n"
                               "  volumeClaimTemplates:\n"
                               "  - metadata: {name: www}\n"
                               "    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n"));
  REQUIRE(run_until_true(cluster, 120, [&] { return running_ready(pod(cluster, "web-1")); }) > 0);
  auto claim = [&](int i) { return cluster.store().get<models::PersistentVolumeClaim>("default", "www-web-" + std::to_string(i)); };
  for (int i = 0; i < 2; ++i) {
    REQUIRE(claim(i));
    REQUIRE(claim(i)->metadata.ownerReferences.size() == 1);
    CHECK(claim(i)->metadata.ownerReferences[0].kind == "StatefulSet");
    CHECK(claim(i)->metadata.ownerReferences[0].controller == true);
  }
  CHECK(pod(cluster, "web-1")->spec.volumes[0].persistentVolumeClaim->claimName == "www-web-1");

  run_ok(ex, "apply -f " + write_file("retain-one.yaml",
                                      web_yaml(1, "registry.k8s.io/nginx-slim:0.24",
                                               "  persistentVolumeClaimRetentionPolicy: {whenDeleted: Delete, whenScaled: Delete}\n"
                                               "  volumeClaimTemplates:\n"
                                               "  - metadata: {name: www}\n"
                                               "    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n")));
  const double t = cluster.now();
  // Just before web-1 goes, its claim is handed to it.
  cluster.run_until(t + 0.1);
  REQUIRE(claim(1));
  REQUIRE(claim(1)->metadata.ownerReferences.size() == 1);
  CHECK(claim(1)->metadata.ownerReferences[0].kind == "Pod");
  CHECK(claim(1)->metadata.ownerReferences[0].name == "web-1");
  const double claim_gone = run_until_true(cluster, t + 60, [&] { return !claim(1); });
  REQUIRE(claim_gone > 0);
  INFO("scaled at " << t << ", www-web-1 gone at " << claim_gone);
  CHECK(claim_gone > first_time(cluster, "web-1", "deleted", t));
  REQUIRE(claim(0));

  run_ok(ex, "delete sts web");
  const double d = cluster.now();
  REQUIRE(run_until_true(cluster, d + 60, [&] { return !claim(0) && !pod(cluster, "web-0"); }) > 0);
  cluster.shutdown();
}
