#include "tui/render/help.hpp"

#include <fmt/format.h>

namespace kvsim::tui::render {

std::vector<KeyHelp> keys_for(ViewKind view) {
  std::vector<KeyHelp> keys = {
      {":", "command prompt: any command (delete vmi vm1, node fail worker-2, scale ...) or a view (:vms :vmis "
            ":pods :nodes :deploy :rs :ds :sts :pvc :events :migrations :map :timeline); up/down recall earlier "
            "lines, tab completes verbs, kinds and names, ^U ^W ^A ^E edit"},
      {"space", "pause / resume sim time"},
      {"+ -", "speed x0.1 ... x1000, max"},
      {".", "step to the next event (then pause)"},
      {"n", "namespace: cycle (all namespaces last)"},
      {"/", "filter by name (esc clears)"},
      {"tab", "lower panel: reconciliation / timeline (when only one fits)"},
      {"t", "timeline: all records / the selected object's chain"},
  };
  const std::vector<KeyHelp> table = {
      {"up down pgup pgdn g G", "move the cursor"},
      {"enter", "describe the selected object"},
      {"y", "its YAML"},
      {"x", "its owner tree (VM -> VMI -> launcher pod -> node)"},
      {"d", "delete it (asks y/n)"},
      {"s S r", "start / stop / restart its VM"},
      {"m", "live-migrate its VM"},
      {"c", "serial console: type one command for the guest's shell"},
      {"f R", "fail / recover its node (the node itself, or where it runs)"},
  };
  const std::vector<KeyHelp> map = {{"j k", "scroll the nodes"}, {"f R", "fail / recover the first node shown"}};
  const std::vector<KeyHelp> timeline = {{"up down pgup pgdn", "scroll back"}, {"G", "follow the newest"}};
  const auto& own = view == ViewKind::Table ? table : view == ViewKind::Map ? map : timeline;
  keys.insert(keys.begin(), own.begin(), own.end());
  keys.push_back({"l", "lab: hide / show the panel beside the view (open it, on a small screen)"});
  keys.push_back({"h", "lab: reveal the step's next hint"});
  keys.push_back({":lab ...", "lab status | hint | grade | retry-step | skip (graded as skipped) | finish | reset"});
  keys.push_back({"j k <- ->", "in a panel (describe, YAML, output): scroll down, up, sideways"});
  keys.push_back({"esc", "close a panel, the prompt or the filter"});
  keys.push_back({"?", "this help"});
  keys.push_back({"q", "quit (restores the terminal)"});
  return keys;
}

Lines render_help(ViewKind view, std::size_t width) {
  Lines out;
  out.emplace_back(fit(" KEY                    WHAT IT DOES", width), Role::Header);
  for (const auto& k : keys_for(view)) {
    Line l;
    l.add(fit(" " + k.keys, 24), Role::Accent);
    l.add(fit(k.what, width > 24 ? width - 24 : 0));
    out.push_back(l);
  }
  return out;
}

}  // namespace kvsim::tui::render
