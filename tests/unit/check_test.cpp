// Lab checks, evaluated on plain objects (no cluster): what holds, and the
// sentence a trainee reads when it does not.
#include <catch2/catch.hpp>

#include "models/manifest.hpp"
#include "models/registry.hpp"
#include "sim/scenario/check.hpp"

using namespace kvsim;
using sim::scenario::Check;

namespace {

class Objects final : public sim::scenario::ObjectSource {
 public:
  void add(const std::string& yaml, const std::string& uid) {
    auto loaded = models::load_manifests(yaml, "objects.yaml");
    for (const auto& p : loaded.problems) FAIL(p.str());
    REQUIRE(loaded.objects.size() == 1);
    auto o = loaded.objects.front();
    if (o->info().namespaced && o->metadata.namespace_.empty()) o->metadata.namespace_ = "default";
    o->metadata.uid = uid;
    objects_.push_back(o);
  }
  void clear() { objects_.clear(); }
  models::ObjectPtr get(const models::KindInfo& kind, const std::string& ns, const std::string& name) const override {
    for (const auto& o : objects_)
      if (o->kind == kind.kind && o->metadata.namespace_ == ns && o->metadata.name == name) return o;
    return nullptr;
  }
  std::vector<models::ObjectPtr> list(const models::KindInfo& kind, const std::string& ns,
                                      const models::LabelSelector* selector) const override {
    std::vector<models::ObjectPtr> out;
    for (const auto& o : objects_)
      if (o->kind == kind.kind && (ns.empty() || o->metadata.namespace_ == ns) &&
          (!selector || selector->matches(o->metadata.labels)))
        out.push_back(o);
    return out;
  }

 private:
  std::vector<models::ObjectPtr> objects_;
};

std::string vmi(const std::string& phase) {
  return "apiVersion: kubevirt.io/v1\nkind: VirtualMachineInstance\nmetadata: {name: vm1}\n"
         "spec: {domain: {devices: {}, memory: {guest: 1Gi}}}\nstatus: {phase: " + phase +
         ", conditions: [{type: Ready, status: \"False\"}, {type: AgentConnected, status: \"True\"}]}\n";
}

std::string pod(const std::string& name, const std::string& labels, const std::string& phase) {
  return "apiVersion: v1\nkind: Pod\nmetadata: {name: " + name + ", labels: {" + labels +
         "}}\nspec: {containers: [{name: c, image: busybox}]}\nstatus: {phase: " + phase + "}\n";
}

Check object_check(const std::string& kind, const std::string& name) {
  Check c;
  c.name = "the check";
  c.kind = kind;
  c.object = name;
  return c;
}

Check count_check(const std::string& selector, int n) {
  Check c;
  c.name = "the count";
  c.kind = "Pod";
  c.counting = true;
  c.selector = selector;
  c.parsed_selector = models::parse_selector(selector).selector;
  c.count = n;
  return c;
}

}  // namespace

TEST_CASE("a field check holds on the expected value and says what it found otherwise") {
  Objects objects;
  objects.add(vmi("Scheduled"), "uid-1");
  auto c = object_check("VirtualMachineInstance", "vm1");
  c.field = "status.phase";
  c.equals = "Running";
  const auto base = sim::scenario::take_baseline(c, objects);
  auto v = sim::scenario::evaluate(c, objects, base);
  CHECK_FALSE(v.held);
  CHECK(v.found == "expected VMI vm1 status.phase to be \"Running\"; it is \"Scheduled\"");
  objects.clear();
  objects.add(vmi("Running"), "uid-1");
  CHECK(sim::scenario::evaluate(c, objects, base).held);
  // A condition picked by its type.
  c.field = "status.conditions[type=AgentConnected].status";
  c.equals = "True";
  CHECK(sim::scenario::evaluate(c, objects, base).held);
  c.field = "status.conditions[type=Paused].status";
  CHECK(sim::scenario::evaluate(c, objects, base).found ==
        "expected VMI vm1 status.conditions[type=Paused].status to be \"True\"; it is unset");
  objects.clear();
  CHECK(sim::scenario::evaluate(c, objects, base).found ==
        "expected VMI vm1 with status.conditions[type=Paused].status True; there is no VMI vm1");
}

TEST_CASE("new: the object must have another UID than when the step began") {
  Objects objects;
  objects.add(vmi("Running"), "3f2a9c1e-0000-4000-8000-000000000001");
  auto c = object_check("VirtualMachineInstance", "vm1");
  c.new_uid = true;
  const auto base = sim::scenario::take_baseline(c, objects);
  CHECK(sim::scenario::evaluate(c, objects, base).found ==
        "expected VMI vm1 to be re-created with a new UID; it still has uid 3f2a9c1e-0000-4000-8000-000000000001");
  objects.clear();
  CHECK(sim::scenario::evaluate(c, objects, base).found == "expected VMI vm1 to be re-created with a new UID; there is none");
  objects.add(vmi("Running"), "uid-2");
  CHECK(sim::scenario::evaluate(c, objects, base).held);
}

