#include "models/validation.hpp"

#include <fmt/format.h>

#include "models/names.hpp"

namespace kvsim::models {

std::string invalid_value(const std::string& value, const std::string& why) {
  return fmt::format("Invalid value: \"{}\": {}", value, why);
}

void validate_metadata(const ObjectMeta& m, bool namespaced, NameRule rule, DecodeContext& ctx) {
  if (m.name.empty() && m.generateName.empty()) {
    ctx.invalid("metadata.name", "Required value: name or generateName is required");
  } else if (!m.name.empty()) {
    const auto err = rule == NameRule::Label ? check_dns1123_label(m.name) : check_dns1123_subdomain(m.name);
    if (!err.empty()) ctx.invalid("metadata.name", invalid_value(m.name, err));
  }
  if (!namespaced && !m.namespace_.empty())
    ctx.invalid("metadata.namespace", "Forbidden: not allowed on this type (it is cluster-scoped)");
  if (!m.namespace_.empty()) {
    if (auto err = check_dns1123_label(m.namespace_); !err.empty())
      ctx.invalid("metadata.namespace", invalid_value(m.namespace_, err));
  }
  for (const auto& [k, v] : m.labels) {
    if (auto err = check_label_key(k); !err.empty()) ctx.invalid("metadata.labels", invalid_value(k, err));
    if (auto err = check_label_value(v); !err.empty()) ctx.invalid("metadata.labels", invalid_value(v, err));
  }
  for (const auto& [k, v] : m.annotations) {
    if (auto err = check_label_key(k); !err.empty()) ctx.invalid("metadata.annotations", invalid_value(k, err));
  }
}

void validate_workload_selector(const std::optional<LabelSelector>& selector, const Labels& template_labels,
                                const std::string& path, DecodeContext& ctx) {
  if (!selector) return;  // "Required value" comes from the decoder
  for (const auto& problem : validate_selector(*selector, path)) {
    const auto colon = problem.find(": ");
    if (colon == std::string::npos) ctx.invalid(path, problem);
    else ctx.invalid(problem.substr(0, colon), problem.substr(colon + 2));
  }
  if (selector->empty()) {
    ctx.invalid(path, "Invalid value: \"{}\": empty selector is invalid for deployment");
    return;
  }
  if (!selector->matches(template_labels)) {
    const auto tpath = path.substr(0, path.rfind('.')) + ".template.metadata.labels";
    // The API server prints the Go map: map[string]string{"app":"web", "tier":"db"}.
    std::string labels;
    for (const auto& [k, v] : template_labels) labels += fmt::format("{}\"{}\":\"{}\"", labels.empty() ? "" : ", ", k, v);
    ctx.invalid(tpath, fmt::format("Invalid value: map[string]string{{{}}}: `selector` does not match template `labels`",
                                   labels));
  }
}

}  // namespace kvsim::models
