// The owner tree, the reconciliation panel and the timeline on a small world:
// a VM whose VMI runs in a launcher pod on worker-1.
#include <catch2/catch.hpp>

#include "tui/render/owner_tree.hpp"
#include "tui/render/reconcile.hpp"
#include "tui/render/timeline.hpp"
#include "tui_fixtures.hpp"

using namespace kvsim::tui::render;
using tui_fixtures::joined;
using kvsim::models::VirtualMachineInstance;

TEST_CASE("the owner tree runs from the VM to the VMI to its launcher pod and node") {
  tui_fixtures::World w;
  auto vm = w.vm("vm1");
  auto vmi = w.vmi("vm1", vm, "worker-1");
  auto pod = w.launcher_pod("virt-launcher-vm1-abcde", vmi, "worker-1");
  const double now = vm->metadata.creationTimestamp->seconds;
  SECTION("Unicode") {
    const auto lines = render_owner_tree(w.store, *pod, now, Glyphs::unicode());
    CHECK(joined(lines) ==
          "VirtualMachine default/vm1  Stopped\n"
          "└─ VirtualMachineInstance default/vm1  Running  → node worker-1\n"
          "   └─ Pod default/virt-launcher-vm1-abcde  Pending  → node worker-1\n");
    CHECK(lines[2].spans[1].role == Role::Selected);  // the object the tree was opened on
  }
  SECTION("ASCII") {
    CHECK(joined(render_owner_tree(w.store, *vmi, now, Glyphs::ascii())) ==
          "VirtualMachine default/vm1  Stopped\n"
          "`- VirtualMachineInstance default/vm1  Running  -> node worker-1\n"
          "   `- Pod default/virt-launcher-vm1-abcde  Pending  -> node worker-1\n");
  }
}

TEST_CASE("the reconciliation panel puts spec beside status and the last controller decision with its reason") {
  tui_fixtures::World w;
  auto vm = w.vm("vm1");
  auto vmi = w.vmi("vm1", vm, "worker-1");
  w.update<kvsim::models::VirtualMachineInstance>(vmi, [](auto& v) { v.metadata.labels["seen"] = "yes"; }, "user",
                                                  "labelled", "by hand");
  const auto current = w.store.get(VirtualMachineInstance::kind_info(), "default", "vm1");
  const auto text = joined(render_reconcile(*current, w.trace.records(), w.history, 100, 30));
  CHECK(text.find("DESIRED (spec)") != std::string::npos);
  CHECK(text.find("OBSERVED (status)") != std::string::npos);
  CHECK(text.find(" domain.memory.guest: 1Gi") != std::string::npos);
  CHECK(text.find(" phase: Running") != std::string::npos);
  CHECK(text.find(" nodeName: worker-1") != std::string::npos);
  // The user's label is not a controller decision: the last one is virt-handler's.
  const auto decision = text.substr(text.find("LAST DECISION"));
  CHECK(decision.find("virt-handler/worker-1: phase Scheduled -> Running  because domain running") != std::string::npos);
  CHECK(decision.find("labelled") == std::string::npos);
  CHECK(decision.find("virt-controller: created") != std::string::npos);
}

TEST_CASE("the reconciliation panel shows conditions as Type=Status and fits its height") {
  CHECK(flatten(kvsim::models::Json::parse(R"({"conditions":[{"type":"Ready","status":"True","reason":"Up"}],"a":{"b":1}})")) ==
        std::vector<std::string>{"a.b: 1", "condition Ready=True (Up)"});
  tui_fixtures::World w;
  auto vm = w.vm("vm1");
  CHECK(render_reconcile(*vm, w.trace.records(), w.history, 80, 6).size() == 6);
}

TEST_CASE("the timeline follows the newest records and filters to the selected object's chain") {
  tui_fixtures::World w;
  auto vm1 = w.vm("vm1"), vm2 = w.vm("vm2");
  auto old_vmi = w.vmi("vm1", vm1, "worker-1");
  auto old_pod = w.launcher_pod("virt-launcher-vm1-old", old_vmi, "worker-1");
  w.vmi("vm2", vm2, "worker-2");
  // vm1's VMI is deleted and comes back with a new UID and a new pod.
  REQUIRE(w.store.remove(kvsim::models::Pod::kind_info(), "default", "virt-launcher-vm1-old", {"kubelet/worker-1", "deleted", ""},
                         {0, "Background"}).ok());
  // Without virt-controller to drop its finalizers, the test drops them so the delete completes.
  auto bare = w.update<VirtualMachineInstance>(w.store.get(VirtualMachineInstance::kind_info(), "default", "vm1"),
                                               [](auto& v) { v.metadata.finalizers.clear(); }, "virt-controller");
  REQUIRE(w.store.remove(VirtualMachineInstance::kind_info(), "default", "vm1", {"user", "", ""}).ok());
  REQUIRE_FALSE(w.store.get(VirtualMachineInstance::kind_info(), "default", "vm1"));
  auto new_vmi = w.vmi("vm1", vm1, "worker-3");
  w.launcher_pod("virt-launcher-vm1-new", new_vmi, "worker-3");
  w.history.catch_up(w.trace.records());

  SECTION("all records, newest at the bottom") {
    const auto lines = render_timeline(w.trace.records(), std::nullopt, {120, 3, 0});
    REQUIRE(lines.size() == 3);
    CHECK(lines[2].text().find("Pod default/virt-launcher-vm1-new") != std::string::npos);
    const auto back = render_timeline(w.trace.records(), std::nullopt, {120, 3, 1});
    CHECK(back[2].text() == lines[1].text());
  }
  SECTION("the chain of the new VMI holds the old VMI and its pod, not vm2") {
    const auto only = w.history.records_of(w.history.chain(new_vmi->metadata.uid));
    const auto text = joined(render_timeline(w.trace.records(), only, {140, 50, 0}));
    CHECK(text.find("VirtualMachine default/vm1") != std::string::npos);
    CHECK(text.find("virt-launcher-vm1-old") != std::string::npos);
    CHECK(text.find("virt-launcher-vm1-new") != std::string::npos);
    CHECK(text.find("worker-3") != std::string::npos);
    CHECK(text.find("vm2") == std::string::npos);
  }
  SECTION("a line: time, component, object, change, reason") {
    kvsim::sim::engine::TraceRecord r{65.12, "virt-controller", "VirtualMachineInstance", "default", "vm1", "u",
                                      "created", "runStrategy Always and no VMI"};
    const auto line = timeline_line(r, 120);
    CHECK(line.text() ==
          fit("   65.120s virt-controller    VirtualMachineInstance default/vm1  created  (runStrategy Always and no VMI)",
              120));
    CHECK(display_width(timeline_line(r, 40).text()) == 40);
  }
}
