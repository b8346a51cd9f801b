// `kvsim tui` without a terminal: it says so and runs the scenario headless.
// (On a terminal it is tested under tmux: tests/tui/tui_e2e.sh.)
#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>

#include "run_binary.hpp"
#include "tests/test_paths.hpp"

TEST_CASE("kvsim tui without a terminal says so and runs the scenario as kvsim run does") {
  int status = -1;
  const auto text = kvsim::testing::run("tui default", "", &status);
  CHECK(status == 0);
  CHECK(text.starts_with("kvsim tui: not a terminal; running `kvsim run default` instead\n"));
  CHECK(text.find("VirtualMachineInstance default/vm1") != std::string::npos);  // the timeline
  CHECK(text.find("3 passed, 0 failed") != std::string::npos);
}

TEST_CASE("kvsim tui with an unknown scenario exits 1") {
  const std::string cmd = std::string(kvsim::test_paths::kvsim_binary()) + " tui no-such-scenario < /dev/null > /dev/null 2>&1";
  CHECK(WEXITSTATUS(std::system(cmd.c_str())) == 1);
}
