// The node lifecycle and taint eviction decisions as tables: lease age ->
// conditions and taints, tolerations -> when a pod is deleted.
#include <catch2/catch.hpp>

#include "node_objects.hpp"
#include "sim/controllers/nodelifecycle/plan.hpp"

using namespace kvsim;
using namespace kvsim::sim::controllers::nodelifecycle;
using testing::taint;

namespace {

// The monitor's view of a kubelet that renews its lease every 10 s from
// `first` to `last` and then stops: passes every 5 s from 0, each seeing the
// renewals older than the watch latency. Returns the pass that presumes it gone.
double first_pass_presuming_gone(double first, double last, double grace) {
  NodeHealth h;
  bool seen = false;
  for (int pass = 0; pass < 1000; ++pass) {
    const double now = pass * 5.0;
    if (!seen) {
      h.probe_timestamp = now;  // the node's first sight
      seen = true;
    }
    double visible = -1;
    for (double r = first; r <= last + 1e-9; r += 10)
      if (r + 0.05 <= now) visible = r;
    observe_lease(h, visible, now);
    if (kubelet_presumed_gone(h, grace, now)) return now;
  }
  return -1;
}

models::Toleration toleration(const std::string& key, std::optional<std::int64_t> seconds,
                              const std::string& effect = "NoExecute") {
  return models::Toleration{key, "Exists", "", effect, seconds};
}

}  // namespace

TEST_CASE("a silent kubelet is presumed gone at the first monitor pass strictly after probe + grace") {
  struct Row {
    double first, last, grace, expected;
  };
  // The probe moves to the pass that first sees a renewal (the pass after it,
  // given the watch latency); "after" is strict, so the pass at probe + grace
  // does not count yet.
  const Row rows[] = {
      {0, 90, 40, 140},   // Kubernetes 1.31: renewal at 90 seen at 95; 95 + 40 = 135 is not after; 140 is
      {0, 90, 50, 150},   // 1.32 (PR #126287): 95 + 50 = 145 -> 150
      {3, 93, 50, 150},   // renewal at 93 seen at 95 too
      {7, 97, 50, 155},   // renewal at 97 seen at 100 -> 155
      {0, 0, 40, 50},     // failed right after start: renewal 0 seen at 5 -> 50
  };
  for (const auto& r : rows) {
    INFO("renewals " << r.first << ".." << r.last << ", grace " << r.grace);
    CHECK(first_pass_presuming_gone(r.first, r.last, r.grace) == r.expected);
  }
}

TEST_CASE("a lease renewal moves the probe to the controller's clock, and only a newer one does") {
  NodeHealth h{10, 8};
  observe_lease(h, 8, 15);
  CHECK(h.probe_timestamp == 10);
  observe_lease(h, 18, 20);
  CHECK(h.probe_timestamp == 20);
  CHECK(h.seen_renewal == 18);
  observe_lease(h, -1, 25);  // no lease at all
  CHECK(h.probe_timestamp == 20);
}

TEST_CASE("presumed gone: Ready and the pressure conditions go Unknown, missing ones are added") {
  std::vector<models::Condition> conditions = {
      {"MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"},
      {"Ready", "True", "KubeletReady", "kubelet is posting ready status"},
      {"NetworkUnavailable", "False", "RouteCreated", ""},
  };
  conditions[1].lastHeartbeatTime = models::Timestamp{90};
  REQUIRE(mark_conditions_unknown(conditions, 150));
  struct Row {
    const char* type;
    const char* status;
    const char* reason;
    const char* message;
  };
  const Row rows[] = {
      {"MemoryPressure", "Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status."},
      {"Ready", "Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status."},
      {"NetworkUnavailable", "False", "RouteCreated", ""},  // the network plugin's, left alone
      {"DiskPressure", "Unknown", "NodeStatusNeverUpdated", "Kubelet never posted node status."},
      {"PIDPressure", "Unknown", "NodeStatusNeverUpdated", "Kubelet never posted node status."},
  };
  REQUIRE(conditions.size() == std::size(rows));
  for (std::size_t i = 0; i < conditions.size(); ++i) {
    INFO(rows[i].type);
    CHECK(conditions[i].type == rows[i].type);
    CHECK(conditions[i].status == rows[i].status);
    CHECK(conditions[i].reason == rows[i].reason);
    CHECK(conditions[i].message == rows[i].message);
  }
  CHECK(conditions[1].lastTransitionTime->seconds == 150);
  CHECK(conditions[1].lastHeartbeatTime->seconds == 90);  // when the kubelet last spoke
  CHECK_FALSE(mark_conditions_unknown(conditions, 155));  // already Unknown: nothing to write
}

