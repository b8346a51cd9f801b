#pragma once
// Scenario tests that hold their scenario as text: load_scenario reads a path,
// so the text goes through a per-process temporary file first.
#include <unistd.h>

#include <fstream>
#include <optional>
#include <string>

#include "sim/scenario/scenario.hpp"

namespace kvsim::testing {

inline std::optional<sim::scenario::Scenario> load_scenario_text(const std::string& text, models::Problems& problems) {
  const std::string path = "/tmp/kvsim-scenario-" + std::to_string(::getpid()) + ".yaml";
  std::ofstream(path) << text;
  return sim::scenario::load_scenario(path, problems);
}

}  // namespace kvsim::testing
