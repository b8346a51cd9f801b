#pragma once
// Writes JSON values as YAML the way `oc get -o yaml` does (sigs.k8s.io/yaml: the JSON read
// into go-yaml v2 and marshalled): two-space indent, list items flush with their parent key,
// keys in go-yaml's order; a string that would read back as another type (a number, a bool,
// null, a timestamp) double-quoted, one a plain scalar cannot carry single-quoted (double when
// it has control characters), multi-line strings as literal blocks; long plain and quoted
// strings folded at a space past column 80, as go-yaml's emitter does.
#include <string>

#include "models/codec/decoder.hpp"

namespace kvsim::models {

std::string to_yaml(const Json& value);

}  // namespace kvsim::models
