#pragma once
// A training lab: labs/NN-topic/lab.yaml (title, objectives, the setup
// scenario, ordered steps with instructions, hints, checks and the solution
// commands) beside the trainee's guide, README.md.
#include <optional>
#include <string>
#include <vector>

#include "models/codec/problem.hpp"
#include "sim/scenario/check.hpp"
#include "sim/scenario/scenario.hpp"

namespace kvsim::sim::lab {

using scenario::Baseline;
using scenario::Check;
using scenario::CheckResult;
using scenario::Verdict;

struct Step {
  std::string title;
  std::string instructions;
  std::vector<std::string> hints;
  std::vector<Check> checks;
  // Commands of the shell that solve the step, `advance` included: headless
  // `lab run --solve` runs them all, `--grade-only` only the `advance`s. A
  // command written "! CMD" shows a refusal: it must fail.
  std::vector<std::string> solution;
};

struct Lab {
  std::string name;  // the folder's name: 05-vm-vs-vmi
  std::string dir;   // the folder
  std::string file;  // its lab.yaml
  std::string title;
  std::vector<std::string> objectives;
  scenario::Scenario setup;  // its platform, profile and objects; its timeline and expectations are not used
  double warmup = 0;         // sim time run before step 1 (the setup settles)
  std::string view = "vmis";  // the TUI view step 1 needs: a kind as `get` names it (pods, vms), map or timeline
  std::vector<Step> steps;
};

// Reads and checks a lab.yaml; every problem is located ("lab.yaml:12:7: steps[1].checks[0].object: ...").
std::optional<Lab> load_lab(const std::string& lab_yaml, models::Problems& problems);
// The lab whose lab.yaml (at path `lab_yaml`, which names its folder) holds `root`.
std::optional<Lab> read_lab(const YAML::Node& root, const std::string& lab_yaml, models::Problems& problems);

// The labs folder: ./labs when it exists, else the installed data directory's.
std::string labs_dir();
// A lab's lab.yaml from its name (05-vm-vs-vmi, or 05 alone), a folder or a file;
// "" with `error` set when there is none.
std::string resolve_lab(const std::string& name_or_path, std::string& error);
// The labs under labs_dir(), sorted by name; `problems` collects bad ones.
std::vector<Lab> list_labs(models::Problems& problems);

inline constexpr const char* kDefaultLab = "05-vm-vs-vmi";

}  // namespace kvsim::sim::lab
