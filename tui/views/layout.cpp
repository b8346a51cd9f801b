// App's screen layout: the status bar on top, the view (a table over the
// reconciliation panel and the timeline; the cluster map; the full timeline)
// or an overlay in the middle, the prompt or the last message at the bottom.
#include <algorithm>
#include <fmt/format.h>
#include <sstream>

#include "sim/commands/completion.hpp"
#include "tui/app.hpp"
#include "tui/render/cluster_map.hpp"
#include "tui/render/owner_tree.hpp"
#include "tui/render/reconcile.hpp"
#include "tui/render/status_bar.hpp"
#include "tui/render/timeline.hpp"
#include "tui/views/screen_plan.hpp"

namespace kvsim::tui {

namespace {

constexpr int kMinWidth = 80, kMinHeight = 24;
constexpr int kSideBySideWidth = 160;  // wide enough for reconciliation and timeline side by side

std::string view_name(const UiState& ui) {
  if (ui.view == render::ViewKind::Map) return "map";
  if (ui.view == render::ViewKind::Timeline) return "timeline";
  return ui.kind ? std::string(ui.kind->plural) : "";
}

render::Lines text_lines(const std::string& text, render::Role role = render::Role::Normal) {
  render::Lines out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.emplace_back(l, role);
  return out;
}

// The keys on the last line: the least needed go first when the line is short,
// and `?` (all of them) always stays.
std::string key_card(std::size_t width, bool has_lab) {
  std::vector<std::string> keys = {": command", "/ filter", "enter describe", "d delete", "space pause", "+ - speed"};
  if (has_lab) keys.push_back("l lab");
  keys.insert(keys.end(), {"? keys", "q quit"});
  for (const char* dropped : {"/ filter", "d delete", "enter describe", "+ - speed"}) {
    if (render::display_width(" " + fmt::format("{}", fmt::join(keys, "   "))) <= width) break;
    keys.erase(std::find(keys.begin(), keys.end(), dropped));
  }
  return " " + fmt::format("{}", fmt::join(keys, "   "));
}

std::string target_label(const Target& t) {
  return fmt::format("{} {}{}", t.kind ? std::string(t.kind->kind) : "", t.ns.empty() ? "" : t.ns + "/", t.name);
}

}  // namespace

void App::draw() {
  screen_.erase();
  const int width = screen_.width(), height = screen_.height();
  if (width < kMinWidth || height < kMinHeight) {
    screen_.draw(0, 0, render::Line(fmt::format("kvsim tui needs a terminal of at least {}x{}", kMinWidth, kMinHeight),
                                    render::Role::Failed), width);
    screen_.draw(1, 0, render::Line(fmt::format("this one is {}x{}: enlarge it, or q to quit", width, height)), width);
    screen_.refresh();
    return;
  }
  const render::StatusModel status{cluster_.now(), pacer_.speed(), pacer_.paused(), cluster_.seed(),
                                   scenario_,      ui_.ns,         view_name(ui_),  ui_.filter};
  screen_.draw(0, 0, render::render_status(status, static_cast<std::size_t>(width)), width);
  // The lab sits beside the view when the screen is large enough; on a small one it is an overlay.
  // A message wider than its line is never cut: it opens whole in a panel that scrolls.
  if (ui_.message != drawn_message_) {
    drawn_message_ = ui_.message;
    if (render::display_width(ui_.message) > static_cast<std::size_t>(width) && ui_.prompt == Prompt::None) {
      open_overlay(Overlay::Output);
      ui_.overlay_text = ui_.message;
      ui_.overlay_wrap = true;
    }
  }
  const bool beside = views::lab_fits_beside(width, height);
  if (beside && ui_.overlay == Overlay::Lab) ui_.overlay = Overlay::None, ui_.lab_open = true;
  // Shrunk below the size that holds it beside the view, an open lab moves over the view.
  if (lab_was_beside_ && !beside && ui_.lab_open && lab && ui_.overlay == Overlay::None) open_overlay(Overlay::Lab);
  lab_was_beside_ = beside;
  const auto plan = views::plan_screen(width, height, lab.has_value(), beside ? ui_.lab_open : ui_.overlay == Overlay::Lab);
  lab_visible_ = plan.lab_place != views::LabPlace::none;
  const int top = plan.view.top, body = plan.view.height, view_width = plan.view.width;
  if (ui_.view == render::ViewKind::Table) {
    // The table is drawn even under an overlay: it keeps the cursor on its object.
    // The table takes what its rows need, up to a little over half: the rest is for the panels.
    const auto& rows = rows_.rows(cluster_.store(), {ui_.kind, ui_.ns, ui_.filter}, store_version_);
    const int table_height = std::clamp(static_cast<int>(std::min<std::size_t>(rows.size(), 1000)) + 3, 6, body * 11 / 20);
    draw_table(top, table_height, view_width);
    if (ui_.overlay == Overlay::None) draw_lower(top + table_height, body - table_height, view_width);
  } else if (ui_.overlay == Overlay::None && ui_.view == render::ViewKind::Map) {
    const auto w = static_cast<std::size_t>(view_width);
    const std::size_t cols = render::map_columns(w), rows = std::max(1, (body - 1) / 3);
    const auto total = cluster_.store().count(models::Node::kind_info());
    ui_.map_first = std::min(ui_.map_first, total ? total - 1 : 0);
    auto map = render::collect_map(
        cluster_.store(), [this](const std::string& n) { return !cluster_.has_node_host(n) || cluster_.node_host_up(n); },
        ui_.map_first, cols * rows, cluster_.now());
    const auto lines = render::render_map(map, w, static_cast<std::size_t>(body), screen_.glyphs());
    for (std::size_t i = 0; i < lines.size(); ++i) screen_.draw(top + static_cast<int>(i), 0, lines[i], view_width);
  } else if (ui_.overlay == Overlay::None) {
    draw_lower(top, body, view_width);
  }
  if (ui_.overlay != Overlay::None) draw_overlay(top, body, view_width);
  if (plan.lab_place == views::LabPlace::side) draw_lab_beside(plan.lab);
  draw_bottom_line(height - 1, width);
  screen_.refresh();
}

void App::draw_lab_beside(const views::Area& area) {
  const render::Line bar(std::string(screen_.glyphs().vertical), render::Role::Muted);
  for (int y = area.top; y < area.top + area.height; ++y) screen_.draw(y, area.left - 1, bar, 1);
  const auto lines = render::render_lab(*lab, static_cast<std::size_t>(area.width), static_cast<std::size_t>(area.height));
  for (std::size_t i = 0; i < lines.size(); ++i) screen_.draw(area.top + static_cast<int>(i), area.left, lines[i], area.width);
}

void App::draw_table(int top, int height, int width) {
  const render::TableQuery query{ui_.kind, ui_.ns, ui_.filter};
  const auto& rows = rows_.rows(cluster_.store(), query, store_version_);
  // Unmoved cursor: stay on the same object as rows come and go (rows are sorted by namespace/name).
  if (ui_.selected == ui_.drawn_selected && ui_.cursor) {
    auto it = std::lower_bound(rows.begin(), rows.end(), std::pair(ui_.cursor->ns, ui_.cursor->name),
                               [](const models::ObjectPtr& o, const std::pair<std::string, std::string>& key) {
                                 return std::tie(o->metadata.namespace_, o->metadata.name) < std::tie(key.first, key.second);
                               });
    if (it != rows.end()) ui_.selected = static_cast<std::size_t>(it - rows.begin());
  }
  ui_.selected = rows.empty() ? 0 : std::min(ui_.selected, rows.size() - 1);
  ui_.drawn_selected = ui_.selected;
  const auto visible = static_cast<std::size_t>(std::max(1, height - 2));
  ui_.first = render::scroll_to_show(ui_.first, ui_.selected, visible);
  if (rows.empty()) ui_.cursor.reset();
  else {
    const auto& o = *rows[ui_.selected];
    ui_.cursor = Target{ui_.kind, o.metadata.namespace_, o.metadata.name, o.metadata.uid};
  }
  const std::string scope = ui_.kind->namespaced ? (ui_.ns.empty() ? "all" : ui_.ns) : "cluster";
  screen_.draw(top, 0,
               render::Line(render::fit(fmt::format(" {}({})[{}]{}", ui_.kind->plural, scope, rows.size(),
                                                    ui_.filter.empty() ? "" : "  /" + ui_.filter),
                                        static_cast<std::size_t>(width)),
                            render::Role::Header),
               width);
  render::TableWindow window{ui_.first, ui_.selected, static_cast<std::size_t>(width), visible + 1,
                             ui_.ns.empty() && ui_.kind->namespaced};
  const auto lines = render::render_table(*ui_.kind, rows, cluster_.now(), window);
  for (std::size_t i = 0; i < lines.size(); ++i) screen_.draw(top + 1 + static_cast<int>(i), 0, lines[i], width);
  if (rows.empty())
    screen_.draw(top + 2, 0, render::Line(ui_.filter.empty() ? " No resources found." : " Nothing matches the filter.",
                                          render::Role::Muted), width);
}

void App::draw_lower(int top, int height, int width) {
  const auto& records = cluster_.trace().records();
  auto draw_timeline = [&](int x, int w) {
    std::optional<std::vector<std::size_t>> only;
    std::string scope = "all records";
    if (ui_.chain_only && ui_.cursor) {
      only = history_.records_of(history_.chain(ui_.cursor->uid));
      scope = "chain of " + target_label(*ui_.cursor);
    }
    screen_.draw(top, x, render::Line(render::fit(" TIMELINE  " + scope + "  (t: chain/all)", static_cast<std::size_t>(w)),
                                      render::Role::Header), w);
    const render::TimelineWindow window{static_cast<std::size_t>(w), static_cast<std::size_t>(height - 1),
                                        ui_.timeline_back};
    const auto lines = render::render_timeline(records, only, window);
    for (std::size_t i = 0; i < lines.size(); ++i) screen_.draw(top + 1 + static_cast<int>(i), x, lines[i], w);
  };
  auto draw_reconcile = [&](int x, int w) {
    screen_.draw(top, x, render::Line(render::fit(" RECONCILIATION  desired vs observed, the last decision (tab: timeline)",
                                                  static_cast<std::size_t>(w)),
                                      render::Role::Header), w);
    auto obj = ui_.cursor ? cluster_.store().by_uid(ui_.cursor->uid) : nullptr;
    if (!obj) return screen_.draw(top + 1, x, render::Line(" select an object", render::Role::Muted), w);
    const auto lines = render::render_reconcile(*obj, records, history_, static_cast<std::size_t>(w),
                                                static_cast<std::size_t>(height - 1));
    for (std::size_t i = 0; i < lines.size(); ++i) screen_.draw(top + 1 + static_cast<int>(i), x, lines[i], w);
  };
  if (ui_.view != render::ViewKind::Table) return draw_timeline(0, width);
  if (width >= kSideBySideWidth) {
    draw_reconcile(0, width / 2 - 1);
    draw_timeline(width / 2, width - width / 2);
  } else if (ui_.lower == Lower::Reconcile) {
    draw_reconcile(0, width);
  } else {
    draw_timeline(0, width);
  }
}

render::Lines App::overlay_lines(int width) {
  const auto& t = ui_.overlay_target;
  const std::string ref = t.kind ? std::string(t.kind->plural) + " " + t.name + (t.ns.empty() ? "" : " -n " + t.ns) : "";
  switch (ui_.overlay) {
    case Overlay::Describe:
    case Overlay::Yaml: {
      auto out = exec_.run(ui_.overlay == Overlay::Yaml ? "get " + ref + " -o yaml" : "describe " + ref);
      return out.ok() ? text_lines(out.output) : text_lines(out.error, render::Role::Failed);
    }
    case Overlay::Tree: {
      auto obj = t.kind ? cluster_.store().get(*t.kind, t.ns, t.name) : nullptr;
      if (!obj) return {render::Line(target_label(t) + " is gone", render::Role::Muted)};
      return render::render_owner_tree(cluster_.store(), *obj, cluster_.now(), screen_.glyphs());
    }
    case Overlay::Help: return render::render_help(ui_.view, static_cast<std::size_t>(width));
    case Overlay::Output:
      if (!ui_.overlay_wrap) return text_lines(ui_.overlay_text);
      {
        render::Lines out;
        for (const auto& l : render::wrap_each_line(ui_.overlay_text, static_cast<std::size_t>(width)))
          out.emplace_back(l, ui_.message_is_error && ui_.overlay_text == ui_.message ? render::Role::Failed : render::Role::Normal);
        return out;
      }
    case Overlay::Lab:
      if (lab) return render::render_lab(*lab, static_cast<std::size_t>(width), SIZE_MAX);
      return {};
    case Overlay::None: return {};
  }
  return {};
}

void App::draw_overlay(int top, int height, int width) {
  static constexpr const char* kTitles[] = {"", "DESCRIBE", "YAML", "OWNER TREE", "KEYS", "OUTPUT", "LAB"};
  const auto lines = overlay_lines(width);
  const auto body = static_cast<std::size_t>(height - 1);
  // The overlay covers the table drawn under it.
  const render::Line blank(std::string(static_cast<std::size_t>(width), ' '));
  for (int y = top; y < top + height; ++y) screen_.draw(y, 0, blank, width);
  ui_.overlay_scroll = std::min(ui_.overlay_scroll, lines.size() > body ? lines.size() - body : 0);
  // Lines wider than the panel (describe, YAML, a table's output) scroll sideways.
  std::size_t widest = 0;
  for (const auto& l : lines) widest = std::max(widest, render::display_width(l.text()));
  const auto w = static_cast<std::size_t>(width);
  ui_.overlay_hscroll = std::min(ui_.overlay_hscroll, widest > w ? widest - w : 0);
  const bool about_object = ui_.overlay == Overlay::Describe || ui_.overlay == Overlay::Yaml || ui_.overlay == Overlay::Tree;
  // Short enough for 80 columns: the column scrolled to, then the keys.
  const std::string column = ui_.overlay_hscroll == 0 ? "" : fmt::format("  col {}", ui_.overlay_hscroll + 1);
  const std::string title = fmt::format(" {} {}{} (esc closes, j/k{})", kTitles[static_cast<int>(ui_.overlay)],
                                        about_object              ? target_label(ui_.overlay_target)
                                        : ui_.overlay == Overlay::Help ? "of the :" + view_name(ui_) + " view"
                                                                       : "",
                                        column, widest <= w ? " scroll" : ", <- -> scroll");
  screen_.draw(top, 0, render::Line(render::fit(title, w), render::Role::Header), width);
  for (std::size_t i = 0; i < body && ui_.overlay_scroll + i < lines.size(); ++i)
    screen_.draw(top + 1 + static_cast<int>(i), 0, render::skip_columns(lines[ui_.overlay_scroll + i], ui_.overlay_hscroll), width);
}

void App::draw_bottom_line(int y, int width) {
  const auto w = static_cast<std::size_t>(width);
  if (ui_.prompt == Prompt::Command || ui_.prompt == Prompt::Filter || ui_.prompt == Prompt::Guest) {
    const std::string lead = ui_.prompt == Prompt::Command ? ":"
                             : ui_.prompt == Prompt::Filter ? "/"
                                                            : ui_.guest_vm + " console$ ";
    // Tab's candidates, when it could not choose, on the line above (over the view, until the next key).
    if (!ui_.completions.empty() && y > 0)
      screen_.draw(y - 1, 0, render::Line(render::fit(sim::commands::list_candidates(ui_.completions, w), w), render::Role::Muted),
                   width);
    const auto shown = ui_.input.shown(lead, w);
    screen_.draw(y, 0, render::Line(render::fit(shown.text, w), render::Role::Accent), width);
    screen_.show_cursor(true, y, static_cast<int>(std::min(shown.cursor_column, w - 1)));
    return;
  }
  screen_.show_cursor(false);
  if (ui_.prompt == Prompt::Confirm)
    return screen_.draw(y, 0, render::Line(render::fit(ui_.confirm_command + "?  (y/n)", w), render::Role::Pending), width);
  if (!ui_.message.empty()) {
    // Too wide for its line, the message was opened whole in a panel: this line only points there.
    static constexpr std::string_view kMore = " ... (whole above)";
    const std::string shown = render::display_width(ui_.message) <= w || w <= kMore.size() * 2
                                  ? ui_.message
                                  : render::clip(ui_.message, w - kMore.size()) + std::string(kMore);
    return screen_.draw(y, 0, render::Line(render::fit(shown, w), ui_.message_is_error ? render::Role::Failed : render::Role::Normal),
                        width);
  }
  screen_.draw(y, 0, render::Line(render::fit(key_card(w, lab.has_value()), w), render::Role::Muted), width);
}

}  // namespace kvsim::tui
