// Every input kept in tests/regression-inputs/TARGET/ (a fuzz finding, or an
// input that hung kvsim before) replayed through the fuzz target's own entry
// point: it returns (a hang fails through the test's CTest TIMEOUT), breaks
// no invariant (a broken one aborts), and when NAME.expected sits beside it,
// prints exactly that. api_request builds one small cluster (one SimGrid
// engine, so this stays a single TEST_CASE, one process under ctest).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "tests/fuzz/entry_points.hpp"
#include "tests/test_paths.hpp"

namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("every kept regression input is refused or read as before, without hanging or crashing", "[bad-input]") {
  const std::map<std::string, std::function<std::string(std::string_view)>> targets = {
      {"manifests", kvsim::fuzz::manifests}, {"command_lines", kvsim::fuzz::command_lines},
      {"scenario", kvsim::fuzz::scenario},   {"lab", kvsim::fuzz::lab},
      {"trace", kvsim::fuzz::trace},         {"api_request", kvsim::fuzz::api_request}};
  std::size_t replayed = 0;
  for (const auto& [target, entry] : targets) {
    const fs::path dir = fs::path(kvsim::test_paths::regression_inputs_dir()) / target;
    REQUIRE(fs::is_directory(dir));
    for (const auto& file : fs::directory_iterator(dir)) {
      if (file.path().extension() == ".expected") continue;
      INFO(file.path().string());
      const std::string out = entry(slurp(file.path()));
      ++replayed;
      const fs::path expected = file.path().string() + ".expected";
      if (!fs::exists(expected)) continue;
      std::string want = slurp(expected);
      while (!want.empty() && want.back() == '\n') want.pop_back();
      std::string got = out;
      while (!got.empty() && got.back() == '\n') got.pop_back();
      CHECK(got == want);
    }
  }
  CHECK(replayed > 0);
}
