// kube-scheduler's filter and its FailedScheduling message, as tables.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <set>

#include "node_objects.hpp"
#include "sim/controllers/scheduler/plan.hpp"

using namespace kvsim;
using sim::controllers::scheduler::NodeState;
using testing::node_with_memory;

namespace {

models::Pod pod_asking(const char* memory) {
  models::Pod p;
  models::Container c;
  c.name = "c";
  c.resources.requests["memory"] = *models::Quantity::parse(memory);
  p.spec.containers.push_back(c);
  return p;
}

std::vector<std::string> reasons(const models::Pod& pod, const NodeState& s) {
  return sim::controllers::scheduler::filter_reasons(pod, models::pod_requests(pod.spec), s);
}

NodeState node_state_of(const models::Node& n) {
  NodeState s;
  s.node = &n;
  return s;
}

}  // namespace

TEST_CASE("an unschedulable pod's message counts each reason as upstream does") {
  std::vector<models::Node> nodes = {node_with_memory("cp-1", "32Gi", true), node_with_memory("cp-2", "32Gi", true),
                                     node_with_memory("cp-3", "32Gi", true), node_with_memory("w-1", "4Gi"),
                                     node_with_memory("w-2", "4Gi"),         node_with_memory("w-3", "4Gi")};
  std::vector<NodeState> states;
  for (const auto& n : nodes) states.push_back(node_state_of(n));
  sim::engine::Rng rng(1);
  const auto d = sim::controllers::scheduler::schedule(pod_asking("8Gi"), states, rng);
  CHECK(d.node.empty());
  CHECK(d.message ==
        "0/6 nodes are available: 3 Insufficient memory, 3 node(s) had untolerated taint "
        "{node-role.kubernetes.io/master: }.");
}

TEST_CASE("the scheduler filters on taints, nodeSelector, cordoning and requests already placed") {
  const auto n = node_with_memory("w-1", "4Gi");
  auto pod = pod_asking("1Gi");
  auto s = node_state_of(n);
  CHECK(reasons(pod, s).empty());
  s.set_requested({{"memory", *models::Quantity::parse("3500Mi")}});
  CHECK(reasons(pod, s) == std::vector<std::string>{"Insufficient memory"});
  s.set_requested({});
  pod.spec.nodeSelector["disk"] = "ssd";
  CHECK(reasons(pod, s) == std::vector<std::string>{"node(s) didn't match Pod's node affinity/selector"});
  pod.spec.nodeSelector.clear();
  auto cordoned = n;
  cordoned.spec.unschedulable = true;
  auto c = node_state_of(cordoned);
  CHECK(reasons(pod, c) == std::vector<std::string>{"node(s) were unschedulable"});
}

TEST_CASE("ties between equally good nodes are broken by the seeded RNG, the same way each run") {
  std::vector<models::Node> nodes = {node_with_memory("w-1", "4Gi"), node_with_memory("w-2", "4Gi"),
                                     node_with_memory("w-3", "4Gi")};
  std::vector<NodeState> states;
  for (const auto& n : nodes) states.push_back(node_state_of(n));
  auto pick = [&](std::uint64_t seed) {
    sim::engine::Rng rng(seed);
    return sim::controllers::scheduler::schedule(pod_asking("1Gi"), states, rng).node;
  };
  CHECK(pick(7) == pick(7));
  std::set<std::string> chosen;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) chosen.insert(pick(seed));
  CHECK(chosen.size() == 3);
}

namespace {

using sim::controllers::scheduler::schedule;

std::vector<NodeState> states_of(const std::vector<models::Node>& nodes) {
  std::vector<NodeState> states;
  for (const auto& n : nodes) states.push_back(node_state_of(n));
  return states;
}

models::LabelSelectorRequirement req(const char* key, const char* op, std::vector<std::string> values) {
  return {key, op, std::move(values)};
}

}  // namespace

TEST_CASE("a node short of several resources counts once per resource, as NodeResourcesFit reports") {
  std::vector<models::Node> nodes = {node_with_memory("w-1", "1Gi"), node_with_memory("w-2", "1Gi")};
  auto pod = pod_asking("2Gi");
  pod.spec.containers[0].resources.requests["cpu"] = *models::Quantity::parse("16");
  sim::engine::Rng rng(1);
  const auto d = schedule(pod, states_of(nodes), rng);
  CHECK(d.message == "0/2 nodes are available: 2 Insufficient cpu, 2 Insufficient memory.");
}

