// The DaemonSet controller's decisions: which nodes are eligible, what it
// creates and deletes, how a rolling update steps, and the status it writes.
#include <catch2/catch.hpp>

#include "node_objects.hpp"
#include "sim/controllers/daemonset/eligibility.hpp"
#include "sim/controllers/daemonset/plan.hpp"

using namespace kvsim;
namespace ds = sim::controllers::daemonset;
using testing::taint;

namespace {

models::Node node(const std::string& name, models::Labels labels = {}, std::vector<models::Taint> taints = {}) {
  models::Node n;
  n.metadata.name = name;
  n.metadata.labels = std::move(labels);
  n.metadata.labels["kubernetes.io/hostname"] = name;
  n.metadata.labels["kubernetes.io/os"] = "linux";
  n.spec.taints = std::move(taints);
  return n;
}

models::DaemonSet daemonset(const std::string& strategy = "RollingUpdate", int max_unavailable = 1, int max_surge = 0) {
  models::DaemonSet d;
  d.metadata.name = "agent";
  d.metadata.namespace_ = "kube-system";
  d.metadata.uid = "ds-uid";
  d.metadata.generation = 2;
  d.spec.selector = models::LabelSelector{{{"app", "agent"}}, {}};
  d.spec.template_.metadata.labels = {{"app", "agent"}};
  d.spec.template_.spec.containers = {models::Container{}};
  d.spec.updateStrategy.type = strategy;
  if (strategy == "RollingUpdate")
    d.spec.updateStrategy.rollingUpdate = models::RollingUpdateDaemonSet{models::IntOrString::of(max_unavailable),
                                                                         models::IntOrString::of(max_surge)};
  return d;
}

// A pod bound to `node`, of template revision `hash`, Ready since `ready_since` (negative: not ready).
models::Pod agent_pod(const std::string& name, const std::string& node_name, const std::string& hash,
                      double ready_since, double created = 0) {
  models::Pod p;
  p.metadata.name = name;
  p.metadata.creationTimestamp = models::Timestamp{created};
  p.metadata.labels = {{"app", "agent"}, {ds::kRevisionHashLabel, hash}, {ds::kTemplateGenerationLabel, "1"}};
  p.spec.nodeName = node_name;
  p.status.phase = "Running";
  if (ready_since >= 0) p.status.conditions.push_back({"Ready", "True", "", "", models::Timestamp{ready_since}});
  return p;
}

ds::Observed daemonset_observed(const std::vector<const models::Node*>& nodes,
                                const std::vector<const models::Pod*>& pods, double now = 100) {
  ds::Observed o;
  o.nodes = nodes;
  o.pods = pods;
  o.hash = "new";
  o.now = now;
  return o;
}

std::vector<std::string> deleted(const ds::Plan& p) {
  std::vector<std::string> out;
  for (const auto& d : p.remove) out.push_back(d.pod);
  return out;
}

}  // namespace

TEST_CASE("a node is eligible by name, selector, affinity and taints, with the daemon pod's own tolerations") {
  struct Row {
    const char* what;
    models::Node node;
    bool should_run, should_continue;
  };
  auto spec = daemonset().spec.template_.spec;
  spec.nodeSelector = {{"kubernetes.io/os", "linux"}};
  spec.tolerations = {{"node-role.kubernetes.io/master", "", "", "NoSchedule", std::nullopt}};
  ds::add_daemon_tolerations(spec);
  const std::vector<Row> rows = {
      {"a plain worker", node("w-1"), true, true},
      {"a node without the selected label", [] { auto n = node("w-2"); n.metadata.labels.erase("kubernetes.io/os"); return n; }(), false, false},
      {"a control-plane node whose taint the template tolerates", node("cp-1", {}, {taint("node-role.kubernetes.io/master", "NoSchedule")}), true, true},
      {"an untolerated NoSchedule taint: no new pod, an old one stays", node("w-3", {}, {taint("dedicated", "NoSchedule")}), false, true},
      {"an untolerated NoExecute taint: the pod must go", node("w-4", {}, {taint("dedicated", "NoExecute")}), false, false},
      {"a cordoned node (unschedulable taint)", node("w-5", {}, {taint("node.kubernetes.io/unschedulable", "NoSchedule")}), true, true},
      {"a not-ready node", node("w-6", {}, {taint("node.kubernetes.io/not-ready", "NoExecute")}), true, true},
      {"an unreachable node", node("w-7", {}, {taint("node.kubernetes.io/unreachable", "NoExecute")}), true, true},
      {"memory pressure", node("w-8", {}, {taint("node.kubernetes.io/memory-pressure", "NoSchedule")}), true, true},
      {"disk pressure", node("w-9", {}, {taint("node.kubernetes.io/disk-pressure", "NoSchedule")}), true, true},
      {"pid pressure", node("w-10", {}, {taint("node.kubernetes.io/pid-pressure", "NoSchedule")}), true, true},
      {"network unavailable, pod not on the host network", node("w-11", {}, {taint("node.kubernetes.io/network-unavailable", "NoSchedule")}), false, true},
      {"a PreferNoSchedule taint does not matter", node("w-12", {}, {taint("dedicated", "PreferNoSchedule")}), true, true},
  };
  for (const auto& r : rows) {
    INFO(r.what);
    const auto fit = ds::node_fit(spec, r.node);
    CHECK(fit.should_run == r.should_run);
    CHECK(fit.should_continue_running == r.should_continue);
  }
}

