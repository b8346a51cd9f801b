#pragma once
// The lab panel, from a plain model so that the lab engine (another branch)
// fills it without the renderer knowing that engine.
#include <string>
#include <vector>

#include "tui/render/style.hpp"

namespace kvsim::tui::render {

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
};

// Instructions wrap at word boundaries; checks show as [x]/[ ] name: message.
Lines render_lab(const LabPanel& lab, std::size_t width, std::size_t height);
// Greedy word wrap to `width` columns (words longer than the width are cut).
std::vector<std::string> wrap(const std::string& text, std::size_t width);

}  // namespace kvsim::tui::render
