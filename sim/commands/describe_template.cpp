#include "sim/commands/describe_template.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>

#include "models/template.hpp"
#include "sim/commands/printers.hpp"

namespace kvsim::sim::commands {
namespace {

// formatString: "Label:" then every line of the value after a tab ("<none>" when empty).
void format_string(std::string& out, const std::string& label, const std::string& value) {
  const std::string v = value.empty() ? "<none>" : value;
  out += label + ":";
  std::size_t start = 0;
  while (true) {
    const auto end = v.find('\n', start);
    out += "\t" + v.substr(start, end == std::string::npos ? std::string::npos : end - start) + "\n";
    if (end == std::string::npos) break;
    start = end + 1;
  }
}

// formatMapStringString: the first key=value beside the label, the others on lines of their own.
void format_map(std::string& out, const std::string& label, const std::map<std::string, std::string>& items) {
  if (items.empty()) return format_string(out, label, "");
  bool first = true;
  for (const auto& [k, v] : items) {
    if (first) format_string(out, label, k + "=" + v);
    else out += "\t" + k + "=" + v + "\n";
    first = false;
  }
}

std::string labels_string(const std::map<std::string, std::string>& labels) {
  std::string s;
  for (const auto& [k, v] : labels) s += (s.empty() ? "" : ",") + k + "=" + v;
  return s;
}

std::string text_at(const models::Json& j, std::initializer_list<const char*> path) {
  const models::Json* at = &j;
  for (const char* key : path) {
    if (!at->is_object() || !at->contains(key)) return {};
    at = &(*at)[key];
  }
  return at->is_string() ? at->get<std::string>() : std::string();
}

}  // namespace

std::string go_units_duration(double d) {
  const auto seconds = static_cast<long long>(d);
  if (seconds < 1) return "Less than a second";
  if (seconds == 1) return "1 second";
  if (seconds < 60) return fmt::format("{} seconds", seconds);
  const auto minutes = static_cast<long long>(d / 60);
  if (minutes == 1) return "About a minute";
  if (minutes < 60) return fmt::format("{} minutes", minutes);
  const auto hours = static_cast<long long>(d / 3600 + 0.5);
  if (hours == 1) return "About an hour";
  if (hours < 48) return fmt::format("{} hours", hours);
  if (hours < 24 * 7 * 2) return fmt::format("{} days", hours / 24);
  if (hours < 24 * 30 * 2) return fmt::format("{} weeks", hours / 24 / 7);
  if (hours < 24 * 365 * 2) return fmt::format("{} months", hours / 24 / 30);
  return fmt::format("{} years", static_cast<long long>(d / 3600) / 24 / 365);
}

std::optional<std::string> describe_template(const models::Object& obj, double now) {
  const auto* t = dynamic_cast<const models::Template*>(&obj);
  if (!t) return std::nullopt;
  const auto& m = t->metadata;
  std::string out;
  format_string(out, "Name", m.name);
  if (!m.namespace_.empty()) format_string(out, "Namespace", m.namespace_);
  if (m.creationTimestamp) out += "Created:\t" + go_units_duration(now - m.creationTimestamp->seconds) + " ago\n";
  format_map(out, "Labels", m.labels);
  auto annotations = m.annotations;
  if (auto it = annotations.find("description"); it != annotations.end()) {
    if (!it->second.empty()) format_string(out, "Description", it->second);
    annotations.erase(it);
  }
  format_map(out, "Annotations", annotations);
  out += "\n";
  format_string(out, "Parameters", " ");
  const std::string indent = "    ";
  for (const auto& p : t->parameters) {
    format_string(out, indent + "Name", p.name);
    if (!p.displayName.empty()) format_string(out, indent + "Display Name", p.displayName);
    if (!p.description.empty()) format_string(out, indent + "Description", p.description);
    format_string(out, indent + "Required", p.required.value_or(false) ? "true" : "false");
    if (p.generate.empty()) {
      format_string(out, indent + "Value", p.value);
    } else {
      if (!p.value.empty()) format_string(out, indent + "Value", p.value);
      format_string(out, indent + (p.value.empty() ? "Generated" : "Generated (ignored)"), p.generate);
      format_string(out, indent + "From", p.from);
    }
    out += "\n";
  }
  out += "\n";
  format_string(out, "Object Labels", labels_string(t->labels));
  out += "\n";
  format_string(out, "Message", t->message);
  out += "\n";
  format_string(out, "Objects", " ");
  if (t->objects.is_array())
    for (const auto& o : t->objects) {
      // The group of the object's apiVersion after its kind: VirtualMachine.kubevirt.io.
      const std::string api_version = text_at(o, {"apiVersion"});
      const auto slash = api_version.find('/');
      const std::string group = slash == std::string::npos ? "" : api_version.substr(0, slash);
      const std::string kind = text_at(o, {"kind"});
      out += indent + (group.empty() ? kind : kind + "." + group) + "\t" + text_at(o, {"metadata", "name"}) + "\n";
    }
  return tabwrite_with_tabs(out, 8, 1);
}

}  // namespace kvsim::sim::commands
