// The status bar, the help screen, the lab panel and the speed ladder.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "tui/render/help.hpp"
#include "tui/render/lab_panel.hpp"
#include "tui/render/status_bar.hpp"
#include "tui/views/pacing.hpp"
#include "tui/views/screen_plan.hpp"

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

TEST_CASE("the lab panel shows the step, the clock note, wrapped instructions, revealed hints and check results") {
  LabPanel lab{"vm-recovery", 2, 3, "Bring it back",
               "Delete the VMI vm1 and watch the VM controller create a new one.",
               {"Use d on the VMI.", "Watch the timeline."}, 1,
               {{"a new VMI exists", true, ""}, {"the VMI is Running", false, "phase is Scheduling"}}, false,
               "Time runs: space pauses."};
  const auto lines = render_lab(lab, 40, 20);
  std::vector<std::string> t;
  for (const auto& l : lines) t.push_back(l.text());
  INFO(fmt::format("{}", fmt::join(t, "|")));
  REQUIRE(t.size() == 11);
  CHECK(t[0] == fit("LAB vm-recovery", 40));
  CHECK(t[1] == fit("Step 2/3: Bring it back", 40));
  CHECK(t[2] == fit("Time runs: space pauses.", 40));
  CHECK(t[3] == fit("Delete the VMI vm1 and watch the VM", 40));
  CHECK(t[4] == fit("controller create a new one.", 40));
  CHECK(t[5] == fit("hint 1: Use d on the VMI.", 40));
  CHECK(t[6] == fit("(h: reveal a hint, 1 left)", 40));
  CHECK(t[7] == fit("CHECKS", 40));
  CHECK(t[8] == fit("[x] a new VMI exists", 40));
  CHECK(t[9] == fit("[ ] the VMI is Running: phase is", 40));
  CHECK(t[10] == fit("    Scheduling", 40));  // wrapped under its box, not cut
  CHECK(lines[9].spans[0].role == Role::Failed);
}

TEST_CASE("lab text is wrapped once, at the panel's width: lab.yaml's own line breaks are joined, list items kept") {
  const std::string text =
      "Start it with `start vm1`, let a minute\npass, then look.\n\nThen:\n- `console fedora` attaches to its\n"
      "  serial console.\n- `vnc fedora` prints where.";
  CHECK(wrap(text, 30) == std::vector<std::string>{"Start it with `start vm1`, let", "a minute pass, then look.", "", "Then:",
                                                   "- `console fedora` attaches to", "  its serial console.",
                                                   "- `vnc fedora` prints where."});
  // A word wider than the line is broken across lines, never cut.
  CHECK(wrap("see virt-launcher-vm1-abcdefghij now", 12) ==
        std::vector<std::string>{"see", "virt-launche", "r-vm1-abcdef", "ghij now"});
}

TEST_CASE("beside the view the lab panel keeps its title and every check, and the instructions give way") {
  LabPanel lab{"VM vs VMI", 2, 3, "Delete the VMI",
               "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen",
               {}, 0,
               {{"the VMI is re-created with a new UID", false, "expected VMI vm1 to be re-created with a new UID; it still has uid 1"},
                {"the new VMI is Running within 60 s of your delete", true, ""}},
               false, ""};
  const auto lines = render_lab(lab, 24, 16);
  std::vector<std::string> t;
  for (const auto& l : lines) t.push_back(l.text());
  INFO(fmt::format("{}", fmt::join(t, "|")));
  REQUIRE(t.size() == 16);
  CHECK(t[0] == fit("LAB VM vs VMI", 24));
  CHECK(t[1] == fit("Step 2/3: Delete the VMI", 24));
  CHECK(t[2] == fit("one two three four five", 24));
  CHECK(t[3] == fit("six seven eight nine ten", 24));
  CHECK(t[4] == fit("(more: `:lab status`)", 24));
  CHECK(t[5] == fit("CHECKS", 24));
  CHECK(t[6] == fit("[ ] the VMI is", 24));
  // The failure message is wrapped whole, under its box.
  CHECK(t[11] == fit("    new UID; it still", 24));
  CHECK(t[12] == fit("    has uid 1", 24));
  CHECK(t[13] == fit("[x] the new VMI is", 24));
  CHECK(t[15] == fit("    of your delete", 24));
  // Shorter than its title and checks: those stay, the instructions go.
  const auto squeezed = render_lab(lab, 24, 13);
  CHECK(squeezed[2].text() == fit("CHECKS", 24));
}

TEST_CASE("at 120x40 the lab panel sits beside the view, at 80x24 it opens over it") {
  using namespace kvsim::tui::views;
  auto wide = plan_screen(120, 40, true, true);
  CHECK(wide.lab_place == LabPlace::side);
  CHECK(wide.lab.left == 72);
  CHECK(wide.lab.width == 48);
  CHECK(wide.view.width == 71);  // the table and the timeline, left of a one-column rule
  CHECK(wide.view.height == 38);
  CHECK(plan_screen(200, 60, true, true).lab.width == 72);
  CHECK(plan_screen(120, 40, true, false).lab_place == LabPlace::none);  // hidden with l
  CHECK(plan_screen(120, 40, true, false).view.width == 120);
  CHECK(plan_screen(80, 24, true, true).lab_place == LabPlace::overlay);
  CHECK(plan_screen(80, 24, true, false).lab_place == LabPlace::none);
  CHECK(plan_screen(120, 40, false, true).lab_place == LabPlace::none);
  CHECK_FALSE(lab_fits_beside(119, 40));
  CHECK_FALSE(lab_fits_beside(120, 29));
}

TEST_CASE("a message is wrapped line by line, never cut, and a wide panel scrolls sideways") {
  CHECK(wrap_each_line("error: cannot migrate vm1: no node can take it\n  worker-1: cordoned", 20) ==
        std::vector<std::string>{"error: cannot", "migrate vm1: no node", "can take it", "  worker-1: cordoned"});
  Line l;
  l.add("NAME   ", Role::Header);
  l.add("PHASE", Role::Running);
  CHECK(skip_columns(l, 3).text() == "E   PHASE");
  CHECK(skip_columns(l, 3).spans[0].role == Role::Header);
  CHECK(skip_columns(l, 7).text() == "PHASE");
  CHECK(skip_columns(l, 7).spans[0].role == Role::Running);
  CHECK(skip_columns(l, 40).text().empty());
}
