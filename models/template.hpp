#pragma once
// OpenShift's Template (template.openshift.io/v1, openshift/api template/v1/types.go):
// objects with ${PARAM} placeholders and the parameters that fill them. `oc process`
// (sim/commands/process_command.hpp) turns one into a List; the objects are kept as
// written, since a template's placeholders make them undecodable until processed.
#include <optional>
#include <string>
#include <vector>

#include "models/core.hpp"

namespace kvsim::models {

struct TemplateParameter {
  std::string name, displayName, description, value, generate, from;
  std::optional<bool> required;
};
template <class V>
void visit_fields(V& v, TemplateParameter& p) {
  v.field("name", p.name, Required);
  v.field("displayName", p.displayName);
  v.field("description", p.description);
  v.field("value", p.value);
  v.enumerated("generate", p.generate, {"expression"});
  v.field("from", p.from);
  v.field("required", p.required);
}

struct Template : ObjectOf<Template> {
  std::string message;
  Json objects;  // the raw objects, placeholders and all
  std::vector<TemplateParameter> parameters;
  std::map<std::string, std::string> labels;  // objectLabels: added to every processed object
  static const KindInfo& kind_info();
};
template <class V>
void visit_fields(V& v, Template& t) {
  visit_header(v, t);
  v.field("message", t.message);
  v.opaque("objects", t.objects);
  v.field("parameters", t.parameters);
  v.field("labels", t.labels);
}

}  // namespace kvsim::models
