// DaemonSets end to end (FIDELITY.md §8): one pod per eligible node through
// the default scheduler, a new node gets its pod, a deleted node or DaemonSet
// takes its pods along, template changes roll out one node at a time.
#include <fstream>
#include <set>

#include "models/apps.hpp"
#include "sim/controllers/daemonset/eligibility.hpp"
#include "small_cluster.hpp"

using namespace kvsim;
using testing::apply_yaml;
using testing::run_ok;
using testing::run_until_true;
using testing::write_file;


namespace {

std::string agent_yaml(const std::string& image, const std::string& strategy = "RollingUpdate") {
  return R"(
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: node-agent, namespace: default}
spec:
  selector: {matchLabels: {app: node-agent}}
  updateStrategy: {type: )" + strategy + R"(}
  template:
    metadata: {labels: {app: node-agent}}
    spec:
      containers: [{name: agent, image: )" + image + R"(}]
)";
}

std::vector<std::shared_ptr<const models::Pod>> pods_with(sim::cluster::Cluster& c, const std::string& ns,
                                                          const std::string& key, const std::string& value) {
  std::vector<std::shared_ptr<const models::Pod>> out;
  for (const auto& o : c.store().list(models::Pod::kind_info(), ns))
    if (auto it = o->metadata.labels.find(key); it != o->metadata.labels.end() && it->second == value)
      out.push_back(std::static_pointer_cast<const models::Pod>(o));
  return out;
}

int running_count(const std::vector<std::shared_ptr<const models::Pod>>& pods) {
  int n = 0;
  for (const auto& p : pods)
    if (p->status.phase == "Running" && !p->metadata.being_deleted()) ++n;
  return n;
}

std::set<std::string> nodes_of(const std::vector<std::shared_ptr<const models::Pod>>& pods) {
  std::set<std::string> out;
  for (const auto& p : pods) out.insert(p->spec.nodeName);
  return out;
}

// Sim times at which the trace shows `change` on a pod of `prefix`.
std::vector<double> pod_times(sim::cluster::Cluster& c, const std::string& prefix, const std::string& change) {
  std::vector<double> out;
  for (const auto& r : c.trace().records())
    if (r.kind == "Pod" && r.name.rfind(prefix, 0) == 0 && r.change.rfind(change, 0) == 0) out.push_back(r.time);
  return out;
}

}  // namespace

TEST_CASE("the virt-handler DaemonSet puts one pod on each worker and none on the control plane") {
  auto options = testing::small_cluster_options();
  options.profile.cluster_age = 0;  // the install is watched from t=0
  sim::cluster::Cluster cluster(options);
  sim::commands::Executor ex(cluster);
  auto handlers = [&] { return pods_with(cluster, "openshift-cnv", "kubevirt.io", "virt-handler"); };
  const double all_running = run_until_true(cluster, 60, [&] { return running_count(handlers()) == 3; });
  REQUIRE(all_running > 0);
  INFO("virt-handler pods all Running at " << all_running);
  CHECK(all_running > 1);  // created, scheduled, image pulled, container started
  CHECK(all_running < 10);  // each worker also pulls bridge-marker's and the operators' images
  const auto pods = handlers();
  CHECK(pods.size() == 3);
  CHECK(nodes_of(pods) == std::set<std::string>{"worker-1", "worker-2", "worker-3"});
  for (const auto& p : pods) {
    CHECK(p->metadata.name.size() == std::string("virt-handler-").size() + 5);
    CHECK(p->metadata.name.rfind("virt-handler-", 0) == 0);
    CHECK(sim::controllers::daemonset::target_node(*p) == p->spec.nodeName);
    CHECK(p->metadata.labels.contains("controller-revision-hash"));
    CHECK(p->metadata.labels.at("pod-template-generation") == "1");
  }
  cluster.run_until(30);
  const auto out = run_ok(ex, "get ds -n openshift-cnv");
  CHECK(out ==
        "NAME            DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE\n"
        "bridge-marker   3         3         3       3            3           kubernetes.io/os=linux   30s\n"
        "virt-handler    3         3         3       3            3           kubernetes.io/os=linux   30s\n");
  cluster.shutdown();
}

TEST_CASE("a node added gets its daemon pod, and a node deleted loses it") {
  // Uses `node add` (the kubelet registers the Node) and PodGC, from the node lifecycle work.
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  apply_yaml(cluster, agent_yaml("quay.io/example/agent:v1"));
  auto agents = [&] { return pods_with(cluster, "default", "app", "node-agent"); };
  REQUIRE(run_until_true(cluster, 60, [&] { return running_count(agents()) == 3; }) > 0);
  cluster.run_until(20);
  run_ok(ex, "node add worker-4");
  const double added = cluster.now();
  const double on_new = run_until_true(cluster, 80, [&] {
    for (const auto& p : agents())
      if (p->spec.nodeName == "worker-4" && p->status.phase == "Running") return true;
    return false;
  });
  REQUIRE(on_new > 0);
  INFO("node added at " << added << ", its agent Running at " << on_new);
  CHECK(on_new - added < 5);
  CHECK(nodes_of(agents()) == std::set<std::string>{"worker-1", "worker-2", "worker-3", "worker-4"});
  cluster.run_until(on_new + 1);
  const auto table = run_ok(ex, "get ds node-agent");
  INFO(table);
  CHECK(table.find("node-agent   4         4         4       4            4           <none>") != std::string::npos);

  run_ok(ex, "delete node worker-4");
  const double deleted = cluster.now();
  cluster.run_until(deleted + 1);
  auto ds = cluster.store().get<models::DaemonSet>("default", "node-agent");
  CHECK(ds->status.desiredNumberScheduled == 3);
  const double gone = run_until_true(cluster, deleted + 120, [&] { return agents().size() == 3; }, 0.1);
  REQUIRE(gone > 0);
  INFO("node deleted at " << deleted << ", its agent gone at " << gone);
  // PodGC removes pods bound to a missing node once it has been missing for its quarantine (40 s).
  CHECK(gone - deleted >= cluster.profile().podgc_quarantine);
  CHECK(gone - deleted < cluster.profile().podgc_quarantine + cluster.profile().podgc_period + 1);
  CHECK(nodes_of(agents()) == std::set<std::string>{"worker-1", "worker-2", "worker-3"});
  cluster.run_until(gone + 30);
  CHECK(agents().size() == 3);  // no pod is made for a node that is gone
  cluster.shutdown();
}

