// `kvsim run --trace FILE` under a failing disk: the run says so and exits 1,
// and FILE is either the previous complete trace or absent, never a truncated
// one presented as complete.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "run_binary.hpp"
#include "tests/test_paths.hpp"

using kvsim::testing::run_shell;

namespace {

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("a trace that cannot be written whole (a full disk) is an error, exit 1, and the previous trace stays") {
  const auto dir = std::filesystem::temp_directory_path() / ("kvsim-trace-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto trace = dir / "run.jsonl";
  const std::string run = std::string(kvsim::test_paths::kvsim_binary()) + " run default --quiet --trace " + trace.string();

  int status = -1;
  run_shell(run, &status);
  REQUIRE(status == 0);
  const std::string good = read_file(trace);
  REQUIRE(good.size() > 8192);

  // A 4 KiB file size limit: past it, write() fails with EFBIG as on a full disk
  // (SIGXFSZ ignored, as a shell does for its jobs).
  const auto out = run_shell("trap '' XFSZ; ulimit -f 4; " + run, &status);
  CHECK(status == 1);
  CHECK_THAT(out, Catch::Contains("error: could not write the trace to " + trace.string() + ": File too large; "
                                  "it was not written (no partial file is left)"));
  CHECK(read_file(trace) == good);
  CHECK_FALSE(std::filesystem::exists(trace.string() + ".partial"));

  // With no earlier trace, nothing is left at all.
  std::filesystem::remove(trace);
  run_shell("trap '' XFSZ; ulimit -f 4; " + run, &status);
  CHECK(status == 1);
  CHECK_FALSE(std::filesystem::exists(trace));
  CHECK_FALSE(std::filesystem::exists(trace.string() + ".partial"));
  std::filesystem::remove_all(dir);
}
