// The Deployment controller's decisions, stepped against a toy world in which
// pods appear (and become available, or not) between two syncs.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "sim/controllers/deployment/plan.hpp"
#include "sim/controllers/deployment/rollout_math.hpp"
#include "sim/controllers/deployment/template_hash.hpp"

using namespace kvsim;
namespace dep = sim::controllers::deployment;

namespace {

models::Deployment deployment(int replicas, const std::string& strategy = "RollingUpdate",
                              std::optional<models::IntOrString> surge = {},
                              std::optional<models::IntOrString> unavailable = {}) {
  models::Deployment d;
  d.apiVersion = "apps/v1";
  d.kind = "Deployment";
  d.metadata.name = "web";
  d.metadata.namespace_ = "default";
  d.metadata.uid = "d-uid";
  d.metadata.generation = 1;
  d.spec.replicas = replicas;
  d.spec.selector = models::LabelSelector{{{"app", "web"}}, {}};
  d.spec.template_.metadata.labels = {{"app", "web"}};
  d.spec.template_.spec.containers.push_back({});
  d.spec.template_.spec.containers[0].name = "nginx";
  d.spec.template_.spec.containers[0].image = "nginx:1.14.2";
  d.spec.strategy.type = strategy;
  if (surge || unavailable) d.spec.strategy.rollingUpdate = models::RollingUpdateDeployment{unavailable, surge};
  models::Deployment::kind_info().apply_defaults(d);
  return d;
}

// The API server and the pods, reduced to what the Deployment controller reads.
struct World {
  explicit World(models::Deployment dep_) : d(std::move(dep_)) {}
  models::Deployment d;
  std::vector<models::ReplicaSet> rss;
  std::map<std::string, int> live_pods;
  std::vector<std::string> events;
  double now = 0;
  int uids = 0;

  dep::Plan step() {
    dep::Observed seen;
    seen.replicasets = rss;
    seen.live_pods = live_pods;
    seen.now = now;
    auto p = dep::plan(d, seen);
    for (const auto& w : p.writes) {
      using K = dep::ReplicaSetWrite::Kind;
      if (w.kind == K::Create) {
        auto rs = w.rs;
        rs.metadata.uid = fmt::format("rs-{}", ++uids);
        rs.metadata.creationTimestamp = models::Timestamp{now};
        rs.metadata.generation = 1;
        rss.push_back(rs);
      } else if (auto* rs = find(w.rs.metadata.name)) {
        if (w.kind == K::Delete) {
          std::erase_if(rss, [&](const auto& r) { return r.metadata.name == w.rs.metadata.name; });
          continue;
        }
        if (models::encode_value(rs->spec) != models::encode_value(w.rs.spec)) ++rs->metadata.generation;
        rs->spec = w.rs.spec;
        rs->metadata.annotations = w.rs.metadata.annotations;
      }
    }
    for (const auto& e : p.events) events.push_back(e.second);
    if (p.annotations) d.metadata.annotations = *p.annotations;
    if (p.status) d.status = *p.status;
    return p;
  }

  // Pods catch up with every ReplicaSet; the new template's are available
  // unless `new_available` is false (a rollout that cannot make progress).
  void settle(bool new_available = true) {
    for (auto& rs : rss) {
      const bool current = dep::equal_ignore_hash(rs.spec.template_, d.spec.template_);
      const int n = dep::replicas_of(rs);
      rs.status.replicas = n;
      rs.status.readyReplicas = current && !new_available ? 0 : n;
      rs.status.availableReplicas = rs.status.readyReplicas;
      rs.status.observedGeneration = rs.metadata.generation;
      live_pods[rs.metadata.name] = n;
    }
    now += 5;
  }

  // Syncs and settles until nothing changes.
  void converge(bool new_available = true) {
    for (int i = 0; i < 50; ++i) {
      const auto p = step();
      settle(new_available);
      if (p.writes.empty() && !p.status && !p.annotations) return;
    }
    FAIL("no convergence");
  }

  void set_image(const std::string& image) {
    d.spec.template_.spec.containers[0].image = image;
    ++d.metadata.generation;
  }

  models::ReplicaSet* find(const std::string& name) {
    for (auto& rs : rss)
      if (rs.metadata.name == name) return &rs;
    return nullptr;
  }
  models::ReplicaSet& by_image(const std::string& image) {
    for (auto& rs : rss)
      if (rs.spec.template_.spec.containers[0].image == image) return rs;
    FAIL("no ReplicaSet for " << image);
    return rss.front();
  }
  const models::Condition& condition(const char* type) const {
    const auto* c = models::find_condition(d.status.conditions, type);
    REQUIRE(c);
    return *c;
  }
};

}  // namespace

