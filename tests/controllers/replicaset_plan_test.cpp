// The ReplicaSet controller's decisions: what it creates, adopts, releases,
// which pods it deletes first, and the status it reports.
#include <catch2/catch.hpp>

#include "sim/controllers/replicaset/deletion_order.hpp"
#include "sim/controllers/replicaset/plan.hpp"

using namespace kvsim;
using sim::controllers::replicaset::Observed;
using sim::controllers::replicaset::plan;

namespace {

models::Pod pod(const std::string& name, const std::string& node, const std::string& phase, bool ready, double created,
                models::Labels labels = {{"app", "web"}}) {
  models::Pod p;
  p.metadata.name = name;
  p.metadata.uid = "uid-" + name;
  p.metadata.labels = std::move(labels);
  p.metadata.creationTimestamp = models::Timestamp{created};
  p.spec.nodeName = node;
  p.status.phase = phase;
  if (ready) p.status.conditions.push_back({"Ready", "True", "", "", models::Timestamp{created + 2}});
  return p;
}

models::ReplicaSet replicaset(int replicas, int min_ready_seconds = 0) {
  models::ReplicaSet rs;
  rs.metadata.name = "web";
  rs.metadata.uid = "rs-uid";
  rs.metadata.generation = 4;
  rs.spec.replicas = replicas;
  rs.spec.minReadySeconds = min_ready_seconds;
  rs.spec.selector = models::LabelSelector{{{"app", "web"}}, {}};
  rs.spec.template_.metadata.labels = {{"app", "web"}, {"tier", "front"}};
  return rs;
}

Observed owning(std::vector<const models::Pod*> pods, double now = 100) {
  Observed o;
  o.owned = std::move(pods);
  o.now = now;
  return o;
}

}  // namespace

TEST_CASE("a ReplicaSet creates what is missing only once its earlier actions are observed") {
  const auto rs = replicaset(3);
  const auto a = pod("a", "w-1", "Running", true, 1);
  auto seen = owning({&a});
  CHECK(plan(rs, seen).create == 2);
  seen.expectations_met = false;  // creations asked for are not yet seen through the watch
  CHECK(plan(rs, seen).create == 0);
  CHECK(plan(rs, seen).status.replicas == 1);  // the status is written regardless
}

TEST_CASE("scale-down deletes in upstream's rank order") {
  struct Row {
    const char* rule;
    std::vector<models::Pod> pods;
    std::vector<std::string> first;  // the expected deletion order of the first pods
  };
  auto costly = [](models::Pod p, const char* cost) {
    p.metadata.annotations["controller.kubernetes.io/pod-deletion-cost"] = cost;
    return p;
  };
  auto restarted = [](models::Pod p, int n) {
    p.status.containerStatuses.push_back({});
    p.status.containerStatuses.back().restartCount = n;
    return p;
  };
  const std::vector<Row> rows = {
      {"unscheduled before scheduled",
       {pod("bound", "w-1", "Pending", false, 1), pod("unbound", "", "Pending", false, 1)},
       {"unbound"}},
      {"Pending before Running",
       {pod("running", "w-1", "Running", false, 1), pod("pending", "w-2", "Pending", false, 1)},
       {"pending"}},
      {"not Ready before Ready",
       {pod("ready", "w-1", "Running", true, 1), pod("starting", "w-2", "Running", false, 1)},
       {"starting"}},
      {"lower pod-deletion-cost first, before node spreading and age",
       {costly(pod("cheap-old", "w-1", "Running", true, 1), "-5"), costly(pod("dear-new", "w-1", "Running", true, 90), "10"),
        pod("default-new", "w-2", "Running", true, 90)},
       {"cheap-old", "default-new"}},
      {"a malformed cost counts as 0",
       {costly(pod("bad-cost", "w-1", "Running", true, 1), "lots"), costly(pod("neg", "w-2", "Running", true, 1), "-1"),
        costly(pod("dear", "w-3", "Running", true, 1), "1")},
       {"neg", "bad-cost"}},
      {"pods on the node with more replicas first",
       {pod("alone", "w-1", "Running", true, 90), pod("pair-1", "w-2", "Running", true, 1),
        pod("pair-2", "w-2", "Running", true, 2)},
       {"pair-1", "pair-2"}},
      {"Ready more recently first (log2 buckets of age)",
       {pod("ready-long", "w-1", "Running", true, 10), pod("ready-lately", "w-2", "Running", true, 80)},
       {"ready-lately"}},
      {"more container restarts first",
       {restarted(pod("steady", "w-1", "Running", false, 50), 0), restarted(pod("flappy", "w-2", "Running", false, 50), 4)},
       {"flappy"}},
      {"newest first",
       {pod("old", "w-1", "Running", false, 10), pod("new", "w-2", "Running", false, 80)},
       {"new"}},
      {"same log2 age bucket: lower UID first",
       {pod("b-60", "w-1", "Running", false, 60), pod("a-62", "w-2", "Running", false, 62)},
       {"a-62"}},
  };
  for (const auto& row : rows) {
    SECTION(row.rule) {
      std::vector<const models::Pod*> pods;
      for (const auto& p : row.pods) pods.push_back(&p);
      const auto rs = replicaset(static_cast<int>(pods.size() - row.first.size()));
      const auto p = plan(rs, owning(pods));
      CHECK(p.delete_pods == row.first);
      CHECK(p.create == 0);
    }
  }
}

