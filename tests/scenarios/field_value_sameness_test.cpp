// field_value walks typed objects instead of serialising them whole; what it
// reads must be what the whole JSON holds. Here on the objects of real runs
// (statuses, conditions, owner references, timestamps): every path to every
// value of every object, lists by index and by key, and parts that are not there.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "models/registry.hpp"
#include "sim/commands/executor.hpp"
#include "sim/scenario/field_value.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/build_paths.hpp"

using namespace kvsim;

namespace {

// Every path to a value of `j` (and a few that lead nowhere), each with what the JSON holds there.
void paths_of(const models::Json& j, const std::string& path, std::vector<std::string>& out) {
  const std::string prefix = path.empty() ? "" : path + ".";
  out.push_back(prefix + "notAField");
  if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      out.push_back(prefix + key);
      paths_of(value, prefix + key, out);
    }
  } else if (j.is_array()) {
    out.push_back(fmt::format("{}[{}]", path, j.size()));
    for (std::size_t i = 0; i < j.size(); ++i) {
      out.push_back(fmt::format("{}[{}]", path, i));
      paths_of(j[i], fmt::format("{}[{}]", path, i), out);
      for (const char* key : {"type", "name", "key", "kind"})
        if (j[i].is_object() && j[i].contains(key) && j[i][key].is_string()) {
          const auto picked = fmt::format("{}[{}={}]", path, key, j[i][key].get<std::string>());
          out.push_back(picked);
          paths_of(j[i], picked, out);
        }
    }
    out.push_back(path + "[kind=NoSuchKind]");
  }
}

struct Compared {
  int paths = 0;
  int differing = 0;
};

// Compares field_value with the read on to_json for every object in the store.
Compared compare_all(sim::cluster::Cluster& cluster) {
  Compared c;
  for (const auto* kind : models::all_kinds())
    for (const auto& o : cluster.store().list(*kind)) {
      const auto j = o->to_json();
      std::vector<std::string> paths;
      paths_of(j, "", paths);
      for (const auto& path : paths) {
        ++c.paths;
        const auto typed = sim::scenario::field_value(*o, path);
        const auto whole = sim::scenario::field_value_in_json(j, path);
        if (typed == whole) continue;
        ++c.differing;
        UNSCOPED_INFO(fmt::format("{} {}: {}: \"{}\" but the JSON holds \"{}\"", o->kind, o->metadata.name, path,
                                  typed, whole));
      }
    }
  return c;
}

// Runs a scenario, comparing at each of `times` and at its end.
Compared run_comparing(const std::string& name, const std::vector<double>& times) {
  models::Problems problems;
  auto s = sim::scenario::load_scenario(std::string(kvsim::build_paths::source_dir()) + "/scenarios/" + name + ".yaml", problems);
  for (const auto& p : problems) FAIL(p.str());
  REQUIRE(s);
  sim::cluster::Cluster cluster(s->cluster);
  Compared total;
  for (const auto& e : sim::scenario::apply_objects(*s, cluster)) FAIL(e);
  sim::commands::Executor exec(cluster);
  std::size_t next = 0;
  for (double t : times) {
    cluster.run_until(t);
    for (; next < s->timeline.size() && s->timeline[next].at <= t; ++next) {
      const auto out = exec.run(s->timeline[next].command);
      REQUIRE(out.ok());
    }
    const auto c = compare_all(cluster);
    total.paths += c.paths;
    total.differing += c.differing;
  }
  cluster.shutdown();
  return total;
}

}  // namespace

TEST_CASE("field reads on a live migration's objects are what their JSON holds, at every step") {
  // migrate vm1 at 60 s: the target pod, the VMIM and the VMI's migrationState appear after it.
  const auto c = run_comparing("live-migration", {1, 20, 60, 65, 75, 90});
  CHECK(c.paths > 20000);
  CHECK(c.differing == 0);
}

TEST_CASE("field reads on a StatefulSet's pods, claims and volumes are what their JSON holds") {
  const auto c = run_comparing("statefulset", {2, 30, 60, 75});
  CHECK(c.paths > 5000);
  CHECK(c.differing == 0);
}

TEST_CASE("field reads on a rolling update's Deployment and ReplicaSets are what their JSON holds") {
  const auto c = run_comparing("rolling-update", {2, 29, 30, 45, 60, 90});
  CHECK(c.paths > 5000);
  CHECK(c.differing == 0);
}
