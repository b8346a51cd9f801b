// DefaultPreemption's PostFilter: which nodes preemption could help, the
// victims it picks and the "preemption: ..." half of FailedScheduling. That half
// is itself a FitError ending in "." and FitError adds " <part>." after it, so
// upstream's messages end in ".." (as real events show).
#include <catch2/catch.hpp>

#include "node_objects.hpp"
#include "sim/controllers/scheduler/preemption.hpp"

using namespace kvsim;
using namespace kvsim::sim::controllers::scheduler;
using testing::node_with_memory;

namespace {

models::Pod incoming_pod(const char* memory, std::int32_t priority) {
  models::Pod p;
  p.metadata.namespace_ = "default";
  p.metadata.name = "incoming";
  models::Container c;
  c.name = "c";
  c.resources.requests["memory"] = *models::Quantity::parse(memory);
  p.spec.containers.push_back(c);
  p.spec.priority = priority;
  return p;
}

BoundPod bound(const std::string& name, const char* memory, std::int32_t priority, double started = 0) {
  return {"default/" + name, priority, started, {{"memory", *models::Quantity::parse(memory)}}, false};
}

// The nodes with what their pods request, as the scheduler's cache keeps it.
struct Cluster {
  std::vector<models::Node> nodes;
  PodsByNode pods;
  std::vector<NodeState> states() const {
    std::vector<NodeState> out;
    for (const auto& n : nodes) {
      NodeState s;
      s.node = &n;
      if (auto it = pods.find(n.metadata.name); it != pods.end())
        for (const auto& p : it->second) {
          s.add_requests(p.requests, +1);
          ++s.pods;
        }
      out.push_back(s);
    }
    return out;
  }
};

struct Outcome {
  Preemption preemption;
  std::string message;
};

Outcome schedule_and_preempt(const Cluster& c, const models::Pod& pod, const ExtraFilter& extra = {}) {
  const auto states = c.states();
  sim::engine::Rng rng(1);
  const auto failure = schedule(pod, states, rng, extra);
  REQUIRE(failure.node.empty());
  auto p = preempt(pod, states, failure, c.pods, extra);
  return {p, failed_scheduling_message(failure, p)};
}

}  // namespace

TEST_CASE("resource nodes without lower-priority pods find no victims, tainted nodes are not helped") {
  Cluster c{{node_with_memory("cp-1", "32Gi", true), node_with_memory("cp-2", "32Gi", true),
             node_with_memory("cp-3", "32Gi", true), node_with_memory("w-1", "4Gi"), node_with_memory("w-2", "4Gi")},
            {{"w-1", {bound("a", "3Gi", 0)}}, {"w-2", {bound("b", "3Gi", 0)}}}};
  const auto out = schedule_and_preempt(c, incoming_pod("2Gi", 0));
  CHECK(out.preemption.node.empty());
  CHECK(out.preemption.clear_nomination);
  CHECK(out.message ==
        "0/5 nodes are available: 2 Insufficient memory, 3 node(s) had untolerated taint "
        "{node-role.kubernetes.io/master: }. preemption: 0/5 nodes are available: 2 No preemption victims found for "
        "incoming pod, 3 Preemption is not helpful for scheduling..");
}

TEST_CASE("a node still too small without its lower-priority pods gives the filter's reason again") {
  // w-1 is 4Gi: even empty it cannot hold 6Gi; w-2 holds only an equal-priority pod.
  Cluster c{{node_with_memory("w-1", "4Gi"), node_with_memory("w-2", "8Gi")},
            {{"w-1", {bound("low", "1Gi", 0)}}, {"w-2", {bound("peer", "4Gi", 100)}}}};
  const auto out = schedule_and_preempt(c, incoming_pod("6Gi", 100));
  CHECK(out.message ==
        "0/2 nodes are available: 2 Insufficient memory. preemption: 0/2 nodes are available: 1 Insufficient "
        "memory, 1 No preemption victims found for incoming pod..");
}

