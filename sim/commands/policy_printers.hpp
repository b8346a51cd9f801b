#pragma once
// `oc get pdb` rows (kubectl printers.go: printPodDisruptionBudget).
#include <string>
#include <vector>

#include "models/policy.hpp"

namespace kvsim::sim::commands {

// NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE; an unset bound prints "N/A".
std::vector<std::string> pdb_row(const models::Object& o, double now, bool wide);

}  // namespace kvsim::sim::commands