TEST_CASE("host-network daemon pods also tolerate network-unavailable, and required affinity terms are ORed") {
  auto spec = daemonset().spec.template_.spec;
  spec.hostNetwork = true;
  ds::add_daemon_tolerations(spec);
  CHECK(ds::node_fit(spec, node("w-1", {}, {taint("node.kubernetes.io/network-unavailable", "NoSchedule")})).should_run);
  std::vector<std::string> keys;
  for (const auto& t : spec.tolerations) keys.push_back(t.key + ":" + t.effect + ":" + t.op);
  CHECK(keys == std::vector<std::string>{"node.kubernetes.io/not-ready:NoExecute:Exists",
                                         "node.kubernetes.io/unreachable:NoExecute:Exists",
                                         "node.kubernetes.io/disk-pressure:NoSchedule:Exists",
                                         "node.kubernetes.io/memory-pressure:NoSchedule:Exists",
                                         "node.kubernetes.io/pid-pressure:NoSchedule:Exists",
                                         "node.kubernetes.io/unschedulable:NoSchedule:Exists",
                                         "node.kubernetes.io/network-unavailable:NoSchedule:Exists"});
  for (const auto& t : spec.tolerations) CHECK_FALSE(t.tolerationSeconds.has_value());

  models::NodeSelectorTerm gpu, ssd;
  gpu.matchExpressions = {{"gpu", "Exists", {}}};
  ssd.matchExpressions = {{"disk", "In", {"ssd"}}};
  spec.affinity = models::Affinity{models::NodeAffinity{models::NodeSelector{{gpu, ssd}}, {}}, std::nullopt, std::nullopt};
  CHECK(ds::node_fit(spec, node("w-1", {{"disk", "ssd"}})).should_run);
  CHECK(ds::node_fit(spec, node("w-2", {{"gpu", "a100"}})).should_run);
  CHECK_FALSE(ds::node_fit(spec, node("w-3", {{"disk", "hdd"}})).should_run);
  spec.nodeName = "w-9";
  CHECK_FALSE(ds::node_fit(spec, node("w-1", {{"disk", "ssd"}})).should_run);
}

TEST_CASE("a daemon pod is pinned to its node by matchFields affinity, labelled with the revision, owned by the DaemonSet") {
  auto d = daemonset();
  models::NodeSelectorTerm zone;
  zone.matchExpressions = {{"zone", "In", {"a"}}};
  models::PreferredSchedulingTerm preferred{10, zone};
  d.spec.template_.spec.affinity = models::Affinity{models::NodeAffinity{models::NodeSelector{{zone}}, {preferred}}, std::nullopt, std::nullopt};
  const auto p = ds::new_daemon_pod(d, "w-2", "6d4b75cb6d");
  CHECK(p->metadata.generateName == "agent-");
  CHECK(p->metadata.name.empty());
  CHECK(p->metadata.labels == models::Labels{{"app", "agent"}, {"controller-revision-hash", "6d4b75cb6d"},
                                             {"pod-template-generation", "2"}});
  REQUIRE(p->metadata.ownerReferences.size() == 1);
  CHECK(p->metadata.ownerReferences[0].kind == "DaemonSet");
  CHECK(p->metadata.ownerReferences[0].controller == true);
  CHECK(p->metadata.ownerReferences[0].blockOwnerDeletion == true);
  CHECK(p->spec.nodeName.empty());  // the default scheduler binds it
  const auto& na = *p->spec.affinity->nodeAffinity;
  REQUIRE(na.requiredDuringSchedulingIgnoredDuringExecution->nodeSelectorTerms.size() == 1);
  const auto& term = na.requiredDuringSchedulingIgnoredDuringExecution->nodeSelectorTerms[0];
  CHECK(term.matchExpressions.empty());
  REQUIRE(term.matchFields.size() == 1);
  CHECK(term.matchFields[0].key == "metadata.name");
  CHECK(term.matchFields[0].op == "In");
  CHECK(term.matchFields[0].values == std::vector<std::string>{"w-2"});
  CHECK(na.preferredDuringSchedulingIgnoredDuringExecution.size() == 1);
  CHECK(ds::target_node(*p) == "w-2");
}