TEST_CASE("reasons of the preemption verdict are sorted as strings, counts included") {
  // 10 nodes without victims sort before 2 tainted ones: "10 No..." < "2 Preemption...".
  Cluster c;
  for (int i = 0; i < 10; ++i) c.nodes.push_back(node_with_memory("w-" + std::to_string(i), "1Gi"));
  c.nodes.push_back(node_with_memory("cp-1", "32Gi", true));
  c.nodes.push_back(node_with_memory("cp-2", "32Gi", true));
  const auto out = schedule_and_preempt(c, incoming_pod("2Gi", 0));
  CHECK(out.preemption.message ==
        "preemption: 0/12 nodes are available: 10 No preemption victims found for incoming pod, 2 Preemption is "
        "not helpful for scheduling.");
}

TEST_CASE("preemptionPolicy Never is not eligible to preempt, whatever the nodes say") {
  Cluster c{{node_with_memory("w-1", "4Gi")}, {{"w-1", {bound("low", "3Gi", 0)}}}};
  auto pod = incoming_pod("2Gi", 1000);
  pod.spec.preemptionPolicy = "Never";
  const auto out = schedule_and_preempt(c, pod);
  CHECK(out.preemption.victims.empty());
  CHECK_FALSE(out.preemption.clear_nomination);
  CHECK(out.message ==
        "0/1 nodes are available: 1 Insufficient memory. preemption: not eligible due to preemptionPolicy=Never..");
}

TEST_CASE("a PreFilter rejection leaves preemption nothing to try") {
  std::vector<models::Node> nodes = {node_with_memory("w-1", "4Gi"), node_with_memory("w-2", "4Gi")};
  std::vector<NodeState> states(2);
  states[0].node = &nodes[0];
  states[1].node = &nodes[1];
  Decision failure;
  failure.message = "0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims.";
  failure.statuses.assign(2, NodeStatus{{"pod has unbound immediate PersistentVolumeClaims"}, false});
  const auto p = preempt(incoming_pod("1Gi", 1000), states, failure, {});
  CHECK(failed_scheduling_message(failure, p) ==
        "0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/2 nodes are "
        "available: 2 Preemption is not helpful for scheduling..");
}

TEST_CASE("victims are the lowest-priority pods that make room, the more important ones reprieved first") {
  // 8Gi node, 7Gi used; the incoming 3Gi pod (priority 100) needs 2Gi freed.
  Cluster c{{node_with_memory("w-1", "8Gi")},
            {{"w-1",
              {bound("mid", "2Gi", 50), bound("low-old", "2Gi", 10, 5), bound("low-new", "1Gi", 10, 60),
               bound("high", "2Gi", 2000)}}}};
  const auto out = schedule_and_preempt(c, incoming_pod("3Gi", 100));
  CHECK(out.preemption.node == "w-1");
  // All three lower-priority pods off, then back by importance: mid (4Gi + 3Gi fits), low-old (started first,
  // 6Gi + 3Gi does not: victim), low-new (5Gi + 3Gi fits). "high" is never a candidate.
  CHECK(out.preemption.victims == std::vector<std::string>{"default/low-old"});
  CHECK(out.preemption.message.empty());
  CHECK(out.message == "0/1 nodes are available: 1 Insufficient memory.");
}