TEST_CASE("a new Deployment creates <name>-<hash> at full size, revision 1, with the upstream annotations") {
  World w{deployment(3)};
  const auto p = w.step();
  REQUIRE(p.writes.size() == 1);
  const auto& rs = p.writes[0].rs;
  const auto hash = dep::template_hash(w.d.spec.template_);
  CHECK(rs.metadata.name == "web-" + hash);
  CHECK(hash.size() >= 8);
  CHECK(hash.find_first_not_of("bcdfghjklmnpqrstvwxz2456789") == std::string::npos);
  CHECK(rs.spec.replicas == 3);
  CHECK(rs.spec.selector->matchLabels == models::Labels{{"app", "web"}, {"pod-template-hash", hash}});
  CHECK(rs.spec.template_.metadata.labels == models::Labels{{"app", "web"}, {"pod-template-hash", hash}});
  CHECK(rs.metadata.labels == rs.spec.template_.metadata.labels);
  CHECK(rs.metadata.annotations == std::map<std::string, std::string>{{"deployment.kubernetes.io/desired-replicas", "3"},
                                                                      {"deployment.kubernetes.io/max-replicas", "4"},
                                                                      {"deployment.kubernetes.io/revision", "1"}});
  REQUIRE(rs.metadata.ownerReferences.size() == 1);
  CHECK(rs.metadata.ownerReferences[0].kind == "Deployment");
  CHECK(rs.metadata.ownerReferences[0].controller == true);
  CHECK(rs.metadata.ownerReferences[0].blockOwnerDeletion == true);
  CHECK(w.events == std::vector<std::string>{"Scaled up replica set web-" + hash + " from 0 to 3"});
  CHECK(w.d.metadata.annotations.at("deployment.kubernetes.io/revision") == "1");
  CHECK(w.condition("Progressing").reason == "NewReplicaSetCreated");
  CHECK(w.condition("Progressing").message == "Created new replica set \"web-" + hash + "\"");
  CHECK(w.condition("Available").reason == "MinimumReplicasUnavailable");
  CHECK(w.condition("Available").message == "Deployment does not have minimum availability.");
  w.settle();
  w.converge();
  CHECK(w.d.status.replicas == 3);
  CHECK(w.d.status.updatedReplicas == 3);
  CHECK(w.d.status.availableReplicas == 3);
  CHECK(w.d.status.observedGeneration == 1);
  CHECK(w.condition("Available").reason == "MinimumReplicasAvailable");
  CHECK(w.condition("Available").message == "Deployment has minimum availability.");
  CHECK(w.condition("Progressing").reason == "NewReplicaSetAvailable");
  CHECK(w.condition("Progressing").message == "ReplicaSet \"web-" + hash + "\" has successfully progressed.");
  // The template hash is stable: same template, same name.
  CHECK(dep::template_hash(deployment(3).spec.template_) == hash);
}

TEST_CASE("a rolling update keeps within maxSurge and maxUnavailable at every step") {
  struct Row {
    int replicas;
    std::optional<models::IntOrString> surge, unavailable;
    int max_total, min_available;
  };
  using models::IntOrString;
  const std::vector<Row> rows = {
      {3, {}, {}, 4, 3},                                     // 25% up -> 1, 25% down -> 0
      {10, {}, {}, 13, 8},                                   // 3 and 2
      {4, IntOrString::of(0), IntOrString::of(1), 4, 3},     // replace in place
      {4, IntOrString::of(2), IntOrString::of(0), 6, 4},     // surge only
      {5, IntOrString::of("100%"), IntOrString::of(0), 10, 5},  // all new, then all old gone
      {1, IntOrString::of(0), IntOrString::of("10%"), 1, 0},  // both round to 0: maxUnavailable becomes 1
  };
  for (const auto& row : rows) {
    SECTION(fmt::format("{} replicas, surge {}, unavailable {}", row.replicas, row.max_total - row.replicas,
                        row.replicas - row.min_available)) {
      World w{deployment(row.replicas, "RollingUpdate", row.surge, row.unavailable)};
      w.converge();
      w.set_image("nginx:1.16.1");
      int steps = 0;
      for (; steps < 50; ++steps) {
        const auto p = w.step();
        int total = 0, available = 0;
        for (const auto& rs : w.rss) {
          total += std::max(dep::replicas_of(rs), rs.status.replicas);
          available += std::min(dep::replicas_of(rs), rs.status.availableReplicas);
        }
        INFO("step " << steps);
        CHECK(total <= row.max_total);
        CHECK(available >= row.min_available);
        w.settle();
        if (p.writes.empty() && !p.status) break;
      }
      CHECK(steps < 50);
      CHECK(w.by_image("nginx:1.16.1").spec.replicas == row.replicas);
      CHECK(w.by_image("nginx:1.14.2").spec.replicas == 0);
      CHECK(w.d.status.updatedReplicas == row.replicas);
      CHECK(w.d.metadata.annotations.at("deployment.kubernetes.io/revision") == "2");
    }
  }
}

