// The cluster map: node boxes with their VMIs and pods, a powered-off node
// drawn down, a migration drawn from the source box to the target box.
#include <catch2/catch.hpp>

#include "tui/render/cluster_map.hpp"
#include "tui_fixtures.hpp"

using namespace kvsim::tui::render;
using tui_fixtures::joined;

namespace {

ClusterMap three_workers() {
  ClusterMap map;
  map.total_nodes = 3;
  map.nodes = {{"worker-1", "Ready", false, {{"VMI vm1", "Running"}, {"pod virt-launcher-vm1-a", "Running"}}},
               {"worker-2", "Ready", true, {{"VMI vm2", "Running"}}},
               {"worker-3", "Ready", false, {}}};
  return map;
}


}  // namespace

TEST_CASE("the map draws nodes as boxes holding their VMIs and pods coloured by phase") {
  const auto lines = render_map(three_workers(), 78, 20, Glyphs::unicode());
  const auto text = joined(lines);
  CHECK(lines[0].text() == "┌ worker-1 Ready ────────┐┌ worker-2 DOWN ─────────┐┌ worker-3 Ready ────────┐");
  CHECK(lines[1].text() == "│ VMI vm1        Running ││ host powered off       ││                        │");
  CHECK(lines[2].text() == "│ pod virt-launc Running ││ VMI vm2        Running ││                        │");
  CHECK(lines[3].text() == "└────────────────────────┘└────────────────────────┘└────────────────────────┘");
  CHECK(lines[1].spans[2].role == Role::Running);
  CHECK(lines[0].spans[1].role == Role::Down);  // the failed node's frame
  CHECK(lines[1].spans[5].role == Role::Down);
  CHECK(lines[2].spans[5].role == Role::Muted);  // what a dead host held is greyed
  CHECK(lines[2].spans[6].role == Role::Muted);
  CHECK(text.find("nodes 1-3 of 3  (j/k scroll; f/R fail/recover worker-1)") != std::string::npos);
  for (const auto& l : lines) CHECK(display_width(l.text()) <= 78);
}

TEST_CASE("the map draws a live migration as an arrow from the source box to the target box") {
  auto map = three_workers();
  map.nodes[1].host_down = false;
  map.migrations.push_back({"vm1", "worker-1", "worker-3", "Running"});
  SECTION("Unicode, left to right") {
    const auto lines = render_map(map, 78, 20, Glyphs::unicode());
    const auto arrow = lines[4].text();
    CHECK(arrow.find("└") == 13);  // under worker-1's centre
    CHECK(arrow.find("vm1 migrating (Running)") != std::string::npos);
    CHECK(display_width(arrow.substr(0, arrow.find("▶"))) == 65);  // at worker-3's centre
  }
  SECTION("ASCII, right to left") {
    std::swap(map.migrations[0].source, map.migrations[0].target);
    const auto arrow = render_map(map, 78, 20, Glyphs::ascii())[4].text();
    CHECK(arrow.find('<') == 13);
    CHECK(arrow.find('+') == 65);
  }
  SECTION("between nodes in different rows: a line under the map") {
    const auto text = joined(render_map(map, 52, 20, Glyphs::ascii()));  // two boxes a row
    CHECK(text.find("vm1 migrating worker-1 -> worker-3 (Running)") != std::string::npos);
  }
  SECTION("before the scheduler chose a target") {
    map.migrations[0] = {"vm1", "worker-1", "", "Scheduling"};
    const auto text = joined(render_map(map, 78, 20, Glyphs::ascii()));
    CHECK(text.find("vm1 migrating worker-1 -> a node not chosen yet (Scheduling)") != std::string::npos);
  }
}

TEST_CASE("a node box with more than fits says how many more") {
  ClusterMap map;
  map.total_nodes = 1;
  map.nodes = {{"worker-1", "Ready", false, {}}};
  for (int i = 0; i < 10; ++i) map.nodes[0].items.push_back({"pod p" + std::to_string(i), "Running"});
  const auto lines = render_map(map, 80, 6, Glyphs::ascii());  // 3 item lines + frame + footer
  CHECK(lines[3].text().find("+8 more") != std::string::npos);
  CHECK(lines.size() == 6);
}

TEST_CASE("the map is collected from the store for the nodes on screen") {
  tui_fixtures::World w;
  w.node("worker-1");
  w.node("worker-2");
  auto vm = w.vm("vm1");
  auto vmi = w.vmi("vm1", vm, "worker-2");
  w.launcher_pod("virt-launcher-vm1-x", vmi, "worker-2");
  const auto map = collect_map(w.store, [](const std::string& n) { return n != "worker-1"; }, 1, 5, 0);
  CHECK(map.total_nodes == 2);
  REQUIRE(map.nodes.size() == 1);
  CHECK(map.nodes[0].name == "worker-2");
  CHECK_FALSE(map.nodes[0].host_down);
  REQUIRE(map.nodes[0].items.size() == 2);
  CHECK(map.nodes[0].items[0].label == "VMI vm1");
  CHECK(map.nodes[0].items[0].status == "Running");
  CHECK(map.nodes[0].items[1].label == "pod virt-launcher-vm1-x");
  CHECK(map.nodes[0].items[1].status == "Pending");
  CHECK(collect_map(w.store, [](const std::string& n) { return n != "worker-1"; }, 0, 5, 0).nodes[0].host_down);
}
