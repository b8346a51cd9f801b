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

std::string vmi_yaml(const std::string& phase) {
  return "apiVersion: kubevirt.io/v1\nkind: VirtualMachineInstance\nmetadata: {name: vm1}\n"
         "spec: {domain: {devices: {}, memory: {guest: 1Gi}}}\nstatus: {phase: " + phase +
         ", conditions: [{type: Ready, status: \"False\"}, {type: AgentConnected, status: \"True\"}]}\n";
}

std::string pod_yaml(const std::string& name, const std::string& labels, const std::string& phase) {
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
  objects.add(vmi_yaml("Scheduled"), "uid-1");
  auto c = object_check("VirtualMachineInstance", "vm1");
  c.field = "status.phase";
  c.equals = "Running";
  const auto base = sim::scenario::take_baseline(c, objects);
  auto v = sim::scenario::evaluate(c, objects, base);
  CHECK_FALSE(v.held);
  CHECK(v.found == "expected VMI vm1 status.phase to be \"Running\"; it is \"Scheduled\"");
  objects.clear();
  objects.add(vmi_yaml("Running"), "uid-1");
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
  objects.add(vmi_yaml("Running"), "3f2a9c1e-0000-4000-8000-000000000001");
  auto c = object_check("VirtualMachineInstance", "vm1");
  c.new_uid = true;
  const auto base = sim::scenario::take_baseline(c, objects);
  CHECK(sim::scenario::evaluate(c, objects, base).found ==
        "expected VMI vm1 to be re-created with a new UID; it still has uid 3f2a9c1e-0000-4000-8000-000000000001");
  objects.clear();
  CHECK(sim::scenario::evaluate(c, objects, base).found == "expected VMI vm1 to be re-created with a new UID; there is none");
  objects.add(vmi_yaml("Running"), "uid-2");
  CHECK(sim::scenario::evaluate(c, objects, base).held);
}

TEST_CASE("same, changed, exists and absent compare with the start of the step") {
  Objects objects;
  objects.add("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: www-web-0}\n"
              "spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n",
              "pvc-1");
  objects.add(vmi_yaml("Running"), "vmi-1");
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
  objects.add(vmi_yaml("Succeeded"), "vmi-2");
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
  objects.add(pod_yaml("web-a", "app: web, tier: front", "Running"), "p1");
  objects.add(pod_yaml("web-b", "app: web, tier: front", "Pending"), "p2");
  objects.add(pod_yaml("db-a", "app: db", "Running"), "p3");
  auto c = count_check("app=web,tier in (front,back)", 2);
  c.where = {{"status.phase", "Running"}};
  auto v = sim::scenario::evaluate(c, objects, {});
  CHECK(v.found == "expected 2 pods matching app=web,tier in (front,back) with status.phase Running; found 1: web-a");
  objects.add(pod_yaml("web-c", "app: web, tier: back", "Running"), "p4");
  CHECK(sim::scenario::evaluate(c, objects, {}).held);

  auto fresh = count_check("app=web", 1);
  fresh.new_uid = true;
  const auto base = sim::scenario::take_baseline(fresh, objects);
  CHECK(sim::scenario::evaluate(fresh, objects, base).found == "expected 1 new pod matching app=web; found 0");
  objects.add(pod_yaml("web-d", "app: web", "Pending"), "p5");
  CHECK(sim::scenario::evaluate(fresh, objects, base).held);
  fresh.at_least = true;
  fresh.count = 2;
  CHECK(sim::scenario::evaluate(fresh, objects, base).found == "expected at least 2 new pods matching app=web; found 1: web-d");
}