TEST_CASE("one pod per eligible node: missing ones are created, misplaced and extra ones deleted") {
  const auto d = daemonset();
  const auto w1 = node("w-1"), w2 = node("w-2"), w3 = node("w-3"),
             cp = node("cp-1", {}, {taint("node-role.kubernetes.io/master", "NoSchedule")}),
             tainted = node("w-4", {}, {taint("dedicated", "NoExecute")});
  const auto on_w1 = agent_pod("agent-aaaaa", "w-1", "new", 1, 1);
  const auto twin = agent_pod("agent-bbbbb", "w-1", "new", 1, 2);  // younger: goes
  const auto on_tainted = agent_pod("agent-ccccc", "w-4", "new", 1, 1);
  const auto on_cp_untolerated = agent_pod("agent-ddddd", "cp-1", "new", 1, 1);  // NoSchedule: may stay
  auto unbound_gone = agent_pod("agent-eeeee", "", "new", -1, 1);
  ds::pin_to_node(unbound_gone.spec, "w-9");  // a node that no longer exists
  const auto p = ds::plan(d, daemonset_observed({&cp, &w1, &w2, &w3, &tainted},
                                                {&on_w1, &twin, &on_tainted, &on_cp_untolerated, &unbound_gone}));
  CHECK(p.create_on == std::vector<std::string>{"w-2", "w-3"});
  CHECK(deleted(p) == std::vector<std::string>{"agent-bbbbb", "agent-ccccc", "agent-eeeee"});
  CHECK(p.status.desiredNumberScheduled == 3);
  CHECK(p.status.currentNumberScheduled == 1);
  CHECK(p.status.numberMisscheduled == 2);  // cp-1 and w-4
  CHECK(p.status.numberReady == 1);
  CHECK(p.status.numberAvailable == 1);
  CHECK(p.status.numberUnavailable == 2);
  CHECK(p.status.updatedNumberScheduled == 1);
  CHECK(p.status.observedGeneration == 2);
}

TEST_CASE("while creations or deletions are unseen the controller acts on nothing but still counts") {
  const auto d = daemonset();
  const auto w1 = node("w-1"), w2 = node("w-2");
  const auto a = agent_pod("agent-aaaaa", "w-1", "new", 1);
  auto s = daemonset_observed({&w1, &w2}, {&a});
  s.expectations_met = false;
  const auto p = ds::plan(d, s);
  CHECK(p.create_on.empty());
  CHECK(p.remove.empty());
  CHECK(p.status.desiredNumberScheduled == 2);
  CHECK(p.status.currentNumberScheduled == 1);
}

TEST_CASE("a terminating pod holds its node: no second pod until it is gone") {
  const auto d = daemonset();
  const auto w1 = node("w-1");
  auto going = agent_pod("agent-aaaaa", "w-1", "new", 1);
  going.metadata.deletionTimestamp = models::Timestamp{50};
  const auto p = ds::plan(d, daemonset_observed({&w1}, {&going}));
  CHECK(p.create_on.empty());
  CHECK(p.remove.empty());
  auto finished = going;
  finished.status.phase = "Failed";  // finished and being deleted: the node is free
  CHECK(ds::plan(d, daemonset_observed({&w1}, {&finished})).create_on == std::vector<std::string>{"w-1"});
  auto failed = agent_pod("agent-bbbbb", "w-1", "new", -1);
  failed.status.phase = "Failed";
  CHECK(deleted(ds::plan(d, daemonset_observed({&w1}, {&failed}))) == std::vector<std::string>{"agent-bbbbb"});
}