TEST_CASE("NoSchedule taints mirror the conditions and spec.unschedulable") {
  struct Row {
    const char* what;
    std::string ready;
    bool unschedulable;
    std::vector<std::string> existing;  // NoSchedule taint keys on the node
    std::vector<std::string> add, remove;
  };
  const Row rows[] = {
      {"healthy", "True", false, {}, {}, {}},
      {"unreachable", "Unknown", false, {}, {kUnreachableTaint}, {}},
      {"not ready", "False", false, {}, {kNotReadyTaint}, {}},
      {"was unreachable, now not ready", "False", false, {kUnreachableTaint}, {kNotReadyTaint}, {kUnreachableTaint}},
      {"recovered", "True", false, {kUnreachableTaint}, {}, {kUnreachableTaint}},
      {"cordoned", "True", true, {}, {kUnschedulableTaint}, {}},
      {"uncordoned", "True", false, {kUnschedulableTaint}, {}, {kUnschedulableTaint}},
      {"a user's own taint is not ours", "True", false, {"dedicated"}, {}, {}},
  };
  for (const auto& r : rows) {
    INFO(r.what);
    models::Node node;
    node.status.conditions = {{"Ready", r.ready, "", ""}};
    if (r.unschedulable) node.spec.unschedulable = true;
    for (const auto& k : r.existing) node.spec.taints.push_back(taint(k, "NoSchedule"));
    const auto change = no_schedule_taint_change(node);
    std::vector<std::string> add, remove;
    for (const auto& t : change.add) add.push_back(t.key);
    for (const auto& t : change.remove) remove.push_back(t.key);
    CHECK(add == r.add);
    CHECK(remove == r.remove);
  }
}

TEST_CASE("the NoExecute taint follows Ready: not-ready for False, unreachable for Unknown") {
  CHECK_FALSE(no_execute_taint_for("True"));
  CHECK(no_execute_taint_for("False")->key == kNotReadyTaint);
  CHECK(no_execute_taint_for("Unknown")->key == kUnreachableTaint);
  CHECK(no_execute_taint_for("Unknown")->effect == "NoExecute");
}

TEST_CASE("added taints carry timeAdded, present ones keep theirs") {
  std::vector<models::Taint> taints = {taint(kUnreachableTaint, "NoSchedule")};
  taints[0].timeAdded = models::Timestamp{150.05};
  TaintChange change{{taint(kUnreachableTaint, "NoSchedule"), taint(kUnreachableTaint)}, {}};
  const auto out = apply_taint_change(taints, change, 155.1);
  REQUIRE(out.size() == 2);
  CHECK(out[0].timeAdded->seconds == 150.05);
  CHECK(out[1].effect == "NoExecute");
  CHECK(out[1].timeAdded->seconds == 155.1);
}

TEST_CASE("zone states and the tainting rate they allow") {
  struct Row {
    int ready, not_ready;
    ZoneState state;
  };
  const Row rows[] = {
      {5, 0, ZoneState::Normal},
      {5, 1, ZoneState::Normal},
      {1, 2, ZoneState::Normal},             // not more than 2 not ready
      {3, 3, ZoneState::Normal},             // 50% < 55%
      {2, 3, ZoneState::PartialDisruption},  // 60%
      {0, 3, ZoneState::FullDisruption},
  };
  for (const auto& r : rows) {
    INFO(r.ready << " ready, " << r.not_ready << " not ready");
    CHECK(compute_zone_state(r.ready, r.not_ready, 0.55) == r.state);
  }
  const EvictionRates rates;
  CHECK(tainting_rate(ZoneState::Normal, 6, false, rates) == 0.1);
  CHECK(tainting_rate(ZoneState::PartialDisruption, 6, false, rates) == 0);       // small zone: stop
  CHECK(tainting_rate(ZoneState::PartialDisruption, 100, false, rates) == 0.01);  // large zone: slow down
  CHECK(tainting_rate(ZoneState::FullDisruption, 6, false, rates) == 0.1);        // one zone down among others
  CHECK(tainting_rate(ZoneState::FullDisruption, 6, true, rates) == 0);           // all down: master disruption
}

