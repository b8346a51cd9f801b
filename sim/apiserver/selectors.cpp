#include "sim/apiserver/selectors.hpp"

#include "sim/scenario/field_value.hpp"

namespace kvsim::sim::apiserver {

namespace {

// The field labels upstream's registries accept for each kind (pkg/registry/*/strategy.go
// GetAttrs / AddFieldLabelConversionFunc); custom resources get only the metadata pair.
bool supported(const models::KindInfo& kind, const std::string& field) {
  if (field == "metadata.name" || field == "metadata.namespace") return true;
  const std::string_view k = kind.kind;
  if (k == "Pod")
    for (auto f : {"spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                   "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"})
      if (field == f) return true;
  if (k == "Event")
    for (auto f : {"involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
                   "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason",
                   "reportingComponent", "source", "type"})
      if (field == f) return true;
  if (k == "Node" && field == "spec.unschedulable") return true;
  if (k == "Namespace" && field == "status.phase") return true;
  if (k == "ReplicaSet" && field == "status.replicas") return true;
  return false;
}

std::string value_of(const models::Object& o, const std::string& field) {
  if (field == "metadata.name") return o.metadata.name;
  if (field == "metadata.namespace") return o.metadata.namespace_;
  // An event's `source` is its reporting component (source.component).
  if (field == "source") return scenario::field_value(o, "source.component");
  auto v = scenario::field_value(o, field);
  // Unset booleans select as "false", as the typed field reads upstream.
  if (v.empty() && (field == "spec.hostNetwork" || field == "spec.unschedulable")) return "false";
  return v;
}

std::string trim(std::string s) {
  const auto b = s.find_first_not_of(' ');
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(' ') - b + 1);
}

std::vector<std::string> split_terms(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const auto comma = text.find(',', start);
    out.push_back(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) return out;
    start = comma + 1;
  }
}

}  // namespace

bool Selectors::matches(const models::Object& o) const {
  if (labels && !labels->matches(o.metadata.labels)) return false;
  for (const auto& f : fields)
    if ((value_of(o, f.field) == f.value) != f.equal) return false;
  return true;
}

std::optional<Selectors> parse_selectors(const models::KindInfo& kind, const std::string& label_selector,
                                         const std::string& field_selector, std::string& error) {
  Selectors s;
  if (!trim(label_selector).empty()) {
    auto parsed = models::parse_selector(label_selector);
    if (!parsed.selector) {
      error = "unable to parse requirement: " + parsed.error;
      return std::nullopt;
    }
    s.labels = parsed.selector;
  }
  for (const auto& raw : split_terms(field_selector)) {
    const std::string term = trim(raw);
    if (term.empty()) continue;
    FieldRequirement r;
    std::size_t op = term.find("!=");
    std::size_t op_len = 2;
    if (op != std::string::npos) r.equal = false;
    else if ((op = term.find("==")) == std::string::npos) op = term.find('='), op_len = 1;
    if (op == std::string::npos || op == 0) {
      error = "invalid selector: '" + field_selector + "'; can't understand '" + term + "'";
      return std::nullopt;
    }
    r.field = trim(term.substr(0, op));
    r.value = trim(term.substr(op + op_len));
    if (!supported(kind, r.field)) {
      error = "field label not supported: " + r.field;
      return std::nullopt;
    }
    s.fields.push_back(std::move(r));
  }
  return s;
}

}  // namespace kvsim::sim::apiserver
