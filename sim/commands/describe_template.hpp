#pragma once
// `oc describe template` (openshift/oc pkg/helpers/describe describer.go TemplateDescriber,
// helpers.go formatMeta): the metadata, each parameter's name, description, whether it is
// required and its value or generator, the object labels, the message and the objects, laid
// out by oc's tabbedString (Go's tabwriter padding with tabs, tab width 8).
#include <optional>
#include <string>

#include "models/core.hpp"

namespace kvsim::sim::commands {

// The text for a Template; nullopt for other kinds.
std::optional<std::string> describe_template(const models::Object& obj, double now);

// docker/go-units HumanDuration, which oc's "Created: ... ago" uses (not kubectl's "3d",
// models::human_duration): "Less than a second", "About a minute", "5 minutes", "About an
// hour", "3 hours", "2 days", "3 weeks", ... Its boundaries are written from memory of
// go-units' duration.go (UNCONFIRMED: the source was not at hand).
std::string go_units_duration(double seconds);

}  // namespace kvsim::sim::commands