TEST_CASE("a rolling update replaces old pods one node at a time, waiting for each new pod to be available") {
  auto d = daemonset();
  d.spec.minReadySeconds = 10;
  const auto w1 = node("w-1"), w2 = node("w-2"), w3 = node("w-3");
  const auto old1 = agent_pod("agent-old01", "w-1", "old", 1), old2 = agent_pod("agent-old02", "w-2", "old", 1),
             old3 = agent_pod("agent-old03", "w-3", "old", 1);
  auto old1_going = old1;
  old1_going.metadata.deletionTimestamp = models::Timestamp{100};
  const auto new1_starting = agent_pod("agent-new01", "w-1", "new", -1, 101);
  const auto new1_ready = agent_pod("agent-new01", "w-1", "new", 95, 90);  // ready 5 s: not yet available
  const auto new1_avail = agent_pod("agent-new01", "w-1", "new", 80, 70);  // ready 20 s: available
  struct Row {
    const char* step;
    std::vector<const models::Pod*> pods;
    std::vector<std::string> create, remove;
    int updated;
  };
  const std::vector<Row> rows = {
      {"all old and available: the first node's pod goes", {&old1, &old2, &old3}, {}, {"agent-old01"}, 0},
      {"it is terminating: nothing more (1 unavailable)", {&old1_going, &old2, &old3}, {}, {}, 0},
      {"it is gone: the manage step recreates it", {&old2, &old3}, {"w-1"}, {}, 0},
      {"the new pod is starting: wait", {&new1_starting, &old2, &old3}, {}, {}, 1},
      {"ready but not minReadySeconds yet: wait", {&new1_ready, &old2, &old3}, {}, {}, 1},
      {"available: the next node's pod goes", {&new1_avail, &old2, &old3}, {}, {"agent-old02"}, 1},
  };
  for (const auto& r : rows) {
    INFO(r.step);
    const auto p = ds::plan(d, daemonset_observed({&w1, &w2, &w3}, r.pods));
    CHECK(p.create_on == r.create);
    CHECK(deleted(p) == r.remove);
    CHECK(p.status.updatedNumberScheduled == r.updated);
  }
  // The not-yet-available pod asks for a look when it will be.
  const auto waiting = ds::plan(d, daemonset_observed({&w1, &w2, &w3}, {&new1_ready, &old2, &old3}));
  REQUIRE(waiting.requeue_after);
  CHECK(*waiting.requeue_after == Approx(5));
  CHECK(waiting.status.numberReady == 3);
  CHECK(waiting.status.numberAvailable == 2);
}

TEST_CASE("maxUnavailable bounds how many old pods go at once, and an unavailable old pod is replaced at once") {
  const auto w1 = node("w-1"), w2 = node("w-2"), w3 = node("w-3");
  const auto old1 = agent_pod("agent-old01", "w-1", "old", 1), old2 = agent_pod("agent-old02", "w-2", "old", 1),
             old3 = agent_pod("agent-old03", "w-3", "old", 1);
  CHECK(deleted(ds::plan(daemonset("RollingUpdate", 2), daemonset_observed({&w1, &w2, &w3}, {&old1, &old2, &old3}))) ==
        std::vector<std::string>{"agent-old01", "agent-old02"});
  const auto broken = agent_pod("agent-old03", "w-3", "old", -1);
  CHECK(deleted(ds::plan(daemonset(), daemonset_observed({&w1, &w2, &w3}, {&old1, &old2, &broken}))) ==
        std::vector<std::string>{"agent-old03", "agent-old01"});
}

TEST_CASE("OnDelete keeps old pods, and only a deleted one comes back at the new template") {
  const auto d = daemonset("OnDelete");
  const auto w1 = node("w-1"), w2 = node("w-2");
  const auto old1 = agent_pod("agent-old01", "w-1", "old", 1), old2 = agent_pod("agent-old02", "w-2", "old", 1);
  auto p = ds::plan(d, daemonset_observed({&w1, &w2}, {&old1, &old2}));
  CHECK(p.remove.empty());
  CHECK(p.create_on.empty());
  CHECK(p.status.updatedNumberScheduled == 0);
  p = ds::plan(d, daemonset_observed({&w1, &w2}, {&old2}));
  CHECK(p.create_on == std::vector<std::string>{"w-1"});
}

TEST_CASE("with maxSurge the new pod starts beside the old one, which goes once the new one is available") {
  const auto d = daemonset("RollingUpdate", 0, 1);
  const auto w1 = node("w-1"), w2 = node("w-2");
  const auto old1 = agent_pod("agent-old01", "w-1", "old", 1), old2 = agent_pod("agent-old02", "w-2", "old", 1);
  auto p = ds::plan(d, daemonset_observed({&w1, &w2}, {&old1, &old2}));
  CHECK(p.create_on == std::vector<std::string>{"w-1"});
  CHECK(p.remove.empty());
  const auto new1_starting = agent_pod("agent-new01", "w-1", "new", -1, 99);
  p = ds::plan(d, daemonset_observed({&w1, &w2}, {&old1, &new1_starting, &old2}));
  CHECK(p.create_on.empty());
  CHECK(p.remove.empty());
  const auto new1_ready = agent_pod("agent-new01", "w-1", "new", 99, 98);
  p = ds::plan(d, daemonset_observed({&w1, &w2}, {&old1, &new1_ready, &old2}));
  CHECK(deleted(p) == std::vector<std::string>{"agent-old01"});
}
