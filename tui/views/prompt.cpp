#include "tui/views/prompt.hpp"

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

}  // namespace kvsim::tui::views