TEST_CASE("the default rolling update of 3 replicas goes one pod at a time, as the events tell") {
  World w{deployment(3)};
  w.converge();
  const auto old_name = w.rss[0].metadata.name;
  w.events.clear();
  w.set_image("nginx:1.16.1");
  w.converge();
  const auto new_name = w.by_image("nginx:1.16.1").metadata.name;
  CHECK(w.events == std::vector<std::string>{
                        "Scaled up replica set " + new_name + " from 0 to 1",
                        "Scaled down replica set " + old_name + " from 3 to 2",
                        "Scaled up replica set " + new_name + " from 1 to 2",
                        "Scaled down replica set " + old_name + " from 2 to 1",
                        "Scaled up replica set " + new_name + " from 2 to 3",
                        "Scaled down replica set " + old_name + " from 1 to 0",
                    });
}

TEST_CASE("Recreate scales the old ReplicaSets to 0 and creates the new one only when no old pod is left") {
  World w{deployment(3, "Recreate")};
  w.converge();
  const auto old_name = w.rss[0].metadata.name;
  w.events.clear();
  w.set_image("nginx:1.16.1");
  auto p = w.step();
  CHECK(w.events == std::vector<std::string>{"Scaled down replica set " + old_name + " from 3 to 0"});
  CHECK(w.rss.size() == 1);
  // The ReplicaSet reports 0 replicas, but its pods are still terminating.
  w.find(old_name)->status = {};
  w.find(old_name)->status.observedGeneration = w.find(old_name)->metadata.generation;
  p = w.step();
  CHECK(w.rss.size() == 1);
  w.live_pods[old_name] = 0;
  p = w.step();
  REQUIRE(w.rss.size() == 2);
  const auto& fresh = w.by_image("nginx:1.16.1");
  CHECK(fresh.spec.replicas == 3);
  CHECK(w.events.back() == "Scaled up replica set " + fresh.metadata.name + " from 0 to 3");
}

TEST_CASE("revisionHistoryLimit deletes the oldest ReplicaSets scaled to 0") {
  World w{deployment(2)};
  w.d.spec.revisionHistoryLimit = 1;
  w.converge();
  for (const char* image : {"nginx:1.15", "nginx:1.16", "nginx:1.17"}) {
    w.set_image(image);
    w.converge();
  }
  // Revisions 1..4 were made; the current (4) and one old (3) remain.
  std::vector<std::string> left;
  for (const auto& rs : w.rss) left.push_back(rs.metadata.annotations.at("deployment.kubernetes.io/revision"));
  std::sort(left.begin(), left.end());
  CHECK(left == std::vector<std::string>{"3", "4"});
  CHECK(w.by_image("nginx:1.16").spec.replicas == 0);
}

TEST_CASE("going back to an old template reuses its ReplicaSet with the next revision") {
  World w{deployment(3)};
  w.converge();
  const auto v1 = w.d.spec.template_;
  const auto v1_name = w.rss[0].metadata.name;
  w.set_image("nginx:1.16.1");
  w.converge();
  w.d.spec.template_ = v1;  // what `rollout undo` writes
  ++w.d.metadata.generation;
  w.converge();
  CHECK(w.rss.size() == 2);
  auto& back = *w.find(v1_name);
  CHECK(back.spec.replicas == 3);
  CHECK(back.metadata.annotations.at("deployment.kubernetes.io/revision") == "3");
  CHECK(back.metadata.annotations.at("deployment.kubernetes.io/revision-history") == "1");
  CHECK(w.d.metadata.annotations.at("deployment.kubernetes.io/revision") == "3");
  CHECK(w.by_image("nginx:1.16.1").spec.replicas == 0);
}

