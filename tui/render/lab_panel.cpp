#include "tui/render/lab_panel.hpp"

#include <fmt/format.h>
#include <sstream>

namespace kvsim::tui::render {

std::vector<std::string> wrap(const std::string& text, std::size_t width) {
  std::vector<std::string> out;
  std::istringstream paragraphs(text);
  std::string paragraph;
  while (std::getline(paragraphs, paragraph)) {
    std::istringstream words(paragraph);
    std::string word, line;
    while (words >> word) {
      if (!line.empty() && display_width(line) + 1 + display_width(word) > width) out.push_back(line), line.clear();
      line += (line.empty() ? "" : " ") + clip(word, width);
    }
    out.push_back(line);
  }
  return out;
}

Lines render_lab(const LabPanel& lab, std::size_t width, std::size_t height) {
  Lines out;
  out.emplace_back(fit(fmt::format("LAB {}  step {}/{}{}", lab.title, lab.step, lab.steps,
                                   lab.step_title.empty() ? "" : ": " + lab.step_title),
                       width),
                   Role::Header);
  for (const auto& l : wrap(lab.instructions, width)) out.emplace_back(fit(l, width));
  const std::size_t shown = std::min(lab.hints_revealed, lab.hints.size());
  for (std::size_t i = 0; i < shown; ++i)
    for (const auto& l : wrap(fmt::format("hint {}: {}", i + 1, lab.hints[i]), width))
      out.emplace_back(fit(l, width), Role::Pending);
  if (shown < lab.hints.size())
    out.emplace_back(fit(fmt::format("(h: reveal a hint, {} left)", lab.hints.size() - shown), width), Role::Muted);
  out.emplace_back(fit("CHECKS", width), Role::Header);
  for (const auto& c : lab.checks) {
    Line l;
    l.add(c.passed ? "[x] " : "[ ] ", c.passed ? Role::Running : Role::Failed);
    const std::string text = c.name + (c.message.empty() ? "" : ": " + c.message);
    l.add(fit(text, width > 4 ? width - 4 : 0));
    out.push_back(l);
  }
  if (lab.completed) out.emplace_back(fit("Lab complete.", width), Role::Running);
  if (out.size() > height) out.resize(height);
  return out;
}

}  // namespace kvsim::tui::render
