#include "tui/render/reconcile.hpp"

#include <fmt/format.h>

namespace kvsim::tui::render {

namespace {

std::string scalar(const models::Json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

void flatten_into(const models::Json& v, const std::string& path, std::vector<std::string>& out) {
  if (v.is_object()) {
    if (v.empty()) out.push_back(path + ": {}");
    for (const auto& [k, child] : v.items()) {
      // History, not state: the panel compares what is asked with what is.
      if (k == "phaseTransitionTimestamps" || k == "managedFields") continue;
      flatten_into(child, path.empty() ? k : path + "." + k, out);
    }
  } else if (v.is_array()) {
    const bool conditions = path == "conditions" || path.ends_with(".conditions");
    if (v.empty()) out.push_back(path + ": []");
    for (std::size_t i = 0; i < v.size(); ++i) {
      const auto& item = v[i];
      if (conditions && item.is_object() && item.contains("type")) {
        std::string line = fmt::format("condition {}={}", scalar(item["type"]), scalar(item.value("status", models::Json(""))));
        if (item.contains("reason")) line += " (" + scalar(item["reason"]) + ")";
        out.push_back(line);
      } else {
        flatten_into(item, fmt::format("{}[{}]", path, i), out);
      }
    }
  } else {
    out.push_back(path + ": " + scalar(v));
  }
}

// A component's decision, not a user's request: what the panel calls "the controller's".
bool is_controller(const std::string& component) { return component != "user" && component != "virtctl"; }

}  // namespace

std::vector<std::string> flatten(const models::Json& value, const std::string& prefix) {
  std::vector<std::string> out;
  flatten_into(value, prefix, out);
  return out;
}

Lines render_reconcile(const models::Object& obj, const std::vector<sim::engine::TraceRecord>& records,
                       const History& history, std::size_t width, std::size_t height) {
  Lines out;
  const auto json = obj.to_json();
  out.emplace_back(fit(fmt::format("{} {}{}  generation {}  resourceVersion {}", obj.kind,
                                   obj.metadata.namespace_.empty() ? "" : obj.metadata.namespace_ + "/",
                                   obj.metadata.name, obj.metadata.generation, obj.metadata.resourceVersion),
                       width),
                   Role::Header);
  const auto spec = json.contains("spec") ? flatten(json["spec"]) : std::vector<std::string>{"(no spec)"};
  const auto status = json.contains("status") ? flatten(json["status"]) : std::vector<std::string>{"(no status yet)"};

  // The decisions take the bottom lines; spec and status share the rest side by side.
  const auto& mine = history.records_of(obj.metadata.uid);
  std::vector<std::size_t> decisions;
  for (auto it = mine.rbegin(); it != mine.rend() && decisions.size() < 3; ++it)
    if (is_controller(records[*it].component)) decisions.push_back(*it);
  const std::size_t decision_lines = 1 + std::max<std::size_t>(decisions.size(), 1);
  const std::size_t body = height > 2 + decision_lines ? height - 2 - decision_lines : 1;
  const std::size_t left = width / 2, right = width - left;
  Line titles;
  titles.add(fit("DESIRED (spec)", left), Role::Header);
  titles.add(fit("OBSERVED (status)", right), Role::Header);
  out.push_back(titles);
  for (std::size_t i = 0; i < body && (i < spec.size() || i < status.size()); ++i) {
    Line l;
    l.add(fit(i < spec.size() ? " " + spec[i] : "", left));
    const std::string s = i < status.size() ? " " + status[i] : "";
    l.add(fit(s, right), s.find("phase: ") != std::string::npos ? status_role(s.substr(s.find(": ") + 2)) : Role::Normal);
    out.push_back(l);
  }
  out.emplace_back(fit("LAST DECISION (newest first)", width), Role::Header);
  if (decisions.empty()) out.emplace_back(fit(" none recorded yet", width), Role::Muted);
  for (auto i : decisions) {
    const auto& r = records[i];
    Line l;
    std::string text = fmt::format(" {:.3f}s {}: {}", r.time, r.component, r.change);
    l.add(clip(text, width), Role::Accent);
    const std::string why = r.reason.empty() ? "" : "  because " + r.reason;
    l.add(fit(why, width - display_width(l.text())), Role::Normal);
    out.push_back(l);
  }
  if (out.size() > height) out.resize(height);
  return out;
}

}  // namespace kvsim::tui::render
