#pragma once
// Nodes and taints that several controller tests build the same way (one
// definition, so that unity batches of the tests see one of each).
#include <optional>
#include <string>

#include "models/core.hpp"
#include "models/quantity.hpp"

namespace kvsim::testing {

// A node with 8 CPUs, `memory` and room for 110 pods; a control-plane node carries the master NoSchedule taint.
inline models::Node node_with_memory(const std::string& name, const char* memory, bool control_plane = false) {
  models::Node n;
  n.metadata.name = name;
  n.status.allocatable = {{"cpu", *models::Quantity::parse("8")},
                          {"memory", *models::Quantity::parse(memory)},
                          {"pods", models::Quantity::from_units(110)}};
  if (control_plane) n.spec.taints.push_back({"node-role.kubernetes.io/master", "", "NoSchedule", std::nullopt});
  return n;
}

inline models::Taint taint(const std::string& key, const std::string& effect = "NoExecute") {
  return models::Taint{key, "", effect, std::nullopt};
}

}  // namespace kvsim::testing
