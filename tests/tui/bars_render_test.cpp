// The status bar, the help screen, the lab panel and the speed ladder.
#include <catch2/catch.hpp>

#include "tui/render/help.hpp"
#include "tui/render/lab_panel.hpp"
#include "tui/render/status_bar.hpp"
#include "tui/views/pacing.hpp"

using namespace kvsim::tui::render;
using kvsim::tui::views::Pacer;

TEST_CASE("the status bar shows sim time, speed, paused or running, seed, namespace and view") {
  StatusModel m{65.25, 1, false, 7, "default", "default", "vmis", ""};
  CHECK(render_status(m, 120).text() ==
        fit(" kvsim  default  sim 1m05.250s   RUNNING   speed x1  seed 7  ns default  :vmis   ? keys", 120));
  m.paused = true, m.speed = 0.1, m.ns = "", m.filter = "vm1";
  const auto line = render_status(m, 120);
  CHECK(line.text().find(" PAUSED   speed x0.1  seed 7  ns all  :vmis  /vm1") != std::string::npos);
  CHECK(line.spans[2].role == Role::Pending);
  CHECK(display_width(render_status(m, 40).text()) == 40);
  CHECK(speed_label(0) == "max");
  CHECK(speed_label(1000) == "x1000");
  CHECK(sim_clock(3725.5) == "1h02m05.500s");
}

TEST_CASE("speed goes x0.1 to x1000 then max, and a slow frame is not made up for") {
  Pacer p;
  CHECK(p.speed() == 1);
  CHECK(p.sim_delta(0.03) == Approx(0.03));
  for (int i = 0; i < 5; ++i) p.faster();
  CHECK(p.speed() == 1000);
  CHECK(p.sim_delta(0.03) == Approx(30));
  p.faster();
  CHECK(p.is_max());
  p.faster();
  CHECK(p.is_max());
  for (int i = 0; i < 20; ++i) p.slower();
  CHECK(p.speed() == 0.1);
  CHECK(p.sim_delta(5) == Approx(0.025));  // capped at a quarter second of wall time
  p.toggle_pause();
  CHECK(p.sim_delta(0.03) == 0);
}

TEST_CASE("help lists the keys of the current view") {
  auto has = [](ViewKind v, const std::string& keys) {
    for (const auto& k : keys_for(v))
      if (k.keys == keys) return true;
    return false;
  };
  CHECK(has(ViewKind::Table, "d"));
  CHECK(has(ViewKind::Table, "s S r"));
  CHECK_FALSE(has(ViewKind::Map, "d"));
  CHECK(has(ViewKind::Map, "j k"));
  CHECK(has(ViewKind::Timeline, "G"));
  for (auto v : {ViewKind::Table, ViewKind::Map, ViewKind::Timeline}) CHECK(has(v, "q"));
  CHECK(render_help(ViewKind::Table, 80)[1].text() == fit(" up down pgup pgdn g G  move the cursor", 80));
}

TEST_CASE("the lab panel shows the step, wrapped instructions, revealed hints and check results") {
  LabPanel lab{"vm-recovery", 2, 3, "Bring it back",
               "Delete the VMI vm1 and watch the VM controller create a new one.",
               {"Use d on the VMI.", "Watch the timeline."}, 1,
               {{"a new VMI exists", true, ""}, {"the VMI is Running", false, "phase is Scheduling"}}, false};
  const auto lines = render_lab(lab, 40, 20);
  std::vector<std::string> t;
  for (const auto& l : lines) t.push_back(l.text());
  REQUIRE(t.size() == 8);
  CHECK(t[0] == fit("LAB vm-recovery  step 2/3: Bring it back", 40));
  CHECK(t[1] == fit("Delete the VMI vm1 and watch the VM", 40));
  CHECK(t[2] == fit("controller create a new one.", 40));
  CHECK(t[3] == fit("hint 1: Use d on the VMI.", 40));
  CHECK(t[4] == fit("(h: reveal a hint, 1 left)", 40));
  CHECK(t[6] == fit("[x] a new VMI exists", 40));
  CHECK(t[7] == fit("[ ] the VMI is Running: phase is Scheduling", 40));
  CHECK(lines[7].spans[0].role == Role::Failed);
}