TEST_CASE("within: the window opens at the check's from event, and a late or missing event is said in the trainee's words") {
  auto c = object_check("VirtualMachineInstance", "vm1");
  c.name = "the new VMI is Running within 60 s of your delete";
  c.field = "status.phase";
  c.equals = "Running";
  c.new_uid = true;
  c.within = 60;
  auto event = object_check("VirtualMachineInstance", "vm1");
  event.name = "your delete of VMI vm1";
  event.deleted = true;
  c.from = std::make_shared<const Check>(event);
  using sim::scenario::CheckTiming;
  const sim::scenario::Verdict held{true, {}}, happened{true, {}};
  const sim::scenario::Verdict not_held{false, "expected VMI vm1 status.phase to be \"Running\"; it is \"Scheduling\""};
  const sim::scenario::Verdict not_happened{false, "expected VMI vm1 to be deleted; it is still there (uid uid-1)"};
  // The trainee read for five minutes, then deleted the VMI at 390 s: it ran at 429.5 s.
  CHECK(sim::scenario::grade_check(c, held, happened, CheckTiming{390, 429.5, 430}).passed);
  // It held in time and no longer does: still a pass (it did happen within the window).
  CHECK(sim::scenario::grade_check(c, not_held, happened, CheckTiming{390, 400, 900}).passed);
  auto late = sim::scenario::grade_check(c, held, happened, CheckTiming{90, 222, 300});
  CHECK_FALSE(late.passed);
  CHECK(late.message == "the new VMI vm1 was Running 132 s after your delete of VMI vm1; this step expects it within 60 s");
  auto expired = sim::scenario::grade_check(c, not_held, happened, CheckTiming{90, std::nullopt, 165});
  CHECK(expired.message ==
        "expected VMI vm1 status.phase to be \"Running\"; it is \"Scheduling\", 75 s after your delete of VMI vm1; "
        "this step expects it within 60 s");
  auto early = sim::scenario::grade_check(c, not_held, happened, CheckTiming{90, std::nullopt, 110});
  CHECK(early.message ==
        "not yet: expected VMI vm1 status.phase to be \"Running\"; it is \"Scheduling\"; 40 s left of the 60 s after your delete "
        "of VMI vm1");
  // Before the event nothing is timed, whatever the clock says: reading the step costs nothing.
  auto waiting = sim::scenario::grade_check(c, held, not_happened, CheckTiming{std::nullopt, std::nullopt, 5000});
  CHECK_FALSE(waiting.passed);
  CHECK(waiting.message ==
        "your delete of VMI vm1 has not happened yet (expected VMI vm1 to be deleted; it is still there (uid uid-1)), and this "
        "check counts from it");
  // Without `from` (a check with no deadline), only the present counts.
  c.within.reset();
  c.from.reset();
  CHECK_FALSE(sim::scenario::grade_check(c, not_held, happened, CheckTiming{90, 100, 200}).passed);
}

TEST_CASE("deleted: the object there when the step began is gone, marked for deletion or replaced, counted or by name") {
  Objects objects;
  objects.add(vmi_yaml("Running"), "uid-1");
  auto c = object_check("VirtualMachineInstance", "vm1");
  c.deleted = true;
  const auto base = sim::scenario::take_baseline(c, objects);
  CHECK(sim::scenario::evaluate(c, objects, base).found == "expected VMI vm1 to be deleted; it is still there (uid uid-1)");
  objects.clear();
  objects.add(vmi_yaml("Pending"), "uid-2");  // re-created under the same name
  CHECK(sim::scenario::evaluate(c, objects, base).held);
  objects.clear();
  CHECK(sim::scenario::evaluate(c, objects, base).held);
  CHECK(sim::scenario::evaluate(c, objects, {}).found == "expected VMI vm1 to be deleted; there was none when the step began");

  objects.add(pod_yaml("web-a", "app: web", "Running"), "p1");
  objects.add(pod_yaml("web-b", "app: web", "Running"), "p2");
  auto deleted = count_check("app=web", 1);
  deleted.deleted = true;
  deleted.at_least = true;
  const auto pods = sim::scenario::take_baseline(deleted, objects);
  CHECK(sim::scenario::evaluate(deleted, objects, pods).found ==
        "expected at least 1 of the 2 pods matching app=web there when the step began to be deleted; 0 are");
  // Relabelled out of the selector is not deleted; a new pod does not count either.
  objects.clear();
  objects.add(pod_yaml("web-a", "app: other", "Running"), "p1");
  objects.add(pod_yaml("web-b", "app: web", "Running"), "p2");
  objects.add(pod_yaml("web-c", "app: web", "Running"), "p3");
  CHECK_FALSE(sim::scenario::evaluate(deleted, objects, pods).held);
  objects.clear();
  objects.add(pod_yaml("web-a", "app: web", "Running"), "p1");
  CHECK(sim::scenario::evaluate(deleted, objects, pods).held);  // web-b is gone
  CHECK(sim::scenario::evaluate(deleted, objects, pods).found.empty());
}

TEST_CASE("the check clock ignores a check that holds before its event and times it from the event") {
  Objects objects;
  objects.add(vmi_yaml("Running"), "uid-1");
  auto c = object_check("VirtualMachineInstance", "vm1");
  c.name = "vm1 runs";
  c.field = "status.phase";
  c.equals = "Running";
  c.within = 30;
  auto event = object_check("VirtualMachineInstance", "vm1");
  event.name = "your delete of VMI vm1";
  event.deleted = true;
  c.from = std::make_shared<const Check>(event);
  auto clock = sim::scenario::start_clock(c, objects);
  sim::scenario::observe(c, objects, 10, clock);  // Running, but nothing was deleted: not timed
  CHECK_FALSE(clock.timing.event_at);
  CHECK_FALSE(clock.timing.first_held);
  CHECK_FALSE(sim::scenario::grade_now(c, objects, 300, clock).passed);
  objects.clear();
  objects.add(vmi_yaml("Pending"), "uid-2");
  sim::scenario::observe(c, objects, 400, clock);
  CHECK(clock.timing.event_at == 400);
  objects.clear();
  objects.add(vmi_yaml("Running"), "uid-2");
  sim::scenario::observe(c, objects, 425, clock);
  CHECK(clock.timing.first_held == 425);
  const auto r = sim::scenario::grade_now(c, objects, 900, clock);
  CHECK(r.passed);
  CHECK(r.at == 425);
}
