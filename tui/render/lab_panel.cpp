#include "tui/render/lab_panel.hpp"

#include <fmt/format.h>

#include <sstream>

namespace kvsim::tui::render {
namespace {

bool is_blank(const std::string& line) { return line.find_first_not_of(' ') == std::string::npos; }

std::string trimmed(const std::string& line) {
  const auto first = line.find_first_not_of(' ');
  return first == std::string::npos ? std::string() : line.substr(first, line.find_last_not_of(' ') - first + 1);
}

// A paragraph or a list item of lab text, its source lines joined.
struct Block {
  std::string lead;    // "- " for a list item
  std::string indent;  // what its later lines start with
  std::string text;
  bool blank = false;
};

std::vector<Block> blocks_of(const std::string& text) {
  std::vector<Block> blocks;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (is_blank(line)) {
      blocks.push_back({"", "", "", true});
      continue;
    }
    const bool item = line.starts_with("- ") || line.starts_with("* ");
    const bool continues = !blocks.empty() && !blocks.back().blank &&
                           (blocks.back().lead.empty() ? !item : line.starts_with(" "));
    if (item) blocks.push_back({line.substr(0, 2), "  ", trimmed(line.substr(2))});
    else if (continues) blocks.back().text += " " + trimmed(line);
    else blocks.push_back({"", "", trimmed(line)});
  }
  return blocks;
}

// The first `columns` columns of `word` (whole code points), removed from it.
std::string take_columns(std::string& word, std::size_t columns) {
  std::size_t at = 0, taken = 0;
  while (at < word.size() && taken < columns) {
    ++at, ++taken;
    while (at < word.size() && (static_cast<unsigned char>(word[at]) & 0xC0) == 0x80) ++at;
  }
  std::string head = word.substr(0, at);
  word.erase(0, at);
  return head;
}

// Greedy word wrap of one block: the first line starts with `lead`, the others
// with `indent`; a word wider than a line is broken across lines, never cut.
void wrap_block(const std::string& text, const std::string& lead, const std::string& indent, std::size_t width,
                std::vector<std::string>& out) {
  std::istringstream words(text);
  std::string word, line = lead;
  bool empty = true, pushed = false;
  auto flush = [&] {
    out.push_back(line);
    line = indent;
    empty = true;
    pushed = true;
  };
  while (words >> word) {
    if (display_width(line) + display_width(word) + (empty ? 0 : 1) <= width) {
      line += (empty ? "" : " ") + word;
      empty = false;
      continue;
    }
    if (!empty) flush();
    while (display_width(line) + display_width(word) > width) {
      const std::size_t used = display_width(line);
      line += take_columns(word, width > used ? width - used : 1);
      flush();
    }
    if (!word.empty()) line += word, empty = false;
  }
  if (!empty || !pushed) out.push_back(line);
}

void add_wrapped(Lines& out, const std::string& text, std::size_t width, Role role, const std::string& indent = "") {
  std::vector<std::string> lines;
  wrap_block(text, "", indent, width, lines);
  for (const auto& l : lines) out.emplace_back(fit(l, width), role);
}

}  // namespace

std::vector<std::string> wrap(const std::string& text, std::size_t width) {
  std::vector<std::string> out;
  for (const auto& b : blocks_of(text)) {
    if (b.blank) out.emplace_back();
    else wrap_block(b.text, b.lead, b.indent, width, out);
  }
  return out;
}

std::vector<std::string> wrap_each_line(const std::string& text, std::size_t width) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    const auto indent = line.substr(0, line.find_first_not_of(' ') == std::string::npos ? 0 : line.find_first_not_of(' '));
    wrap_block(line, indent, indent, width, out);
  }
  return out;
}

Lines render_lab(const LabPanel& lab, std::size_t width, std::size_t height) {
  // What is always shown: the step's title, the clock note and the live checks.
  Lines head;
  add_wrapped(head, "LAB " + lab.title, width, Role::Header);
  add_wrapped(head, fmt::format("Step {}/{}{}", lab.step, lab.steps, lab.step_title.empty() ? "" : ": " + lab.step_title), width,
              Role::Header);
  if (!lab.clock_note.empty()) add_wrapped(head, lab.clock_note, width, Role::Muted);
  Lines checks;
  checks.emplace_back(fit("CHECKS", width), Role::Header);
  for (const auto& c : lab.checks) {
    std::vector<std::string> wrapped;
    const std::string box = c.passed ? "[x] " : "[ ] ";
    wrap_block(c.name + (c.message.empty() ? "" : ": " + c.message), box, "    ", width, wrapped);
    for (std::size_t i = 0; i < wrapped.size(); ++i) {
      Line l;
      if (i == 0) {
        l.add(box, c.passed ? Role::Running : Role::Failed);
        l.add(fit(wrapped[i].substr(box.size()), width > box.size() ? width - box.size() : 0));
      } else {
        l.add(fit(wrapped[i], width));
      }
      checks.push_back(std::move(l));
    }
  }
  if (lab.completed) checks.emplace_back(fit("Lab complete.", width), Role::Running);

  // The step's text and the hints revealed, in what is left.
  Lines text;
  for (const auto& l : wrap(lab.instructions, width)) text.emplace_back(fit(l, width));
  const std::size_t shown = std::min(lab.hints_revealed, lab.hints.size());
  for (std::size_t i = 0; i < shown; ++i) add_wrapped(text, fmt::format("hint {}: {}", i + 1, lab.hints[i]), width, Role::Pending, "  ");
  if (shown < lab.hints.size())
    text.emplace_back(fit(fmt::format("(h: reveal a hint, {} left)", lab.hints.size() - shown), width), Role::Muted);

  const std::size_t fixed = head.size() + checks.size();
  if (height != SIZE_MAX && fixed + text.size() > height) {
    const std::size_t room = height > fixed ? height - fixed : 0;
    if (room == 0) text.clear();
    else {
      text.resize(room - 1);
      text.emplace_back(fit("(more: `:lab status`)", width), Role::Muted);
    }
  }
  Lines out = std::move(head);
  out.insert(out.end(), text.begin(), text.end());
  out.insert(out.end(), checks.begin(), checks.end());
  if (out.size() > height) out.resize(height);
  return out;
}

}  // namespace kvsim::tui::render