TEST_CASE("extended resources are requests like cpu and memory") {
  auto with_vfs = node_with_memory("w-1", "8Gi");
  with_vfs.status.allocatable["openshift.io/sriov_nics"] = models::Quantity::from_units(2);
  std::vector<models::Node> nodes = {node_with_memory("w-0", "8Gi"), with_vfs};
  auto pod = pod_asking("1Gi");
  pod.spec.containers[0].resources.requests["openshift.io/sriov_nics"] = models::Quantity::from_units(1);
  auto states = states_of(nodes);
  sim::engine::Rng rng(1);
  CHECK(schedule(pod, states, rng).node == "w-1");
  states[1].add_requests({{"openshift.io/sriov_nics", models::Quantity::from_units(2)}}, +1);
  CHECK(schedule(pod, states, rng).message == "0/2 nodes are available: 2 Insufficient openshift.io/sriov_nics.");
}

TEST_CASE("required node affinity ORs its terms and ANDs their expressions, Gt and Lt compare integers") {
  auto big = node_with_memory("w-big", "8Gi");
  big.metadata.labels = {{"cores", "64"}, {"zone", "a"}};
  auto small = node_with_memory("w-small", "8Gi");
  small.metadata.labels = {{"cores", "8"}, {"zone", "b"}};
  std::vector<models::Node> nodes = {big, small};
  auto pod = pod_asking("1Gi");
  pod.spec.affinity.emplace();
  pod.spec.affinity->nodeAffinity.emplace();
  auto& required = pod.spec.affinity->nodeAffinity->requiredDuringSchedulingIgnoredDuringExecution.emplace();
  sim::engine::Rng rng(1);

  SECTION("Gt") {
    required.nodeSelectorTerms = {{{req("cores", "Gt", {"16"})}, {}}};
    CHECK(schedule(pod, states_of(nodes), rng).node == "w-big");
  }
  SECTION("Lt") {
    required.nodeSelectorTerms = {{{req("cores", "Lt", {"16"})}, {}}};
    CHECK(schedule(pod, states_of(nodes), rng).node == "w-small");
  }
  SECTION("expressions of one term are ANDed") {
    required.nodeSelectorTerms = {{{req("cores", "Gt", {"16"}), req("zone", "In", {"b"})}, {}}};
    CHECK(schedule(pod, states_of(nodes), rng).message ==
          "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector.");
  }
  SECTION("terms are ORed") {
    required.nodeSelectorTerms = {{{req("zone", "In", {"c"})}, {}}, {{req("zone", "NotIn", {"a"})}, {}}};
    CHECK(schedule(pod, states_of(nodes), rng).node == "w-small");
  }
  SECTION("DoesNotExist and matchFields on metadata.name") {
    required.nodeSelectorTerms = {{{req("gpu", "DoesNotExist", {})}, {req("metadata.name", "In", {"w-big"})}}};
    CHECK(schedule(pod, states_of(nodes), rng).node == "w-big");
  }
}

TEST_CASE("preferred node affinity and PreferNoSchedule taints steer the choice without filtering") {
  auto a = node_with_memory("w-a", "8Gi");
  a.metadata.labels["disk"] = "ssd";
  auto b = node_with_memory("w-b", "8Gi");
  std::vector<models::Node> nodes = {a, b};
  auto pod = pod_asking("1Gi");
  sim::engine::Rng rng(1);

  SECTION("the preferred node wins every time") {
    pod.spec.affinity.emplace();
    pod.spec.affinity->nodeAffinity.emplace();
    pod.spec.affinity->nodeAffinity->preferredDuringSchedulingIgnoredDuringExecution = {{50, {{req("disk", "In", {"ssd"})}, {}}}};
    for (int i = 0; i < 10; ++i) CHECK(schedule(pod, states_of(nodes), rng).node == "w-a");
  }
  SECTION("a PreferNoSchedule taint is avoided, but still usable when it is the only node") {
    nodes[0].spec.taints.push_back({"maintenance", "soon", "PreferNoSchedule", std::nullopt});
    for (int i = 0; i < 10; ++i) CHECK(schedule(pod, states_of(nodes), rng).node == "w-b");
    std::vector<models::Node> only = {nodes[0]};
    CHECK(schedule(pod, states_of(only), rng).node == "w-a");
  }
}

TEST_CASE("NoExecute taints filter like NoSchedule, and tolerations match by key, value, effect or Exists") {
  auto n = node_with_memory("w-1", "8Gi");
  n.spec.taints.push_back({"node.kubernetes.io/unreachable", "", "NoExecute", std::nullopt});
  auto pod = pod_asking("1Gi");
  auto s = node_state_of(n);
  CHECK(reasons(pod, s) == std::vector<std::string>{"node(s) had untolerated taint {node.kubernetes.io/unreachable: }"});
  pod.spec.tolerations.push_back({"node.kubernetes.io/unreachable", "Exists", "", "NoSchedule", std::nullopt});
  CHECK(!reasons(pod, s).empty());  // wrong effect
  pod.spec.tolerations.push_back({"node.kubernetes.io/unreachable", "Exists", "", "NoExecute", 300});
  CHECK(reasons(pod, s).empty());
  pod.spec.tolerations = {{"", "Exists", "", "", std::nullopt}};  // tolerates everything
  CHECK(reasons(pod, s).empty());
}

