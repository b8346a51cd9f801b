#pragma once
// The selectors of a list or watch: labelSelector as kubectl writes it
// (`app=web,tier!=db`, `env in (a,b)`), and fieldSelector on the fields
// upstream lets each kind be selected by (metadata.name and
// metadata.namespace everywhere; pods by spec.nodeName, status.phase, ...;
// events by involvedObject.*). A field the kind does not support is refused
// as upstream refuses it: 400 "field label not supported: X".
#include <optional>
#include <string>
#include <vector>

#include "models/kind_info.hpp"

namespace kvsim::sim::apiserver {

struct FieldRequirement {
  std::string field;
  std::string value;
  bool equal = true;  // = and ==; false for !=
};

struct Selectors {
  std::optional<models::LabelSelector> labels;
  std::vector<FieldRequirement> fields;
  bool matches(const models::Object& o) const;
};

// Parses both; on a problem returns nullopt and sets `error` (the Status message).
std::optional<Selectors> parse_selectors(const models::KindInfo& kind, const std::string& label_selector,
                                         const std::string& field_selector, std::string& error);

}  // namespace kvsim::sim::apiserver
