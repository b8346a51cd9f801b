// `oc process` draws its generated values from the simulation's seeded RNG: the same
// scenario and seed give the same VM name and password, another seed others.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <string>

#include "run_binary.hpp"
#include "sim/build_paths.hpp"

using kvsim::testing::run;

namespace {

// The default scenario with another seed, in a file of the test's own.
std::string scenario_with_seed(int seed) {
  std::ifstream in(std::string(kvsim::build_paths::source_dir()) + "/scenarios/default.yaml");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  text = std::regex_replace(text, std::regex("\nseed: 1\n"), "\nseed: " + std::to_string(seed) + "\n");
  const std::string path = "process-seed-" + std::to_string(seed) + ".yaml";
  std::ofstream(path) << text;
  return path;
}

}  // namespace

TEST_CASE("oc process in the shell generates the same values for the same seed and others for another") {
  const std::string line = "oc process -n openshift fedora-server-small -o yaml\n";
  const auto seven = scenario_with_seed(7), eight = scenario_with_seed(8);
  const auto first = run("shell " + seven, line), again = run("shell " + seven, line), other = run("shell " + eight, line);
  std::smatch m;
  REQUIRE(std::regex_search(first, m, std::regex("\n    name: (fedora-[a-y0-8]{16})\n")));
  CHECK(first == again);
  CHECK(first != other);
  CHECK(other.find(m[1].str()) == std::string::npos);
}
