// Bad input through the kvsim binary: refused with a located message and
// exit 1, never a hang (these carry a CTest TIMEOUT: tag [bad-input]).
#include <catch2/catch.hpp>

#include <fstream>
#include <string>

#include "run_binary.hpp"
#include "sim/build_paths.hpp"

using kvsim::testing::run;

TEST_CASE("kvsim validate on a file holding a lone comma exits 1 with the located message", "[bad-input]") {
  std::ofstream("comma.yaml") << ",";
  int status = -1;
  const auto out = run("validate comma.yaml", "", &status);
  CHECK(status == 1);
  CHECK(out == "comma.yaml:1:1: YAML: did not find expected node content (while parsing a block node)\n");
}

TEST_CASE("kvsim validate on an endless file stops at the size cap", "[bad-input]") {
  int status = -1;
  const auto out = run("validate /dev/zero", "", &status);
  CHECK(status == 1);
  CHECK(out == "/dev/zero:1:8388609: YAML: the input is larger than the cap of 8 MiB (8388608 bytes); it passes the "
               "cap here\n");
}

TEST_CASE("kvsim run on a scenario holding a lone comma exits 1 with the located message", "[bad-input]") {
  std::ofstream("comma-scenario.yaml") << "name: x\nplatform: [,]\n";
  int status = -1;
  const auto out = run("run comma-scenario.yaml", "", &status);
  CHECK(status == 1);
  CHECK(out == "comma-scenario.yaml:2:12: YAML: did not find expected node content (while parsing a flow node)\n");
}

TEST_CASE("the shell refuses a line past the cap, located, and runs the next", "[bad-input]") {
  const std::string scenario = std::string(kvsim::build_paths::source_dir()) + "/scenarios/default.yaml";
  const auto out = run("shell " + scenario, std::string(70'000, 'x') + "\nadvance 1s\n");
  CHECK(out == "error: <stdin>:1:65537: the line is longer than the cap of 64 KiB (65536 bytes); it was not run\n"
               "now 1.000s\n");
}
