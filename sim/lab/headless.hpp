#pragma once
// `kvsim lab run NAME --solve|--grade-only`: a lab without a trainee.
#include <iosfwd>

#include "sim/lab/lab.hpp"

namespace kvsim::sim::lab {

enum class HeadlessMode {
  solve,       // each step: its solution commands, then its grade
  grade_only,  // each step: only the solution's `advance`s (time passes untouched), then its grade
};

// Builds the lab's cluster, prints the timeline (unless quiet), the commands
// and a PASS/FAIL per check of every step. Returns 0 only if every check passed.
// The invariant checker watches every step; a violation is a FAIL.
// `reading_pause` (sim seconds) passes before each step's first command, as for
// a trainee who reads the step first: a lab must pass all the same.
int run_headless(const Lab& lab, HeadlessMode mode, bool quiet, std::ostream& out, double reading_pause = 0);

}  // namespace kvsim::sim::lab