TEST_CASE("same, changed, exists and absent compare with the start of the step") {
  Objects objects;
  objects.add("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: www-web-0}\n"
              "spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n",
              "pvc-1");
  objects.add(vmi("Running"), "vmi-1");
  auto same = object_check("PersistentVolumeClaim", "www-web-0");
  same.same_uid = true;
  const auto same_base = sim::scenario::take_baseline(same, objects);
  auto changed = object_check("VirtualMachineInstance", "vm1");
  changed.field = "status.phase";
  changed.changed = true;
  const auto changed_base = sim::scenario::take_baseline(changed, objects);
  CHECK(sim::scenario::evaluate(same, objects, same_base).held);
  CHECK(sim::scenario::evaluate(changed, objects, changed_base).found ==
        "expected VMI vm1 status.phase to change from \"Running\"; it has not");
  auto absent = object_check("VirtualMachineInstance", "vm1");
  absent.absent = true;
  CHECK(sim::scenario::evaluate(absent, objects, {}).found ==
        "expected VMI vm1 to be gone; it still exists (uid vmi-1, phase Running)");
  objects.clear();
  objects.add("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: www-web-0}\n"
              "spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n",
              "pvc-2");
  objects.add(vmi("Succeeded"), "vmi-2");
  CHECK(sim::scenario::evaluate(same, objects, same_base).found ==
        "expected PVC www-web-0 to keep uid pvc-1; it is a new object, uid pvc-2");
  CHECK(sim::scenario::evaluate(changed, objects, changed_base).held);
  objects.clear();
  CHECK(sim::scenario::evaluate(absent, objects, {}).held);
  auto exists = object_check("Node", "worker-3");
  exists.exists = true;
  CHECK(sim::scenario::evaluate(exists, objects, {}).found == "expected node worker-3 to exist; there is none");
}

TEST_CASE("a count selects by labels and fields, and new counts only objects created during the step") {
  Objects objects;
  objects.add(pod("web-a", "app: web, tier: front", "Running"), "p1");
  objects.add(pod("web-b", "app: web, tier: front", "Pending"), "p2");
  objects.add(pod("db-a", "app: db", "Running"), "p3");
  auto c = count_check("app=web,tier in (front,back)", 2);
  c.where = {{"status.phase", "Running"}};
  auto v = sim::scenario::evaluate(c, objects, {});
  CHECK(v.found == "expected 2 pods matching app=web,tier in (front,back) with status.phase Running; found 1: web-a");
  objects.add(pod("web-c", "app: web, tier: back", "Running"), "p4");
  CHECK(sim::scenario::evaluate(c, objects, {}).held);

  auto fresh = count_check("app=web", 1);
  fresh.new_uid = true;
  const auto base = sim::scenario::take_baseline(fresh, objects);
  CHECK(sim::scenario::evaluate(fresh, objects, base).found == "expected 1 new pod matching app=web; found 0");
  objects.add(pod("web-d", "app: web", "Pending"), "p5");
  CHECK(sim::scenario::evaluate(fresh, objects, base).held);
  fresh.at_least = true;
  fresh.count = 2;
  CHECK(sim::scenario::evaluate(fresh, objects, base).found == "expected at least 2 new pods matching app=web; found 1: web-d");
}

TEST_CASE("within: a check passes when it first held before the deadline, not after") {
  auto c = object_check("VirtualMachineInstance", "vm1");
  c.field = "status.phase";
  c.equals = "Running";
  c.within = 60;
  const sim::scenario::Verdict held{true, {}};
  const sim::scenario::Verdict not_held{false, "expected VMI vm1 status.phase to be \"Running\"; it is \"Scheduling\""};
  CHECK(sim::scenario::grade_check(c, held, 129.5, 90).passed);
  // It held in time and no longer does: still a pass (it did happen within the window).
  CHECK(sim::scenario::grade_check(c, not_held, 100, 90).passed);
  auto late = sim::scenario::grade_check(c, held, 155, 90);
  CHECK_FALSE(late.passed);
  CHECK(late.message == "it held only at 155.000s, not within 60s of the step's start, by 150.000s");
  auto never = sim::scenario::grade_check(c, not_held, std::nullopt, 90);
  CHECK(never.message ==
        "expected VMI vm1 status.phase to be \"Running\"; it is \"Scheduling\" (required within 60s of the step's start, by 150.000s)");
  // Without `within`, only the present counts.
  c.within.reset();
  CHECK_FALSE(sim::scenario::grade_check(c, not_held, 100, 90).passed);
}
