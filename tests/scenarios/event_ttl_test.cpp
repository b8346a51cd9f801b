// kube-apiserver's --event-ttl (3 h on OpenShift, whose kube-apiserver operator sets it; 1 h
// upstream): an Event goes 3 h after its last write, as etcd drops a key whose lease ran out. A
// repeated Event (its count raised) lives 3 h from the repeat. A long session no longer keeps
// every Event it ever made.
#include "small_cluster.hpp"

using namespace kvsim;

namespace {

constexpr double kTtl = 3 * 3600;

std::vector<std::string> reasons_and_counts(sim::cluster::Cluster& cluster, const std::string& uid) {
  std::vector<std::string> out;
  for (const auto& e : cluster.store().events_for(uid)) out.push_back(*e->reason + " x" + std::to_string(e->count));
  return out;
}

// Creates VirtualMachine vm1 and runs until its VMI is Running.
std::shared_ptr<const models::VirtualMachine> running_vm1(sim::cluster::Cluster& cluster) {
  testing::apply_yaml(cluster, testing::vm_yaml("vm1"));
  REQUIRE(testing::run_until_true(cluster, 60, [&] { return testing::vmi_running(cluster, "vm1"); }) > 0);
  return cluster.store().get<models::VirtualMachine>("default", "vm1");
}

}  // namespace

TEST_CASE("an Event is gone 3 h after its last write, and a repeated one 3 h after the repeat") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  const auto vm = running_vm1(cluster);
  CHECK(reasons_and_counts(cluster, vm->metadata.uid) == std::vector<std::string>{"SuccessfulCreate x1"});
  const double created = cluster.store().events_for(vm->metadata.uid).front()->lastTimestamp->seconds;

  cluster.run_until(created + 3600);
  cluster.store().record_event(*vm, "Normal", "Checked", "the trainee looked", "kvsim-test");
  cluster.store().record_event(*vm, "Normal", "Checked", "the trainee looked", "kvsim-test");
  CHECK(reasons_and_counts(cluster, vm->metadata.uid) ==
        std::vector<std::string>{"SuccessfulCreate x1", "Checked x2"});

  // 3 h after it was written, the VM's SuccessfulCreate goes; the repeated Event stays.
  cluster.run_until(created + kTtl - 1);
  CHECK(reasons_and_counts(cluster, vm->metadata.uid).size() == 2);
  cluster.run_until(created + kTtl + 1);
  CHECK(reasons_and_counts(cluster, vm->metadata.uid) == std::vector<std::string>{"Checked x2"});
  CHECK(testing::run_ok(exec, "get events").find("SuccessfulCreate") == std::string::npos);
  CHECK(testing::run_ok(exec, "get events").find("the trainee looked") != std::string::npos);

  cluster.run_until(created + 3600 + kTtl + 1);
  CHECK(reasons_and_counts(cluster, vm->metadata.uid).empty());
  // Its aggregation went with it: the same Event again starts a new count.
  cluster.store().record_event(*vm, "Normal", "Checked", "the trainee looked", "kvsim-test");
  CHECK(reasons_and_counts(cluster, vm->metadata.uid) == std::vector<std::string>{"Checked x1"});
  // The VM itself is untouched, still Running.
  CHECK(testing::vmi_running(cluster, "vm1"));
}

// The store keeps each object in a numbered slot, and a removed object's slot is given to the
// next object made. An Event deleted by hand must not be counted up through its old slot.
TEST_CASE("an Event deleted by hand starts a new count, whatever took its place in the store") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  const auto vm = running_vm1(cluster);
  cluster.store().record_event(*vm, "Normal", "Checked", "the trainee looked", "kvsim-test");
  cluster.store().record_event(*vm, "Normal", "Checked", "the trainee looked", "kvsim-test");
  const auto events = cluster.store().events_for(vm->metadata.uid);
  REQUIRE(events.size() == 2);
  // Named as client-go's recorder names an Event: the object's name, a dot, a suffix; no
  // generateName (`get event -o yaml` shows none upstream).
  CHECK(events.back()->metadata.name.rfind("vm1.", 0) == 0);
  CHECK(events.back()->metadata.generateName.empty());
  testing::run_ok(exec, "delete event " + events.back()->metadata.name);
  testing::apply_yaml(cluster, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: notes}\ndata: {a: b}\n");

  cluster.store().record_event(*vm, "Normal", "Checked", "the trainee looked", "kvsim-test");
  CHECK(reasons_and_counts(cluster, vm->metadata.uid) == std::vector<std::string>{"SuccessfulCreate x1", "Checked x1"});
  const auto notes = cluster.store().get<models::ConfigMap>("default", "notes");
  REQUIRE(notes);
  CHECK(notes->data == std::map<std::string, std::string>{{"a", "b"}});
  CHECK(cluster.store().by_uid(notes->metadata.uid) == notes);
}
