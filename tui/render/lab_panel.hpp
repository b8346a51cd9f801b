#pragma once
// The lab panel, from a plain model so that the lab engine (another branch)
// fills it without the renderer knowing that engine.
#include <string>
#include <vector>

#include "tui/render/style.hpp"

namespace kvsim::tui::render {

// How time passes here, said once in the panel (the steps say "wait 30s"; the
// shell says instead that its time is frozen until `advance`).
inline constexpr const char* kLabClockNote = "Time runs by itself in the TUI: `space` pauses it, `+`/`-` change its speed.";

struct LabCheck {
  std::string name;
  bool passed = false;
  std::string message;  // why it fails (or what it saw)
};

struct LabPanel {
  std::string title;
  std::size_t step = 1, steps = 1;  // 1-based
  std::string step_title;
  std::string instructions;  // may hold several lines
  std::vector<std::string> hints;
  std::size_t hints_revealed = 0;  // `h` reveals one more
  std::vector<LabCheck> checks;
  bool completed = false;
  std::string clock_note;  // how time passes here (kLabClockNote), under the title
};

// The step's title, the clock note, the instructions and revealed hints, then the
// live checks as [x]/[ ] name: message, all wrapped once at `width` and never cut.
// When `height` is short (a side panel), the title, the note and the checks stay
// and the instructions give way, ending with a line that says where the rest is.
Lines render_lab(const LabPanel& lab, std::size_t width, std::size_t height);
// Lab text wrapped once at `width`: the lines of a paragraph are joined first, so
// that text hard-wrapped in lab.yaml reflows; a list item ("- ") keeps its line and
// its continuation lines hang under it. A word wider than the line is broken, never cut.
std::vector<std::string> wrap(const std::string& text, std::size_t width);
// Each line of `text` wrapped on its own at `width` (a message, an error): its
// line breaks are kept, and nothing is cut.
std::vector<std::string> wrap_each_line(const std::string& text, std::size_t width);

}  // namespace kvsim::tui::render
