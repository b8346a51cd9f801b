#pragma once
// The common cluster instance types (u1, o1, cx1, m1, n1, rt1 series) and
// preferences (fedora, rhel.9, windows.2k22, ...) virt-operator installs,
// decoded from the data embedded from models/data/ (kubevirt/common-instancetypes
// v1.3.0, the release KubeVirt v1.5.0 bundles).
#include <memory>
#include <vector>

#include "models/kind_info.hpp"

namespace kvsim::models {

// Instance types first, then preferences, in the bundles' order. Throws
// std::logic_error if the embedded data does not decode (a build defect).
std::vector<std::shared_ptr<Object>> common_instancetypes_and_preferences();

}  // namespace kvsim::models
