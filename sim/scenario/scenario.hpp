#pragma once
// Scenarios: a platform (nodes), a timing profile, objects applied at t=0, a
// timeline of commands at sim times, and expectations to hold by a deadline.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "models/codec/decoder.hpp"
#include "models/codec/problem.hpp"
#include "models/manifest.hpp"
#include "sim/cluster/cluster.hpp"
#include "sim/scenario/check.hpp"
#include "sim/scenario/field_value.hpp"

namespace kvsim::sim::scenario {

// A `generate:` block's manifest, "{i}" in its strings: its text, the text parsed once, and
// the scalars of that tree that hold "{i}" (keys included), each with its text.
struct GenerateTemplate {
  std::string text;
  YAML::Node tree;
  std::vector<std::pair<YAML::Node, std::string>> indexed;
};

// One copy of a `generate:` template, made only when the copy is created (100,000 copies
// would otherwise hold 100,000 objects from the start).
struct GeneratedCopy {
  std::shared_ptr<const GenerateTemplate> from;  // shared by all its copies
  std::size_t index = 0, copies = 0;
  bool empty() const { return !from; }
  // The copy's manifest: the template's text with "{i}" replaced by the index.
  std::string yaml() const;
  // The copy's object, decoded and admitted as `apply -f` of yaml() would, but with no
  // `documents` (a copy is created, never applied). It is decoded from the template's parsed
  // tree with "{i}" replaced in its scalars, which reads as the replaced text would: a copy is
  // not parsed (parsing the copies was 6.7% of the 1k-VM run). The tree is written for
  // the copy and restored after, so copies are made one at a time.
  models::LoadResult load(const std::string& file) const;
};

// A command of the shell at a sim time, or (from `generate`) one object to create.
struct TimedCommand {
  double at = 0;
  std::string command;
  GeneratedCopy object;  // when set: created as `apply -f` would, instead of a command
};

// A check (the same as a lab step's) that must hold at some sim time in
// [after, by]; its `changed` and `new` compare with the state at `after`.
struct Expectation {
  Check check;
  double after = 0, by = 0;
};

struct Scenario {
  std::string name, description, file;
  std::uint64_t seed = 1;
  cluster::ClusterOptions cluster;
  std::string objects_yaml;  // the objects document(s), applied at t=0
  std::vector<TimedCommand> timeline;
  std::vector<Expectation> expectations;
  double until = 0;
  // `endWhenMet: true`: the run ends, within a second of sim time, once every expectation has
  // held and the timeline is done (scale runs, whose `by` is only a deadline).
  bool end_when_met = false;
};

// Reads and checks a scenario file; problems are located.
std::optional<Scenario> load_scenario(const std::string& path, models::Problems& problems);
// The same from a parsed document (a lab's inline setup); `path` locates its problems.
std::optional<Scenario> read_scenario(const YAML::Node& root, const std::string& path, models::Problems& problems);
// Reading helpers shared with the lab loader: a located duration ("30s"), and
// a refusal of keys outside `known` (false when the node is no mapping or has one).
double read_duration(const YAML::Node& n, const std::string& path, models::DecodeContext& ctx);
bool refuse_unknown_keys(const YAML::Node& n, const std::string& path, std::initializer_list<std::string_view> known,
                         models::DecodeContext& ctx);
bool refuse_unknown_keys(const YAML::Node& n, const std::string& path, const std::vector<std::string_view>& known,
                         models::DecodeContext& ctx);
// Finds a scenario by path, or by name under scenarios/ ("default").
std::string resolve_scenario_path(const std::string& name_or_path);

struct ExpectationResult {
  const Expectation* expectation;
  bool held = false;
  double at = -1;
  std::string found;  // what the check last saw, in words (empty once it held)
};

struct RunResult {
  std::vector<ExpectationResult> results;
  std::vector<std::string> command_errors;
  bool ok() const;
};

// Creates the scenario's objects (at the current sim time); errors are returned.
std::vector<std::string> apply_objects(const Scenario& s, cluster::Cluster& cluster);
// Creates every object loaded (from manifests, or a generated copy) as `user`; returns the
// load's problems and the creations' errors.
std::vector<std::string> create_objects(const models::LoadResult& loaded, cluster::Cluster& cluster);
// Runs the scenario headless on a cluster built from it; prints nothing.
RunResult run_scenario(const Scenario& s, cluster::Cluster& cluster);

}  // namespace kvsim::sim::scenario