TEST_CASE("node spreading counts the pods of sibling ReplicaSets when given") {
  // Two of ours, one per node; a sibling's pod doubles up worker w-2.
  const auto mine_1 = pod("mine-1", "w-1", "Running", true, 1);
  const auto mine_2 = pod("mine-2", "w-2", "Running", true, 1);
  const auto sibling = pod("sibling", "w-2", "Running", true, 1);
  auto seen = owning({&mine_1, &mine_2});
  const auto rs = replicaset(1);
  CHECK(plan(rs, seen).delete_pods == std::vector<std::string>{"mine-1"});  // all equal: name order
  seen.related = {&mine_1, &mine_2, &sibling};
  CHECK(plan(rs, seen).delete_pods == std::vector<std::string>{"mine-2"});
}

TEST_CASE("an orphan matching the selector is adopted, counts, and goes first when over count") {
  const auto a = pod("web-a", "w-1", "Running", true, 1);
  const auto b = pod("web-b", "w-2", "Running", true, 1);
  const auto orphan = pod("stray", "w-3", "Running", true, 95);
  const auto other = pod("other", "w-3", "Running", true, 95, {{"app", "db"}});
  auto seen = owning({&a, &b});
  seen.orphans = {&orphan, &other};
  SECTION("under count: adopted instead of creating") {
    const auto p = plan(replicaset(3), seen);
    CHECK(p.adopt == std::vector<std::string>{"stray"});
    CHECK(p.create == 0);
    CHECK(p.status.replicas == 3);
  }
  SECTION("over count: adopted, then deleted as the newest") {
    const auto p = plan(replicaset(2), seen);
    CHECK(p.adopt == std::vector<std::string>{"stray"});
    CHECK(p.delete_pods == std::vector<std::string>{"stray"});
  }
  SECTION("an orphan being deleted is left alone") {
    auto going = orphan;
    going.metadata.deletionTimestamp = models::Timestamp{99};
    seen.orphans = {&going};
    const auto p = plan(replicaset(3), seen);
    CHECK(p.adopt.empty());
    CHECK(p.create == 1);
  }
}

TEST_CASE("a pod whose labels stop matching is released and replaced") {
  const auto a = pod("web-a", "w-1", "Running", true, 1);
  const auto relabelled = pod("web-b", "w-2", "Running", true, 1, {{"app", "debug"}});
  const auto p = plan(replicaset(2), owning({&a, &relabelled}));
  CHECK(p.release == std::vector<std::string>{"web-b"});
  CHECK(p.create == 1);
  CHECK(p.status.replicas == 1);
}

TEST_CASE("a ReplicaSet being deleted adopts, releases and creates nothing") {
  auto rs = replicaset(3);
  rs.metadata.deletionTimestamp = models::Timestamp{50};
  const auto relabelled = pod("web-b", "w-2", "Running", true, 1, {{"app", "debug"}});
  const auto orphan = pod("stray", "w-3", "Running", true, 1);
  auto seen = owning({&relabelled});
  seen.orphans = {&orphan};
  const auto p = plan(rs, seen);
  CHECK(p.adopt.empty());
  CHECK(p.release.empty());
  CHECK(p.create == 0);
}

TEST_CASE("pods being deleted or finished do not count as replicas") {
  auto going = pod("going", "w-1", "Running", true, 1);
  going.metadata.deletionTimestamp = models::Timestamp{2};
  const auto done = pod("done", "w-1", "Succeeded", false, 1);
  const auto p = plan(replicaset(2), owning({&going, &done}));
  CHECK(p.create == 2);
  CHECK(p.status.replicas == 0);
}

TEST_CASE("status counts fully labelled, ready and available replicas, with minReadySeconds") {
  // Ready at 3 (created 1) and at 92 (created 90); now 100; minReadySeconds 10.
  auto full = pod("full", "w-1", "Running", true, 1, {{"app", "web"}, {"tier", "front"}});
  const auto fresh = pod("fresh", "w-2", "Running", true, 90, {{"app", "web"}, {"tier", "front"}});
  const auto partial = pod("partial", "w-3", "Running", false, 1);
  const auto p = plan(replicaset(3, 10), owning({&full, &fresh, &partial}, 100));
  CHECK(p.status.replicas == 3);
  CHECK(p.status.fullyLabeledReplicas == 2);
  CHECK(p.status.readyReplicas == 2);
  CHECK(p.status.availableReplicas == 1);
  CHECK(p.status.observedGeneration == 4);
  REQUIRE(p.requeue_after);
  CHECK(*p.requeue_after == Approx(2.0));  // fresh was Ready at 92: available at 102
  CHECK(sim::controllers::replicaset::pod_is_available(fresh, 10, 102));
  CHECK_FALSE(sim::controllers::replicaset::pod_is_available(fresh, 10, 101.9));
}
