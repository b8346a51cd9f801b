#pragma once
// What the renderers produce: lines of styled spans. A span names a colour
// *role* (what it means), never a colour: the view maps roles to colour pairs,
// to attributes on a monochrome terminal, or to nothing under NO_COLOR.
#include <string>
#include <string_view>
#include <vector>

namespace kvsim::tui::render {

enum class Role {
  Normal,
  Header,     // table headers, panel titles
  Selected,   // the cursor row
  Muted,      // secondary text (ages, hints)
  Running,    // Running, Ready, Bound, Succeeded-as-healthy
  Pending,    // Pending, Scheduling, Scheduled, ContainerCreating, migrating
  Failed,     // Failed, errors, CrashLoopBackOff
  Terminating,
  Down,       // a failed node
  Accent,     // keys in help, the status bar
};

struct Span {
  std::string text;
  Role role = Role::Normal;
};

struct Line {
  std::vector<Span> spans;
  Line() = default;
  Line(std::string text, Role role = Role::Normal) { spans.push_back({std::move(text), role}); }
  void add(std::string text, Role role = Role::Normal) { spans.push_back({std::move(text), role}); }
  std::string text() const;  // the spans joined, roles dropped (tests, tmux captures)
};

using Lines = std::vector<Line>;

// Box drawing: Unicode when the locale is UTF-8, ASCII otherwise.
struct Glyphs {
  std::string_view horizontal, vertical, top_left, top_right, bottom_left, bottom_right;
  std::string_view tree_branch, tree_last, tree_pipe, arrow, head_right, head_left;
  static const Glyphs& unicode();
  static const Glyphs& ascii();
};

// Terminal columns taken by UTF-8 text (one per code point: kvsim prints no wide characters).
std::size_t display_width(std::string_view s);
// Cut to at most `width` columns (never splitting a code point), then pad with spaces to exactly `width`.
std::string fit(std::string_view s, std::size_t width);
// Cut only.
std::string clip(std::string_view s, std::size_t width);
// The line seen from column `columns` on: a panel scrolled sideways.
Line skip_columns(const Line& line, std::size_t columns);

// The colour role of a phase or status word as `get` prints it.
Role status_role(std::string_view status);

}  // namespace kvsim::tui::render