TEST_CASE("scaling mid-rollout shares the new replicas out in proportion (the upstream docs' example)") {
  // 10 replicas, maxSurge 3, maxUnavailable 2; the new pods never become available.
  World w{deployment(10, "RollingUpdate", models::IntOrString::of(3), models::IntOrString::of(2))};
  w.converge();
  const auto old_name = w.rss[0].metadata.name;
  w.set_image("nginx:sometag");
  w.converge(false);
  auto& fresh = w.by_image("nginx:sometag");
  CHECK(fresh.spec.replicas == 5);
  CHECK(w.find(old_name)->spec.replicas == 8);
  w.events.clear();
  w.d.spec.replicas = 15;
  ++w.d.metadata.generation;
  w.step();
  CHECK(w.find(old_name)->spec.replicas == 11);
  CHECK(w.by_image("nginx:sometag").spec.replicas == 7);
  CHECK(w.events == std::vector<std::string>{"Scaled up replica set " + old_name + " from 8 to 11",
                                             "Scaled up replica set " + fresh.metadata.name + " from 5 to 7"});
}

TEST_CASE("scaling a settled Deployment resizes its one ReplicaSet without a new revision") {
  World w{deployment(3)};
  w.converge();
  w.d.spec.replicas = 5;
  ++w.d.metadata.generation;
  w.converge();
  CHECK(w.rss.size() == 1);
  CHECK(w.rss[0].spec.replicas == 5);
  CHECK(w.rss[0].metadata.annotations.at("deployment.kubernetes.io/desired-replicas") == "5");
  CHECK(w.d.metadata.annotations.at("deployment.kubernetes.io/revision") == "1");
}

TEST_CASE("a paused Deployment does not roll out a new template") {
  World w{deployment(3)};
  w.converge();
  w.d.spec.paused = true;
  w.set_image("nginx:1.16.1");
  w.converge();
  CHECK(w.rss.size() == 1);
  CHECK(w.condition("Progressing").status == "Unknown");
  CHECK(w.condition("Progressing").reason == "DeploymentPaused");
  CHECK(w.condition("Progressing").message == "Deployment is paused");
  w.d.spec.paused = false;
  ++w.d.metadata.generation;
  w.converge();
  CHECK(w.rss.size() == 2);
  CHECK(w.by_image("nginx:1.16.1").spec.replicas == 3);
}

TEST_CASE("no progress for progressDeadlineSeconds fails the Progressing condition") {
  World w{deployment(3)};
  w.d.spec.progressDeadlineSeconds = 30;
  w.converge();
  w.set_image("nginx:broken");
  w.converge(false);
  const auto last_progress = w.condition("Progressing").lastUpdateTime->seconds;
  CHECK(w.condition("Progressing").reason == "ReplicaSetUpdated");
  // Nothing changes: the controller asks to look again just after the deadline.
  auto p = w.step();
  CHECK_FALSE(p.status);
  REQUIRE(p.requeue_after);
  CHECK(w.now + *p.requeue_after == Approx(last_progress + 31));
  w.now = last_progress + 31;
  p = w.step();
  REQUIRE(p.status);
  const auto& c = w.condition("Progressing");
  CHECK(c.status == "False");
  CHECK(c.reason == "ProgressDeadlineExceeded");
  CHECK(c.message == "ReplicaSet \"" + w.by_image("nginx:broken").metadata.name + "\" has timed out progressing.");
}

TEST_CASE("resolved budgets follow upstream rounding") {
  using models::IntOrString;
  auto d = deployment(10, "RollingUpdate", IntOrString::of("25%"), IntOrString::of("25%"));
  CHECK(dep::max_surge(d) == 3);        // 2.5 rounds up
  CHECK(dep::max_unavailable(d) == 2);  // 2.5 rounds down
  d = deployment(3, "RollingUpdate", IntOrString::of(0), IntOrString::of("10%"));
  CHECK(dep::max_unavailable(d) == 1);  // both 0 after rounding: unavailability 1
  d = deployment(2, "RollingUpdate", IntOrString::of(1), IntOrString::of(5));
  CHECK(dep::max_unavailable(d) == 2);  // never more than the replicas
  CHECK(dep::max_surge(deployment(3, "Recreate")) == 0);
}
