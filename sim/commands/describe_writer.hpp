#pragma once
// What the describers share (describe.cpp, describe_pod.cpp): kubectl's
// PrefixWriter and small text helpers. Internal to sim/commands.
#include <fmt/format.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "models/core.hpp"
#include "sim/commands/printers.hpp"

namespace kvsim::sim::commands::describing {

using models::Json;

// kubectl's PrefixWriter: two spaces per level, then text whose cells are
// separated by '\t'; the whole text is aligned at the end.
class Out {
 public:
  void w(int level, std::string_view text) {
    buf_.append(static_cast<std::size_t>(2 * level), ' ');
    buf_ += text;
  }
  template <class... Args>
  void f(int level, fmt::format_string<Args...> format, Args&&... args) {
    w(level, fmt::format(format, std::forward<Args>(args)...));
  }
  std::string str() const { return tabwrite(buf_, 0, 2); }

 private:
  std::string buf_;
};


inline std::string format_selector(const std::optional<models::LabelSelector>& s) {
  return s ? models::to_string(*s) : "<none>";
}

inline std::string bool_text(bool b) { return b ? "true" : "false"; }

// Fields of opaque JSON (env, volume sources), tolerant of any shape.
inline std::string json_str(const Json& j, const char* key, const std::string& fallback = "") {
  if (!j.is_object()) return fallback;
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : fallback;
}
inline bool json_bool(const Json& j, const char* key) {
  if (!j.is_object()) return false;
  auto it = j.find(key);
  return it != j.end() && it->is_boolean() && it->get<bool>();
}
inline const Json& json_obj(const Json& j, const char* key) {
  static const Json empty = Json::object();
  if (!j.is_object()) return empty;
  auto it = j.find(key);
  return it != j.end() && it->is_object() ? *it : empty;
}

// describe prints unset times as Go's zero time does.
inline std::string time_text(const std::optional<models::Timestamp>& t) {
  return t ? format_rfc1123z(*t) : "Mon, 01 Jan 0001 00:00:00 +0000";
}

inline std::string int_or_string(const std::optional<models::IntOrString>& v) {
  if (!v) return "<nil>";
  return v->is_string ? v->str_value : std::to_string(v->int_value);
}

inline std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\n\r\f\v");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\n\r\f\v") - b + 1);
}

// Shared sections, defined in describe.cpp.
void labels_multiline(Out& o, std::string_view title, const std::map<std::string, std::string>& labels);
void annotations_multiline(Out& o, std::string_view title, const std::map<std::string, std::string>& annotations);
void controlled_by(Out& o, const models::Object& obj);
// kubectl's generic describer for CRDs (describe_generic.cpp), without the Events.
void describe_generic(Out& o, const models::Object& obj);
std::string smart_label(const std::string& field);
void conditions_table(Out& o, const std::vector<models::Condition>& conditions);
void describe_events(Out& o, const std::vector<std::shared_ptr<const models::Event>>& events, double now);

// The pod describer, in describe_pod.cpp.
void describe_pod(Out& o, const models::Pod& pod, double now);
void describe_pod_template(Out& o, const models::PodTemplateSpec& t);

}  // namespace kvsim::sim::commands::describing
