#pragma once
// The timeline panel: trace records (sim time, component, object, what, why),
// newest at the bottom, optionally only the selected object's chain.
#include <optional>
#include <vector>

#include "sim/engine/trace.hpp"
#include "tui/render/style.hpp"

namespace kvsim::tui::render {

struct TimelineWindow {
  std::size_t width = 80, height = 10;
  std::size_t scroll_back = 0;  // records hidden below the bottom (0: follow the newest)
};

// `only`: the record indices to show (a chain filter); nullopt: every record.
// Only the records that fit are formatted.
Lines render_timeline(const std::vector<sim::engine::TraceRecord>& records,
                      const std::optional<std::vector<std::size_t>>& only, const TimelineWindow& window);

// One record as a timeline line: "  65.120s virt-controller  VMI default/vm1  created  (why)".
Line timeline_line(const sim::engine::TraceRecord& r, std::size_t width);

}  // namespace kvsim::tui::render
