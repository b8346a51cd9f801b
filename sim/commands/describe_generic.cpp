// kubectl's generic describer (k8s.io/kubectl v0.32.0 pkg/describe/describe.go,
// genericDescriber.Describe and printUnstructuredContent), which kubectl uses for
// every kind it has no describer of its own for: all CRDs, KubeVirt's included.
// The object is the JSON the API serves: Name, Namespace, Labels and Annotations,
// then every other field in key order as a tree (maps and lists of maps one level
// deeper, scalars as "Label:\tvalue"), then the Events.
#include <algorithm>
#include <cctype>
#include <optional>
#include <vector>

#include "sim/commands/describe_writer.hpp"

namespace kvsim::sim::commands::describing {
namespace {

enum class CharClass { Lower, Upper, Digit, Other };

CharClass class_of(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (std::islower(u)) return CharClass::Lower;
  if (std::isupper(u)) return CharClass::Upper;
  if (std::isdigit(u)) return CharClass::Digit;
  return CharClass::Other;
}

// fatih/camelcase.Split, which kubectl uses: runs of one character class, then the last
// capital of an upper-case run moves to the lower-case run after it ("APIVersion" ->
// "API", "Version").
std::vector<std::string> camelcase_split(const std::string& s) {
  std::vector<std::string> runs;
  std::optional<CharClass> last;
  for (char c : s) {
    const auto k = class_of(c);
    if (!last || *last != k) runs.emplace_back();
    runs.back() += c;
    last = k;
  }
  for (std::size_t i = 0; i + 1 < runs.size(); ++i)
    if (!runs[i].empty() && std::isupper(static_cast<unsigned char>(runs[i][0])) && !runs[i + 1].empty() &&
        std::islower(static_cast<unsigned char>(runs[i + 1][0]))) {
      runs[i + 1].insert(runs[i + 1].begin(), runs[i].back());
      runs[i].pop_back();
    }
  std::vector<std::string> out;
  for (auto& r : runs)
    if (!r.empty()) out.push_back(std::move(r));
  return out;
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// A scalar as Go's %v prints the value decoded from JSON: strings bare, integers as
// int64, other numbers as float64, null as <nil>.
std::string scalar_text(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "<nil>";
  return v.dump();
}

void unstructured_content(Out& o, int level, const Json& content, const std::string& prefix,
                          const std::vector<std::string>& skip) {
  for (const auto& [field, value] : content.items()) {  // sorted by key, as sort.Strings
    const std::string path = prefix + "." + field;
    if (std::find(skip.begin(), skip.end(), path) != skip.end()) continue;
    if (value.is_object()) {
      o.f(level, "{}:\n", smart_label(field));
      unstructured_content(o, level + 1, value, path, skip);
    } else if (value.is_array()) {
      o.f(level, "{}:\n", smart_label(field));
      for (const auto& child : value) {
        if (child.is_object()) unstructured_content(o, level + 1, child, path, skip);
        else o.f(level + 1, "{}\n", scalar_text(child));
      }
    } else {
      o.f(level, "{}:\t{}\n", smart_label(field), scalar_text(value));
    }
  }
}

}  // namespace

// smartLabelFor: a field with characters other than letters and '-' is printed as it is;
// otherwise its camel-case words, capitalised, the acronyms API, URL, UID, OSB and GUID
// in capitals ("apiVersion" -> "API Version", "uid" -> "UID").
std::string smart_label(const std::string& field) {
  for (char c : field)
    if (!std::isalpha(static_cast<unsigned char>(c)) && c != '-') return field;
  std::string out;
  for (auto part : camelcase_split(field)) {
    const auto caps = upper(part);
    if (caps == "API" || caps == "URL" || caps == "UID" || caps == "OSB" || caps == "GUID") part = caps;
    else part[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(part[0])));
    out += (out.empty() ? "" : " ") + part;
  }
  return out;
}

void describe_generic(Out& o, const models::Object& obj) {
  o.f(0, "Name:\t{}\n", obj.metadata.name);
  o.f(0, "Namespace:\t{}\n", obj.metadata.namespace_);
  labels_multiline(o, "Labels", obj.metadata.labels);
  annotations_multiline(o, "Annotations", obj.metadata.annotations);
  unstructured_content(o, 0, obj.to_json(), "",
                       {".metadata.managedFields", ".metadata.name", ".metadata.namespace", ".metadata.labels",
                        ".metadata.annotations"});
}

}  // namespace kvsim::sim::commands::describing
