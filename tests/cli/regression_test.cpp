// `kvsim diff` and `kvsim run --check-invariants`, end to end.
#include <catch2/catch.hpp>

#include <fstream>
#include <string>

#include "run_binary.hpp"

using kvsim::testing::run;

TEST_CASE("kvsim diff names the first record where two seeds part ways, and agrees with itself") {
  const std::string scenario = std::string(KVSIM_SOURCE_DIR) + "/scenarios/default.yaml";
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
