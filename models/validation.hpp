#pragma once
// Shared API-server checks used by each kind's validate().
#include <string>

#include "models/codec/decoder.hpp"
#include "models/meta.hpp"

namespace kvsim::models {

enum class NameRule { Subdomain, Label };

// metadata.name (or generateName), namespace, labels and annotations.
void validate_metadata(const ObjectMeta& m, bool namespaced, NameRule rule, DecodeContext& ctx);
// A selector that must be present, valid, non-empty and match the template's labels.
void validate_workload_selector(const std::optional<LabelSelector>& selector, const Labels& template_labels,
                                const std::string& path, DecodeContext& ctx);
std::string invalid_value(const std::string& value, const std::string& why);

}  // namespace kvsim::models