TEST_CASE("zone keys come from the topology labels") {
  models::Node node;
  CHECK(zone_of(node).empty());
  node.metadata.labels = {{"topology.kubernetes.io/region", "eu"}, {"topology.kubernetes.io/zone", "eu-1"}};
  const std::string expected("eu:\0:eu-1", 9);  // upstream's separator, NUL included
  CHECK(zone_of(node) == expected);
}

TEST_CASE("a toleration tolerates a taint by key, operator, value and effect") {
  struct Row {
    models::Toleration t;
    models::Taint taint;
    bool tolerates;
  };
  const Row rows[] = {
      {toleration(kUnreachableTaint, 300), taint(kUnreachableTaint), true},
      {toleration(kUnreachableTaint, 300), taint(kNotReadyTaint), false},
      {toleration(kUnreachableTaint, 300, "NoSchedule"), taint(kUnreachableTaint), false},
      {toleration(kUnreachableTaint, std::nullopt, ""), taint(kUnreachableTaint), true},   // any effect
      {models::Toleration{"", "Exists", "", "", std::nullopt}, taint("anything"), true},    // tolerates everything
      {models::Toleration{"dedicated", "Equal", "db", "NoExecute", std::nullopt}, {"dedicated", "db", "NoExecute", {}}, true},
      {models::Toleration{"dedicated", "Equal", "db", "NoExecute", std::nullopt}, {"dedicated", "web", "NoExecute", {}}, false},
      {models::Toleration{"dedicated", "", "db", "NoExecute", std::nullopt}, {"dedicated", "db", "NoExecute", {}}, true},
  };
  for (std::size_t i = 0; i < std::size(rows); ++i) {
    INFO("row " << i);
    CHECK(tolerates(rows[i].t, rows[i].taint) == rows[i].tolerates);
  }
}

TEST_CASE("taint eviction: when a pod on a NoExecute-tainted node is deleted") {
  using K = EvictionDecision::Kind;
  const std::vector<models::Toleration> defaults = {toleration(kNotReadyTaint, 300), toleration(kUnreachableTaint, 300)};
  const std::vector<models::Toleration> daemonset = {toleration(kNotReadyTaint, std::nullopt),
                                                     toleration(kUnreachableTaint, std::nullopt)};
  struct Row {
    const char* what;
    std::vector<models::Toleration> tolerations;
    std::vector<models::Taint> taints;
    std::optional<ScheduledEviction> scheduled;
    K kind;
    double fire_at;
  };
  const double now = 155.15;
  const Row rows[] = {
      {"DefaultTolerationSeconds: 300 s after the taint is seen", defaults, {taint(kUnreachableTaint)}, {}, K::Schedule, 455.15},
      {"no toleration: at once", {}, {taint(kUnreachableTaint)}, {}, K::DeleteNow, now},
      {"DaemonSet pods tolerate forever", daemonset, {taint(kUnreachableTaint)}, {}, K::Cancel, 0},
      {"tolerationSeconds 0: at once", {toleration(kUnreachableTaint, 0)}, {taint(kUnreachableTaint)}, {}, K::Schedule, now},
      {"negative seconds count as 0", {toleration(kUnreachableTaint, -5)}, {taint(kUnreachableTaint)}, {}, K::Schedule, now},
      {"the smallest of the tolerations used",
       {toleration(kUnreachableTaint, 300), toleration("maintenance", 60)},
       {taint(kUnreachableTaint), taint("maintenance")}, {}, K::Schedule, now + 60},
      {"one taint not tolerated: at once", defaults, {taint(kUnreachableTaint), taint("maintenance")}, {}, K::DeleteNow, now},
      {"taints gone: cancelled", defaults, {}, ScheduledEviction{100, 400}, K::Cancel, 0},
      {"an earlier schedule stays", defaults, {taint(kUnreachableTaint)}, ScheduledEviction{100, 400}, K::Keep, 400},
  };
  for (const auto& r : rows) {
    INFO(r.what);
    const auto d = plan_taint_eviction(r.tolerations, r.taints, now, r.scheduled);
    CHECK(d.kind == r.kind);
    if (r.kind == K::Schedule || r.kind == K::DeleteNow || r.kind == K::Keep) CHECK(d.when.fire_at == Approx(r.fire_at));
  }
}
