#pragma once
// The top line: sim time, speed, paused/running, seed, namespace, view.
#include <string>

#include "tui/render/style.hpp"

namespace kvsim::tui::render {

struct StatusModel {
  double now = 0;
  double speed = 1;  // <= 0: max (as fast as the machine goes)
  bool paused = false;
  std::uint64_t seed = 1;
  std::string scenario, ns, view, filter;
};

// "x0.1", "x1", "x1000", "max".
std::string speed_label(double speed);
// Sim time as the status bar shows it: "1m05.250s".
std::string sim_clock(double seconds);
Line render_status(const StatusModel& m, std::size_t width);

}  // namespace kvsim::tui::render
