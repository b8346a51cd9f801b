// kube-scheduler's filter and its FailedScheduling message, as tables.
#include <catch2/catch.hpp>

#include "sim/controllers/scheduler/plan.hpp"

using namespace kvsim;
using sim::controllers::scheduler::NodeState;

namespace {

models::Node node(const std::string& name, const char* memory, bool control_plane = false) {
  models::Node n;
  n.metadata.name = name;
  n.status.allocatable = {{"cpu", *models::Quantity::parse("8")},
                          {"memory", *models::Quantity::parse(memory)},
                          {"pods", models::Quantity::from_units(110)}};
  if (control_plane) n.spec.taints.push_back({"node-role.kubernetes.io/master", "", "NoSchedule", std::nullopt});
  return n;
}

models::Pod pod_asking(const char* memory) {
  models::Pod p;
  models::Container c;
  c.name = "c";
  c.resources.requests["memory"] = *models::Quantity::parse(memory);
  p.spec.containers.push_back(c);
  return p;
}

}  // namespace

TEST_CASE("an unschedulable pod's message counts each reason as upstream does") {
  std::vector<models::Node> nodes = {node("cp-1", "32Gi", true), node("cp-2", "32Gi", true), node("cp-3", "32Gi", true),
                                     node("w-1", "4Gi"),          node("w-2", "4Gi"),          node("w-3", "4Gi")};
  std::vector<NodeState> states;
  for (const auto& n : nodes) states.push_back({&n, {}, 0, true});
  sim::engine::Rng rng(1);
  const auto d = sim::controllers::scheduler::schedule(pod_asking("8Gi"), states, rng);
  CHECK(d.node.empty());
  CHECK(d.message ==
        "0/6 nodes are available: 3 Insufficient memory, 3 node(s) had untolerated taint "
        "{node-role.kubernetes.io/master: }.");
}

TEST_CASE("the scheduler filters on taints, nodeSelector, cordoning and requests already placed") {
  const auto n = node("w-1", "4Gi");
  auto pod = pod_asking("1Gi");
  NodeState s{&n, {}, 0, true};
  CHECK(sim::controllers::scheduler::filter_reason(pod, models::pod_requests(pod.spec), s).empty());
  s.requested["memory"] = *models::Quantity::parse("3500Mi");
  CHECK(sim::controllers::scheduler::filter_reason(pod, models::pod_requests(pod.spec), s) == "Insufficient memory");
  s.requested.clear();
  pod.spec.nodeSelector["disk"] = "ssd";
  CHECK(sim::controllers::scheduler::filter_reason(pod, models::pod_requests(pod.spec), s) ==
        "node(s) didn't match Pod's node affinity/selector");
  pod.spec.nodeSelector.clear();
  auto cordoned = n;
  cordoned.spec.unschedulable = true;
  NodeState c{&cordoned, {}, 0, true};
  CHECK(sim::controllers::scheduler::filter_reason(pod, models::pod_requests(pod.spec), c) == "node(s) were unschedulable");
}

TEST_CASE("ties between equally good nodes are broken by the seeded RNG, the same way each run") {
  std::vector<models::Node> nodes = {node("w-1", "4Gi"), node("w-2", "4Gi"), node("w-3", "4Gi")};
  std::vector<NodeState> states;
  for (const auto& n : nodes) states.push_back({&n, {}, 0, true});
  auto pick = [&](std::uint64_t seed) {
    sim::engine::Rng rng(seed);
    return sim::controllers::scheduler::schedule(pod_asking("1Gi"), states, rng).node;
  };
  CHECK(pick(7) == pick(7));
  std::set<std::string> chosen;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) chosen.insert(pick(seed));
  CHECK(chosen.size() == 3);
}