TEST_CASE("the nominated node is the one whose victims matter least") {
  auto pod = incoming_pod("3Gi", 1000);
  SECTION("lowest highest-victim priority first") {
    Cluster c{{node_with_memory("w-1", "4Gi"), node_with_memory("w-2", "4Gi")},
              {{"w-1", {bound("p20", "2Gi", 20)}}, {"w-2", {bound("p10", "2Gi", 10)}}}};
    CHECK(schedule_and_preempt(c, pod).preemption.node == "w-2");
  }
  SECTION("then the lowest sum of priorities: at equal priorities, the fewest victims") {
    // Each 1536Mi pod alone leaves no room for 3Gi on a 4Gi node: both must go.
    Cluster c{{node_with_memory("w-1", "4Gi"), node_with_memory("w-2", "4Gi")},
              {{"w-1", {bound("a", "1536Mi", -5), bound("b", "1536Mi", -5)}}, {"w-2", {bound("c", "2Gi", -5)}}}};
    CHECK(schedule_and_preempt(c, pod).preemption.node == "w-2");
    CHECK(schedule_and_preempt(c, pod).preemption.victims == std::vector<std::string>{"default/c"});
    c.pods["w-2"] = {bound("c", "1536Mi", -5), bound("d", "1536Mi", -10)};
    CHECK(schedule_and_preempt(c, pod).preemption.node == "w-2");
    CHECK(schedule_and_preempt(c, pod).preemption.victims == std::vector<std::string>{"default/c", "default/d"});
  }
  SECTION("then the victims that started last") {
    Cluster c{{node_with_memory("w-1", "4Gi"), node_with_memory("w-2", "4Gi")},
              {{"w-1", {bound("old", "2Gi", 10, 1)}}, {"w-2", {bound("young", "2Gi", 10, 500)}}}};
    CHECK(schedule_and_preempt(c, pod).preemption.node == "w-2");
  }
}

TEST_CASE("a pod whose earlier victims are still terminating on its nominated node waits") {
  auto dying = bound("low", "3Gi", 0);
  dying.terminating_by_preemption = true;
  Cluster c{{node_with_memory("w-1", "4Gi")}, {{"w-1", {dying}}}};
  auto pod = incoming_pod("2Gi", 1000);
  pod.status.nominatedNodeName = "w-1";
  const auto out = schedule_and_preempt(c, pod);
  CHECK(out.preemption.victims.empty());
  CHECK(out.message ==
        "0/1 nodes are available: 1 Insufficient memory. preemption: not eligible due to a terminating pod on the "
        "nominated node..");
  SECTION("unless the nominated node can no longer be helped") {
    c.nodes[0].spec.taints.push_back({"dedicated", "db", "NoSchedule", std::nullopt});
    const auto again = schedule_and_preempt(c, pod);
    CHECK(again.preemption.message ==
          "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.");
    CHECK(again.preemption.clear_nomination);
  }
}

TEST_CASE("a ReadWriteOncePod conflict is resolvable, a volume node affinity conflict is not") {
  Cluster c{{node_with_memory("w-1", "8Gi"), node_with_memory("w-2", "8Gi")}, {}};
  const ExtraFilter volumes = [](const models::Node& n) -> NodeStatus {
    if (n.metadata.name == "w-1")
      return {{"node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode"}, true};
    return {{"node(s) had volume node affinity conflict"}, false};
  };
  const auto out = schedule_and_preempt(c, incoming_pod("1Gi", 0), volumes);
  CHECK(out.preemption.message ==
        "preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not "
        "helpful for scheduling.");
}

TEST_CASE("pods nominated to a node count there for pods of no higher priority than theirs") {
  Cluster c{{node_with_memory("w-1", "8Gi"), node_with_memory("w-2", "8Gi")}, {}};
  const auto states = c.states();
  PodsByNode nominated{{"w-1", {bound("urgent", "6Gi", 1000)}}};
  sim::engine::Rng rng(1);

  SECTION("a lower-priority pod sees the room taken") {
    const auto view = with_nominated(incoming_pod("4Gi", 0), states, nominated);
    REQUIRE(view);
    CHECK(schedule(incoming_pod("4Gi", 0), *view, rng).node == "w-2");
    CHECK((*view)[0].pods == 1);
    CHECK((*view)[1].pods == 0);
  }
  SECTION("a higher-priority pod does not") {
    CHECK_FALSE(with_nominated(incoming_pod("4Gi", 2000), states, nominated));
  }
  SECTION("nor does the nominated pod itself") {
    auto self = incoming_pod("6Gi", 1000);
    self.metadata.name = "urgent";
    CHECK_FALSE(with_nominated(self, states, nominated));
  }
}
