#include "tui/views/prompt.hpp"

#include <ncurses.h>

#include <array>
#include <string_view>

#include "sim/commands/executor.hpp"

namespace kvsim::tui::views {

std::string in_namespace(const std::string& line, const std::string& ns) {
  if (ns.empty()) return line;
  std::string error;
  auto words = sim::commands::split_words(line, error);
  if (!error.empty() || words.empty()) return line;
  std::size_t verb = words[0] == "oc" || words[0] == "kubectl" || words[0] == "virtctl" ? 1 : 0;
  if (verb >= words.size()) return line;
  // The commands that take -n (sim/commands/executor.cpp's help).
  static constexpr std::array<std::string_view, 15> kNamespaced{
      "get",     "describe",       "delete", "start", "stop",    "restart", "migrate", "migrate-cancel",
      "scale",   "set",            "rollout", "console", "pause", "unpause", "apply"};
  bool namespaced = false;
  for (auto v : kNamespaced) namespaced = namespaced || words[verb] == v;
  if (!namespaced) return line;
  for (const auto& w : words)
    if (w == "-n" || w.starts_with("-n=") || w.starts_with("--namespace") || w == "-A" || w == "--all-namespaces")
      return line;
  return line + " -n " + ns;
}

std::optional<LineKey> line_key(int key) {
  constexpr auto ctrl = [](char c) { return c & 0x1f; };
  switch (key) {
    case KEY_LEFT: return LineKey::Left;
    case KEY_RIGHT: return LineKey::Right;
    case KEY_HOME: return LineKey::Home;
    case KEY_END: return LineKey::End;
    case KEY_BACKSPACE:
    case 127:
    case 8: return LineKey::Backspace;  // terminals send ^? or ^H
    case KEY_DC: return LineKey::Delete;
    case KEY_UP: return LineKey::Older;
    case KEY_DOWN: return LineKey::Newer;
    default: break;
  }
  if (key == ctrl('B')) return LineKey::Left;
  if (key == ctrl('F')) return LineKey::Right;
  if (key == ctrl('A')) return LineKey::Home;
  if (key == ctrl('E')) return LineKey::End;
  if (key == ctrl('D')) return LineKey::Delete;
  if (key == ctrl('U')) return LineKey::KillToStart;
  if (key == ctrl('W')) return LineKey::KillWordBefore;
  if (key == ctrl('K')) return LineKey::KillToEnd;
  if (key == ctrl('P')) return LineKey::Older;
  if (key == ctrl('N')) return LineKey::Newer;
  return std::nullopt;
}

}  // namespace kvsim::tui::views
