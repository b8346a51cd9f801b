// The invariant checker's decisions: which states are findings, and how long
// a finding may last before it is a violation.
#include <catch2/catch.hpp>

#include "models/apps.hpp"
#include "models/core.hpp"
#include "models/kubevirt.hpp"
#include "models/pod.hpp"
#include "models/storage.hpp"
#include "sim/regression/invariants.hpp"

using namespace kvsim;
using namespace kvsim::sim::regression;

namespace {

template <class T>
std::shared_ptr<T> object(const std::string& name, const std::string& ns = "default") {
  auto o = std::make_shared<T>();
  o->kind = std::string(T::kind_info().kind);
  o->metadata.name = name;
  o->metadata.namespace_ = ns;
  o->metadata.uid = "uid-" + name;
  return o;
}

std::shared_ptr<models::VirtualMachineInstance> vmi_of(const std::string& name, const std::string& vm) {
  auto v = object<models::VirtualMachineInstance>(name);
  v->metadata.ownerReferences.push_back({"kubevirt.io/v1", "VirtualMachine", vm, "uid-" + vm, true, true});
  return v;
}

std::shared_ptr<models::Node> node_with_ready(const std::string& name, const std::string& ready) {
  auto n = object<models::Node>(name, "");
  n->status.conditions.push_back({"Ready", ready, "", ""});
  return n;
}

std::shared_ptr<models::Pod> ready_pod(const std::string& name, const std::string& node_name) {
  auto p = object<models::Pod>(name);
  p->spec.nodeName = node_name;
  p->status.conditions.push_back({"Ready", "True", "", ""});
  return p;
}

}  // namespace

TEST_CASE("invariants: two VMIs controlled by one VM are a finding, one each is not") {
  std::vector<ObjectPtr> vmis{vmi_of("vm1", "vm1"), vmi_of("vm2", "vm2")};
  CHECK(vms_with_several_vmis(vmis).empty());
  vmis.push_back(vmi_of("vm1-copy", "vm1"));
  auto found = vms_with_several_vmis(vmis);
  REQUIRE(found.size() == 1);
  CHECK(found[0].kind == "VirtualMachine");
  CHECK(found[0].name == "vm1");
  CHECK(found[0].detail == "2 VMIs are controlled by it: vm1, vm1-copy");
}

TEST_CASE("invariants: a Ready pod counts only against a node whose Ready condition is not True") {
  std::vector<ObjectPtr> nodes{node_with_ready("worker-1", "True"), node_with_ready("worker-2", "Unknown")};
  std::vector<ObjectPtr> pods{ready_pod("web-a", "worker-1"), ready_pod("web-b", "worker-2")};
  auto found = ready_pods_on_failed_nodes(nodes, pods);
  REQUIRE(found.size() == 1);
  CHECK(found[0].name == "web-b");
  CHECK(found[0].detail == "Ready=True on node worker-2 whose Ready condition is Unknown");
  static_cast<models::Pod&>(*std::const_pointer_cast<models::Object>(pods[1])).status.conditions[0].status = "False";
  CHECK(ready_pods_on_failed_nodes(nodes, pods).empty());
}

TEST_CASE("invariants: an RWO volume attached on two nodes is a finding, an RWX one is not") {
  auto rwo = object<models::PersistentVolume>("pv-rwo", "");
  rwo->spec.accessModes = {"ReadWriteOnce"};
  auto rwx = object<models::PersistentVolume>("pv-rwx", "");
  rwx->spec.accessModes = {"ReadWriteMany"};
  std::vector<ObjectPtr> attachments;
  for (const auto& [pv, node_name] : std::vector<std::pair<std::string, std::string>>{
           {"pv-rwo", "worker-1"}, {"pv-rwo", "worker-2"}, {"pv-rwx", "worker-1"}, {"pv-rwx", "worker-2"}}) {
    auto va = object<models::VolumeAttachment>("csi-" + pv + "-" + node_name, "");
    va->spec.nodeName = node_name;
    va->spec.source.persistentVolumeName = pv;
    va->status.attached = true;
    attachments.push_back(va);
  }
  auto found = rwo_volumes_on_several_nodes({rwo, rwx}, attachments);
  REQUIRE(found.size() == 1);
  CHECK(found[0].name == "pv-rwo");
  CHECK(found[0].detail == "access modes ReadWriteOnce but attached to 2 nodes: worker-1, worker-2");
}

TEST_CASE("invariants: a dependent whose owner is gone is a finding unless it is being deleted") {
  auto orphan = vmi_of("vm1", "vm1");
  auto terminating = vmi_of("vm2", "vm2");
  terminating->metadata.deletionTimestamp = models::Timestamp{};
  auto owned = vmi_of("vm3", "vm3");
  auto found = dependents_without_owner({orphan, terminating, owned}, {"uid-vm3"});
  REQUIRE(found.size() == 1);
  CHECK(found[0].name == "vm1");
  CHECK(found[0].detail == "its owner VirtualMachine vm1 (uid uid-vm1) is gone and it is not being deleted");
}

TEST_CASE("invariants: replica sets and DaemonSets diverge when observed differs from desired") {
  auto rs = object<models::ReplicaSet>("web");
  rs->spec.replicas = 3;
  rs->status.replicas = 2;
  auto ds = object<models::DaemonSet>("agent");
  ds->status.desiredNumberScheduled = 3;
  ds->status.currentNumberScheduled = 3;
  auto found = replica_counts_diverging({rs, ds});
  REQUIRE(found.size() == 1);
  CHECK(found[0].detail == "desires 3 replicas, observes 2");
}

TEST_CASE("invariants: a finding becomes a violation once it outlasts its tolerance, once per episode") {
  InvariantTracker tracker;
  Finding lagging{kOwnersExist, "Pod", "default", "web-a", "owner gone"};
  CHECK(tracker.observe(10, {lagging}).empty());
  CHECK(tracker.observe(39, {lagging}).empty());  // GC may take its time
  auto v = tracker.observe(40, {lagging});
  REQUIRE(v.size() == 1);
  CHECK(v[0].since == 10);
  CHECK(v[0].reported == 40);
  CHECK(tracker.observe(41, {lagging}).empty());  // reported once
  CHECK(tracker.observe(42, {}).empty());         // gone: the episode ends
  Finding double_vmi{kOneVmiPerVm, "VirtualMachine", "default", "vm1", "2 VMIs"};
  CHECK(tracker.observe(50, {double_vmi}).size() == 1);  // no tolerance at all
}
