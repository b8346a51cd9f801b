#pragma once
// Writes JSON values as YAML the way `oc get -o yaml` does: two-space indent,
// list items flush with their parent key, strings quoted only when a plain
// scalar would read back as something else, multi-line strings as literal blocks.
#include <string>

#include "models/codec/decoder.hpp"

namespace kvsim::models {

std::string to_yaml(const Json& value);

}  // namespace kvsim::models