TEST_CASE("a cordoned node still takes pods that tolerate node.kubernetes.io/unschedulable") {
  auto n = node_with_memory("w-1", "8Gi");
  n.spec.unschedulable = true;
  auto pod = pod_asking("1Gi");
  pod.spec.tolerations.push_back({"node.kubernetes.io/unschedulable", "Exists", "", "NoSchedule", std::nullopt});
  CHECK(reasons(pod, node_state_of(n)).empty());
}

TEST_CASE("pods without requests still spread: scoring counts upstream's non-zero defaults") {
  std::vector<models::Node> nodes = {node_with_memory("w-1", "8Gi"), node_with_memory("w-2", "8Gi")};
  auto states = states_of(nodes);
  models::Pod empty;
  empty.spec.containers.push_back(models::Container{});
  const auto defaults = sim::controllers::scheduler::nonzero_requests(empty.spec);
  CHECK(defaults.at("cpu").milli() == 100);
  CHECK(defaults.at("memory") == *models::Quantity::parse("200Mi"));
  // w-1 already runs ten such pods: the next goes to w-2 whatever the seed.
  for (int i = 0; i < 10; ++i) {
    states[0].nonzero_requested.cpu += defaults.at("cpu").milli();
    states[0].nonzero_requested.memory += defaults.at("memory").milli();
  }
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    sim::engine::Rng rng(seed);
    CHECK(schedule(empty, states, rng).node == "w-2");
  }
}

TEST_CASE("large clusters are sampled: percentageOfNodesToScore adapts to the node count") {
  using sim::controllers::scheduler::feasible_nodes_to_find;
  CHECK(feasible_nodes_to_find(6) == 6);
  CHECK(feasible_nodes_to_find(99) == 99);
  CHECK(feasible_nodes_to_find(100) == 100);   // 49% of 100 is 49, but never fewer than 100
  CHECK(feasible_nodes_to_find(1000) == 420);  // 50 - 1000/125 = 42%
  CHECK(feasible_nodes_to_find(5000) == 500);  // 10%
  CHECK(feasible_nodes_to_find(10000) == 500); // at least 5%
  // The next cycle starts where this one stopped.
  std::vector<models::Node> nodes;
  for (int i = 0; i < 1000; ++i) nodes.push_back(node_with_memory(fmt::format("w-{:04}", i), "8Gi"));
  sim::engine::Rng rng(1);
  const auto d = schedule(pod_asking("1Gi"), states_of(nodes), rng, {}, 990);
  CHECK(d.next_start == (990 + 420) % 1000);
}

TEST_CASE("a pod whose affinity names its node (a daemon pod) is tried on that node alone, as NodeAffinity's PreFilter does") {
  std::vector<models::Node> nodes;
  for (int i = 0; i < 1000; ++i) nodes.push_back(node_with_memory(fmt::format("w-{:04}", i), "8Gi"));
  auto states = states_of(nodes);
  sim::controllers::scheduler::NodeSlots slots;
  for (std::size_t i = 0; i < nodes.size(); ++i) slots[nodes[i].metadata.name] = i;
  auto pod = pod_asking("1Gi");
  pod.spec.affinity.emplace();
  pod.spec.affinity->nodeAffinity.emplace();
  auto& required = pod.spec.affinity->nodeAffinity->requiredDuringSchedulingIgnoredDuringExecution.emplace();
  required.nodeSelectorTerms = {{{}, {req("metadata.name", "In", {"w-0500"})}}};
  sim::engine::Rng rng(1);

  // One node processed: the next cycle starts one node further (all nodes were examined before).
  auto d = schedule(pod, states, rng, {}, 7, &slots);
  CHECK(d.node == "w-0500");
  CHECK(d.next_start == 8);
  CHECK(schedule(pod, states, rng, {}, 7).node == "w-0500");  // without slots: found by name

  // The nodes left out share one reason, counted as upstream's FitError counts it.
  states[500].pods = 110;
  d = schedule(pod, states, rng, {}, 0, &slots);
  CHECK(d.node.empty());
  CHECK(d.message == "0/1000 nodes are available: 1 Too many pods, 999 node(s) didn't satisfy plugin(s) [NodeAffinity].");
  CHECK(d.statuses.size() == 1000);
  CHECK(d.statuses[500].resolvable);  // preemption may try the named node, and only it
  CHECK_FALSE(d.statuses[499].resolvable);

  // Names are ANDed within a term and ORed across terms.
  states[500].pods = 0;
  required.nodeSelectorTerms = {{{}, {req("metadata.name", "In", {"w-0001", "w-0002"}), req("metadata.name", "In", {"w-0002"})}},
                                {{}, {req("metadata.name", "In", {"w-0900"})}}};
  std::set<std::string> chosen;
  for (int i = 0; i < 20; ++i) chosen.insert(schedule(pod, states, rng, {}, 0, &slots).node);
  CHECK(chosen == std::set<std::string>{"w-0002", "w-0900"});
  // A term without a name requirement admits every node: no PreFilter.
  required.nodeSelectorTerms.push_back({{req("zone", "DoesNotExist", {})}, {}});
  CHECK(schedule(pod, states, rng, {}, 0, &slots).next_start == 420);
  // Terms that name no node at all conflict: the PreFilter rejects the pod before any filter.
  required.nodeSelectorTerms = {{{}, {req("metadata.name", "In", {"w-0001"}), req("metadata.name", "In", {"w-0002"})}}};
  d = schedule(pod, states, rng, {}, 0, &slots);
  CHECK(d.message == "0/1000 nodes are available: pod affinity terms conflict.");
  CHECK_FALSE(d.statuses[1].resolvable);
}

