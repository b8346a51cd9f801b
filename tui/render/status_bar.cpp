#include "tui/render/status_bar.hpp"

#include <fmt/format.h>

namespace kvsim::tui::render {

std::string speed_label(double speed) {
  if (speed <= 0) return "max";
  return speed < 1 ? fmt::format("x{:g}", speed) : fmt::format("x{:.0f}", speed);
}

std::string sim_clock(double seconds) {
  const auto minutes = static_cast<long>(seconds / 60);
  const double rest = seconds - static_cast<double>(minutes) * 60;
  if (minutes >= 60) return fmt::format("{}h{:02}m{:06.3f}s", minutes / 60, minutes % 60, rest);
  if (minutes > 0) return fmt::format("{}m{:06.3f}s", minutes, rest);
  return fmt::format("{:.3f}s", rest);
}

Line render_status(const StatusModel& m, std::size_t width) {
  Line line;
  line.add(" kvsim ", Role::Header);
  line.add(fmt::format(" {}  sim {}  ", m.scenario, sim_clock(m.now)), Role::Accent);
  line.add(m.paused ? " PAUSED " : " RUNNING ", m.paused ? Role::Pending : Role::Running);
  line.add(fmt::format("  speed {}  seed {}  ns {}  :{}", speed_label(m.speed), m.seed, m.ns.empty() ? "all" : m.ns,
                       m.view),
           Role::Accent);
  if (!m.filter.empty()) line.add("  /" + m.filter, Role::Pending);
  line.add("   ? keys", Role::Muted);
  // Clip the spans to the width, then pad the rest of the bar.
  Line out;
  std::size_t left = width;
  for (auto& s : line.spans) {
    std::string t = clip(s.text, left);
    left -= display_width(t);
    out.add(std::move(t), s.role);
  }
  out.add(std::string(left, ' '), Role::Accent);
  return out;
}

}  // namespace kvsim::tui::render
