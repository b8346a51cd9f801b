#include "tui/render/style.hpp"

#include <array>

namespace kvsim::tui::render {

std::string Line::text() const {
  std::string out;
  for (const auto& s : spans) out += s.text;
  return out;
}

const Glyphs& Glyphs::unicode() {
  static const Glyphs g{"─", "│", "┌", "┐", "└", "┘", "├─ ", "└─ ", "│  ", "→", "▶", "◀"};
  return g;
}

const Glyphs& Glyphs::ascii() {
  static const Glyphs g{"-", "|", "+", "+", "+", "+", "|- ", "`- ", "|  ", "->", ">", "<"};
  return g;
}

namespace {
bool continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }
}  // namespace

std::size_t display_width(std::string_view s) {
  std::size_t n = 0;
  for (char c : s)
    if (!continuation(c)) ++n;
  return n;
}

std::string clip(std::string_view s, std::size_t width) {
  std::size_t cols = 0, i = 0;
  for (; i < s.size(); ++i) {
    if (continuation(s[i])) continue;
    if (cols == width) break;
    ++cols;
  }
  return std::string(s.substr(0, i));
}

std::string fit(std::string_view s, std::size_t width) {
  std::string out = clip(s, width);
  out.append(width - display_width(out), ' ');
  return out;
}

Line skip_columns(const Line& line, std::size_t columns) {
  Line out;
  for (const auto& span : line.spans) {
    const std::size_t w = display_width(span.text);
    if (columns >= w) {
      columns -= w;
      continue;
    }
    const std::size_t dropped = clip(span.text, columns).size();
    out.add(span.text.substr(dropped), span.role);
    columns = 0;
  }
  return out;
}

Role status_role(std::string_view status) {
  static constexpr std::array running{"Running", "Ready", "Bound", "Succeeded", "Completed", "Active", "Available"};
  static constexpr std::array pending{"Pending",     "Scheduling",    "Scheduled",  "ContainerCreating",
                                      "Starting",    "Provisioning",  "Migrating",  "PreparingTarget",
                                      "TargetReady", "Running*",      "WaitingForReceiver", "Stopping",
                                      "Init",        "PodInitializing", "Paused"};
  static constexpr std::array failed{"Failed", "Error", "CrashLoopBackOff", "ErrImagePull", "ImagePullBackOff",
                                     "NotReady", "Unknown", "ErrorUnschedulable", "Evicted", "Lost", "Unschedulable"};
  if (status.starts_with("Terminating")) return Role::Terminating;
  for (auto s : failed)
    if (status == s) return Role::Failed;
  for (auto s : running)
    if (status == s) return Role::Running;
  for (auto s : pending)
    if (status == s) return Role::Pending;
  if (status.starts_with("Init:")) return Role::Pending;
  if (status.find("NotReady") != std::string_view::npos) return Role::Failed;
  if (status.find("SchedulingDisabled") != std::string_view::npos) return Role::Pending;
  return Role::Normal;
}

}  // namespace kvsim::tui::render
