// `kvsim diff` and `kvsim run --check-invariants`, end to end.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "run_binary.hpp"
#include "sim/build_paths.hpp"

using kvsim::testing::run;
using kvsim::testing::run_in;

TEST_CASE("kvsim diff names the first record where two seeds part ways, and agrees with itself") {
  const std::string scenario = std::string(kvsim::build_paths::source_dir()) + "/scenarios/default.yaml";
  int status = -1;
  run("run " + scenario + " --quiet --trace diff-seed1.jsonl", "", &status);
  REQUIRE(status == 0);
  run("run " + scenario + " --quiet --seed 2 --trace diff-seed2.jsonl", "", &status);
  REQUIRE(status == 0);
  auto same = run("diff diff-seed1.jsonl diff-seed1.jsonl", "", &status);
  CHECK(status == 0);
  CHECK_THAT(same, Catch::Matches("the traces agree: [0-9]+ records\n"));
  auto out = run("diff diff-seed1.jsonl diff-seed2.jsonl", "", &status);
  INFO(out);
  CHECK(status == 1);
  CHECK_THAT(out, Catch::StartsWith("first divergence at record "));
  CHECK_THAT(out, Catch::Contains("  expected (diff-seed1.jsonl): "));
  CHECK_THAT(out, Catch::Contains("  found    (diff-seed2.jsonl): "));
  CHECK_THAT(out, Catch::Contains("  differs in: "));
}

TEST_CASE("kvsim diff refuses a file that is not a trace, naming the line") {
  std::ofstream("diff-bad.jsonl") << "{\"t\":0,\"component\":\"user\",\"kind\":\"Pod\",\"name\":\"a\",\"change\":\"created\"}\n"
                                     "{\"t\":1,\"component\":\"user\"}\n";
  int status = -1;
  auto out = run("diff diff-bad.jsonl diff-bad.jsonl", "", &status);
  CHECK(status == 2);
  CHECK(out == "error: diff-bad.jsonl:2: not a kvsim trace record: missing \"kind\"\n");
  out = run("diff diff-missing.jsonl diff-bad.jsonl", "", &status);
  CHECK(status == 2);
  CHECK(out == "error: diff-missing.jsonl: No such file or directory\n");
}

TEST_CASE("kvsim run --check-invariants reports that every invariant held") {
  int status = -1;
  auto out = run("run default --quiet --check-invariants", "", &status);
  INFO(out);
  CHECK(status == 0);
  CHECK_THAT(out, Catch::Contains("  PASS  every invariant held on every step\n4 passed, 0 failed\n"));
}

TEST_CASE("a scenario's expectations are lab checks: a count that falls short says what it found") {
  std::ifstream in(std::string(kvsim::build_paths::source_dir()) + "/scenarios/default.yaml");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  const std::string anchor = "expect:\n";
  text.insert(text.find(anchor) + anchor.size(),
              "- name: two VMIs run\n  count: vmis\n  where: {status.phase: Running}\n  equals: 2\n  by: 30s\n");
  // Written in a folder of their own: a run from the source tree must not leave them there.
  char dir_template[] = "/tmp/kvsim-expectations-XXXXXX";
  REQUIRE(mkdtemp(dir_template));
  const std::string dir = dir_template;
  std::ofstream(dir + "/count-expectation.yaml") << text;
  int status = -1;
  auto out = run_in(dir, "run count-expectation.yaml --quiet", "", &status);
  INFO(out);
  CHECK(status == 1);
  CHECK_THAT(out, Catch::Contains("  FAIL  two VMIs run (by 30s): expected 2 VMIs with status.phase Running; found 1: vm1\n"));
  CHECK_THAT(out, Catch::Contains("  PASS  the new VMI is Running again (at 73.900s)\n"));
  std::ofstream(dir + "/within-expectation.yaml") << "name: x\nplatform: {nodes: [{name: w, role: worker, cpu: 4, memory: 8Gi}]}\n"
                                              "expect:\n- name: n\n  object: vmi/a\n  phase: Running\n  within: 5s\n  by: 10s\n";
  out = run_in(dir, "run within-expectation.yaml", "", &status);
  CHECK(status == 1);
  CHECK(out == "within-expectation.yaml:7:11: expect[0].within: not valid in a scenario: use after and by\n");
  std::filesystem::remove_all(dir);
}
