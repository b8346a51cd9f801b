// The disruption controller's status computation for PodDisruptionBudgets.
#include <catch2/catch.hpp>

#include "sim/controllers/disruption/plan.hpp"

using namespace kvsim;
using namespace kvsim::sim::controllers::disruption;

namespace {

models::Pod running_pod(const std::string& name, bool ready, bool deleting = false) {
  models::Pod p;
  p.metadata.name = name;
  p.status.phase = "Running";
  p.status.conditions.push_back({"Ready", ready ? "True" : "False", "", ""});
  if (deleting) p.metadata.deletionTimestamp = models::Timestamp{10};
  return p;
}

models::PodDisruptionBudget budget(std::optional<models::IntOrString> min, std::optional<models::IntOrString> max) {
  models::PodDisruptionBudget pdb;
  pdb.metadata.name = "web";
  pdb.metadata.generation = 2;
  pdb.spec.minAvailable = std::move(min);
  pdb.spec.maxUnavailable = std::move(max);
  pdb.spec.selector = models::LabelSelector{{{"app", "web"}}, {}};
  return pdb;
}

}  // namespace

TEST_CASE("disruptions allowed = healthy pods above the desired count") {
  using models::IntOrString;
  const auto a = running_pod("a", true), b = running_pod("b", true), c = running_pod("c", true),
             d = running_pod("d", false), e = running_pod("e", true, true);
  struct Row {
    const char* what;
    std::optional<IntOrString> min, max;
    std::vector<const models::Pod*> pods;
    std::optional<std::int32_t> scale;
    std::int32_t expected, desired, healthy, allowed;
  };
  const Row rows[] = {
      {"minAvailable 2 of 3 ready", IntOrString::of(2), {}, {&a, &b, &c}, {}, 3, 2, 3, 1},
      {"minAvailable 2, one not ready", IntOrString::of(2), {}, {&a, &b, &d}, {}, 3, 2, 2, 0},
      {"terminating pods are not healthy", IntOrString::of(2), {}, {&a, &b, &e}, {}, 3, 2, 2, 0},
      {"minAvailable 50% of 4 replicas rounds up", IntOrString::of("50%"), {}, {&a, &b, &c}, 4, 4, 2, 3, 1},
      {"maxUnavailable 1 of 3 replicas", {}, IntOrString::of(1), {&a, &b, &c}, 3, 3, 2, 3, 1},
      {"maxUnavailable 34% of 3 rounds up to 2", {}, IntOrString::of("34%"), {&a, &b, &c}, 3, 3, 1, 3, 2},
      {"minAvailable 3: nothing to spare", IntOrString::of(3), {}, {&a, &b, &c}, {}, 3, 3, 3, 0},
  };
  for (const auto& r : rows) {
    INFO(r.what);
    const auto pdb = budget(r.min, r.max);
    ExpectedScale scale;
    scale.replicas = r.scale;
    const auto p = plan(pdb, r.pods, scale, 20, 120);
    CHECK(p.failure.empty());
    CHECK(p.status.expectedPods == r.expected);
    CHECK(p.status.desiredHealthy == r.desired);
    CHECK(p.status.currentHealthy == r.healthy);
    CHECK(p.status.disruptionsAllowed == r.allowed);
    CHECK(p.status.observedGeneration == 2);
    const auto* cond = models::find_condition(p.status.conditions, "DisruptionAllowed");
    REQUIRE(cond);
    CHECK(cond->status == (r.allowed > 0 ? "True" : "False"));
    CHECK(cond->reason == (r.allowed > 0 ? "SufficientPods" : "InsufficientPods"));
  }
}

TEST_CASE("a pod just evicted does not count until deleted, nor after the timeout") {
  const auto a = running_pod("a", true), b = running_pod("b", true), c = running_pod("c", true);
  auto pdb = budget(models::IntOrString::of(2), {});
  pdb.status.disruptedPods["a"] = models::Timestamp{100};
  auto p = plan(pdb, {&a, &b, &c}, {}, 110, 120);
  CHECK(p.status.currentHealthy == 2);
  CHECK(p.status.disruptionsAllowed == 0);
  REQUIRE(p.recheck_at);
  CHECK(*p.recheck_at == 220);
  // Never deleted within the timeout: counted again, and reported.
  p = plan(pdb, {&a, &b, &c}, {}, 221, 120);
  CHECK(p.status.currentHealthy == 3);
  CHECK(p.status.disruptedPods.empty());
  CHECK(p.expired == std::vector<std::string>{"a"});
}

TEST_CASE("without a known scale the budget fails safe") {
  const auto a = running_pod("a", true);
  const auto pdb = budget({}, models::IntOrString::of(1));
  ExpectedScale scale;
  scale.error = "found no controllers for pod \"a\"";
  const auto p = plan(pdb, {&a}, scale, 20, 120);
  CHECK(p.failure == scale.error);
  CHECK(p.status.disruptionsAllowed == 0);
  const auto* cond = models::find_condition(p.status.conditions, "DisruptionAllowed");
  REQUIRE(cond);
  CHECK(cond->reason == "SyncFailed");
  CHECK(cond->message == scale.error);
  CHECK_FALSE(needs_scale(budget(models::IntOrString::of(2), {})));
  CHECK(needs_scale(budget(models::IntOrString::of("50%"), {})));
}