TEST_CASE("extra filters (volume binding) add their reason to the count") {
  std::vector<models::Node> nodes = {node_with_memory("w-1", "8Gi"), node_with_memory("w-2", "8Gi")};
  sim::engine::Rng rng(1);
  const auto d = schedule(pod_asking("1Gi"), states_of(nodes), rng, [](const models::Node& n) {
    using sim::controllers::scheduler::NodeStatus;
    return n.metadata.name == "w-1" ? NodeStatus{{"node(s) had volume node affinity conflict"}, false} : NodeStatus{};
  });
  CHECK(d.node == "w-2");
}

// schedule() keeps each node's facts for the last pod shape (NodeFactsMemo): a decision must be
// the one a cold cycle makes, whatever pods came before and however the nodes changed since.
TEST_CASE("the scheduler's per-node memo never answers for another pod shape or an older node") {
  std::vector<models::Node> nodes = {node_with_memory("w-1", "4Gi"), node_with_memory("w-2", "4Gi")};
  nodes[0].metadata.resourceVersion = "10";
  nodes[1].metadata.resourceVersion = "11";
  nodes[1].metadata.labels["disk"] = "ssd";
  auto states = states_of(nodes);
  auto cold = [&](const models::Pod& pod) {
    sim::engine::Rng rng(3);
    return schedule(pod, states_of(nodes), rng);
  };
  auto warm = [&](const models::Pod& pod) {
    sim::engine::Rng rng(3);
    return schedule(pod, states, rng);
  };
  auto ssd = pod_asking("1Gi");
  ssd.spec.nodeSelector["disk"] = "ssd";
  auto tolerant = pod_asking("1Gi");
  tolerant.spec.tolerations.push_back({"dedicated", "Exists", "", "NoSchedule", std::nullopt});
  auto big = pod_asking("3Gi");
  big.spec.containers[0].resources.requests["cpu"] = *models::Quantity::parse("1");
  // Pods of different shapes, one after another, on the same states.
  for (int round = 0; round < 2; ++round) {
    CHECK(warm(ssd).node == "w-2");
    CHECK(warm(tolerant).node == cold(tolerant).node);
    CHECK(warm(big).node == cold(big).node);
    CHECK(warm(ssd).node == "w-2");
  }
  // A new state of w-2 (a new resourceVersion) without the label and with a taint: heard at once.
  models::Node relabelled = nodes[1];
  relabelled.metadata.resourceVersion = "12";
  relabelled.metadata.labels.erase("disk");
  relabelled.spec.taints.push_back({"dedicated", "gpu", "NoSchedule", std::nullopt});
  states[1].node = &relabelled;
  const auto d = warm(ssd);
  CHECK(d.node.empty());
  CHECK(d.message ==
        "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint "
        "{dedicated: gpu}.");
  CHECK(warm(pod_asking("1Gi")).node == "w-1");
  CHECK(warm(tolerant).node.empty() == false);
  // Room taken on a node is read from its state at each cycle, never from the memo.
  states[0].add_requests({{"memory", *models::Quantity::parse("3500Mi")}}, +1);
  CHECK(warm(tolerant).node == "w-2");
  CHECK(warm(pod_asking("1Gi")).message ==
        "0/2 nodes are available: 1 Insufficient memory, 1 node(s) had untolerated taint {dedicated: gpu}.");
}
