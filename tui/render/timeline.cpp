#include "tui/render/timeline.hpp"

#include <fmt/format.h>

namespace kvsim::tui::render {

namespace {

Role change_role(const std::string& change) {
  if (change.find("Running") != std::string::npos || change.find("Ready") != std::string::npos) return Role::Running;
  if (change.find("Failed") != std::string::npos || change.find("fail") != std::string::npos) return Role::Failed;
  if (change.find("delet") != std::string::npos || change.find("Terminat") != std::string::npos)
    return Role::Terminating;
  return Role::Normal;
}

}  // namespace

Line timeline_line(const sim::engine::TraceRecord& r, std::size_t width) {
  const std::string object = r.namespace_.empty() ? r.kind + "/" + r.name : r.kind + " " + r.namespace_ + "/" + r.name;
  Line line;
  std::size_t left = width;
  auto put = [&](std::string text, Role role) {
    text = clip(text, left);
    left -= display_width(text);
    line.add(std::move(text), role);
  };
  put(fmt::format("{:>9.3f}s ", r.time), Role::Muted);
  put(fmt::format("{:<18} ", r.component), Role::Accent);
  put(object + "  ", Role::Normal);
  put(r.change, change_role(r.change));
  if (!r.reason.empty()) put("  (" + r.reason + ")", Role::Muted);
  if (left) line.add(std::string(left, ' '));
  return line;
}

Lines render_timeline(const std::vector<sim::engine::TraceRecord>& records,
                      const std::optional<std::vector<std::size_t>>& only, const TimelineWindow& window) {
  const std::size_t total = only ? only->size() : records.size();
  const std::size_t end = total > window.scroll_back ? total - window.scroll_back : 0;
  const std::size_t begin = end > window.height ? end - window.height : 0;
  Lines out;
  for (std::size_t i = begin; i < end; ++i) out.push_back(timeline_line(records[only ? (*only)[i] : i], window.width));
  return out;
}

}  // namespace kvsim::tui::render