TEST_CASE("deleting a DaemonSet deletes its pods through the garbage collector") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  apply_yaml(cluster, agent_yaml("quay.io/example/agent:v1"));
  auto agents = [&] { return pods_with(cluster, "default", "app", "node-agent"); };
  REQUIRE(run_until_true(cluster, 60, [&] { return running_count(agents()) == 3; }) > 0);
  CHECK(run_ok(ex, "delete ds node-agent") == "daemonset.apps \"node-agent\" deleted\n");
  const double t = cluster.now();
  const double gone = run_until_true(cluster, t + 60, [&] { return agents().empty(); });
  REQUIRE(gone > 0);
  CHECK(gone - t < 2);
  int collected = 0;
  for (const auto& r : cluster.trace().records())
    if (r.kind == "Pod" && r.name.rfind("node-agent-", 0) == 0 && r.change == "deleting") {
      CHECK(r.component == "garbage-collector");
      ++collected;
    }
  CHECK(collected == 3);
  cluster.shutdown();
}

TEST_CASE("a template change rolls out one node at a time, each new pod available before the next old one goes") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  apply_yaml(cluster, agent_yaml("quay.io/example/agent:v1"));
  auto agents = [&] { return pods_with(cluster, "default", "app", "node-agent"); };
  REQUIRE(run_until_true(cluster, 60, [&] { return running_count(agents()) == 3; }) > 0);
  const auto old_hash = agents().front()->metadata.labels.at("controller-revision-hash");
  const double t = cluster.now();
  CHECK(run_ok(ex, "apply -f " + write_file("v2.yaml", agent_yaml("quay.io/example/agent:v2"))) ==
        "daemonset.apps/node-agent configured\n");
  int least_running = 3;
  const double done = run_until_true(cluster, t + 120, [&] {
    const auto pods = agents();
    least_running = std::min(least_running, running_count(pods));
    int fresh = 0;
    for (const auto& p : pods)
      if (p->status.phase == "Running" && p->metadata.labels.at("controller-revision-hash") != old_hash) ++fresh;
    return fresh == 3 && pods.size() == 3;
  });
  REQUIRE(done > 0);
  INFO("rollout started at " << t << ", done at " << done);
  CHECK(least_running == 2);  // maxUnavailable 1
  CHECK(done - t < 15);       // three nodes, about 3 s each
  // The old pods went one at a time, each after the previous replacement was Running.
  const auto stops = pod_times(cluster, "node-agent-", "deleting");
  const auto starts = pod_times(cluster, "node-agent-", "phase Pending -> Running");
  REQUIRE(stops.size() == 3);
  REQUIRE(starts.size() == 6);  // 3 at first, 3 replacements
  CHECK(stops[0] > t);
  CHECK(stops[1] > starts[3]);
  CHECK(stops[2] > starts[4]);
  cluster.run_until(done + 1);  // the controller sees the last pod Ready
  auto ds = cluster.store().get<models::DaemonSet>("default", "node-agent");
  CHECK(ds->status.updatedNumberScheduled == 3);
  CHECK(ds->status.numberAvailable == 3);
  CHECK(ds->status.observedGeneration == 2);
  cluster.shutdown();
}

TEST_CASE("OnDelete keeps the old pods until one is deleted, which comes back at the new template") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  apply_yaml(cluster, agent_yaml("quay.io/example/agent:v1", "OnDelete"));
  auto agents = [&] { return pods_with(cluster, "default", "app", "node-agent"); };
  REQUIRE(run_until_true(cluster, 60, [&] { return running_count(agents()) == 3; }) > 0);
  const auto before = agents();
  run_ok(ex, "apply -f " + write_file("v2-ondelete.yaml", agent_yaml("quay.io/example/agent:v2", "OnDelete")));
  cluster.run_until(cluster.now() + 60);
  auto after = agents();
  REQUIRE(after.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) CHECK(after[i]->metadata.uid == before[i]->metadata.uid);
  CHECK(cluster.store().get<models::DaemonSet>("default", "node-agent")->status.updatedNumberScheduled == 0);
  const auto victim = before.front();
  run_ok(ex, "delete pod " + victim->metadata.name);
  REQUIRE(run_until_true(cluster, cluster.now() + 60, [&] { return running_count(agents()) == 3; }) > 0);
  int v2 = 0;
  for (const auto& p : agents())
    if (p->spec.containers[0].image == "quay.io/example/agent:v2") {
      ++v2;
      CHECK(p->spec.nodeName == victim->spec.nodeName);
    }
  CHECK(v2 == 1);
  CHECK(cluster.store().get<models::DaemonSet>("default", "node-agent")->status.updatedNumberScheduled == 1);
  cluster.shutdown();
}
