// virt-controller's node controller decisions as tables (FIDELITY.md §4,
// pkg/virt-controller/watch/node): heartbeat age -> schedulable=false; VMIs
// without an alive launcher pod on an unresponsive node -> Failed.
#include <catch2/catch.hpp>

#include "models/codec/timestamp.hpp"
#include "sim/kubevirt/virt_node_plan.hpp"

using namespace kvsim;
using sim::kubevirt::launcher_alive;
using sim::kubevirt::plan_virt_node;

namespace {

models::Node node_with(std::optional<double> heartbeat, const char* schedulable) {
  models::Node n;
  n.metadata.name = "worker-1";
  if (heartbeat) n.metadata.annotations["kubevirt.io/heartbeat"] = models::to_rfc3339(models::Timestamp{*heartbeat});
  if (*schedulable) n.metadata.labels["kubevirt.io/schedulable"] = schedulable;
  return n;
}

models::VirtualMachineInstance vmi_on_worker1(const std::string& name, const std::string& phase) {
  models::VirtualMachineInstance v;
  v.metadata.namespace_ = "default";
  v.metadata.name = name;
  v.metadata.uid = "uid-" + name;
  v.status.phase = phase;
  v.status.nodeName = "worker-1";
  return v;
}

}  // namespace

TEST_CASE("a node is unresponsive once its virt-handler heartbeat is older than the timeout") {
  struct Row {
    std::optional<double> heartbeat;  // sim seconds; none: never annotated
    const char* schedulable;          // label value, "" = absent
    double now;
    bool unresponsive;
    bool mark_unschedulable;
  };
  const Row rows[] = {
      {100, "true", 399, false, false},      // 299 s old
      {100, "true", 400, false, false},      // exactly 300 s: not yet (Before(now - timeout))
      {100, "true", 401, true, true},        // 301 s old
      {100, "false", 500, true, false},      // already labelled false: no second patch
      {100, "", 500, true, false},           // no label: nothing to flip
      {std::nullopt, "true", 5000, false, false},  // virt-handler never ran there
  };
  for (const auto& r : rows) {
    INFO("heartbeat " << r.heartbeat.value_or(-1) << " label " << r.schedulable << " now " << r.now);
    const auto n = node_with(r.heartbeat, r.schedulable);
    const auto p = plan_virt_node(&n, {}, {}, r.now, 300);
    CHECK(p.unresponsive == r.unresponsive);
    CHECK(p.mark_unschedulable == r.mark_unschedulable);
    CHECK(p.recheck);
  }
}

TEST_CASE("on an unresponsive node only VMIs without an alive launcher pod fail") {
  const auto n = node_with(0, "true");
  const auto running_with_pod = vmi_on_worker1("a", "Running");
  const auto running_without_pod = vmi_on_worker1("b", "Running");
  const auto scheduled_without_pod = vmi_on_worker1("c", "Scheduled");
  const auto already_failed = vmi_on_worker1("d", "Failed");
  const std::vector<const models::VirtualMachineInstance*> vmis{&running_with_pod, &running_without_pod,
                                                                 &scheduled_without_pod, &already_failed};
  const auto p = plan_virt_node(&n, vmis, {"uid-a"}, 1000, 300);
  CHECK(p.fail_vmis == std::vector<std::string>{"default/b", "default/c"});
  // A fresh heartbeat: nothing fails, whatever the pods.
  const auto fresh = node_with(900, "true");
  CHECK(plan_virt_node(&fresh, vmis, {}, 1000, 300).fail_vmis.empty());
  // The Node object gone: unresponsive, no label to write, no recheck.
  const auto gone = plan_virt_node(nullptr, vmis, {"uid-a"}, 1000, 300);
  CHECK(gone.unresponsive);
  CHECK_FALSE(gone.mark_unschedulable);
  CHECK_FALSE(gone.recheck);
  CHECK(gone.fail_vmis == std::vector<std::string>{"default/b", "default/c"});
}

TEST_CASE("a launcher pod is alive unless finished or every container terminated") {
  struct Row {
    const char* phase;
    bool deleting;
    std::vector<bool> terminated;  // per container
    bool owned_by_vmi;
    bool alive;
  };
  const Row rows[] = {
      {"Running", false, {false, false}, true, true},
      {"Running", true, {false}, true, true},  // Terminating on an unreachable node: still alive
      {"Running", false, {true, false}, true, true},
      {"Running", false, {true, true}, true, false},
      {"Pending", false, {}, true, true},
      {"Failed", false, {false}, true, false},
      {"Succeeded", false, {}, true, false},
      {"Running", false, {false}, false, false},  // not a launcher pod
  };
  for (const auto& r : rows) {
    INFO(r.phase << " deleting " << r.deleting << " owned " << r.owned_by_vmi);
    models::Pod pod;
    pod.status.phase = r.phase;
    if (r.deleting) pod.metadata.deletionTimestamp = models::Timestamp{1};
    pod.metadata.ownerReferences = {{"kubevirt.io/v1", r.owned_by_vmi ? "VirtualMachineInstance" : "ReplicaSet", "x",
                                     "uid-x", true, true}};
    for (bool t : r.terminated) {
      models::ContainerStatus cs;
      if (t) cs.state.terminated = models::ContainerStateTerminated{};
      else cs.state.running = models::ContainerStateRunning{};
      pod.status.containerStatuses.push_back(cs);
    }
    CHECK(launcher_alive(pod) == r.alive);
  }
}
