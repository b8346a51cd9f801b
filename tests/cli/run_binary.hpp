#pragma once
// Runs the kvsim binary as a user would, with stdin from a string; returns
// what it printed (stdout and stderr) and its exit status.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <string>
#include "tests/test_paths.hpp"

namespace kvsim::testing {

// Runs a shell command line (sh -c); returns its stdout and stderr together.
inline std::string run_shell(const std::string& command, int* status = nullptr) {
  std::string out;
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  REQUIRE(p);
  std::array<char, 4096> buf{};
  while (auto n = fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  const int rc = pclose(p);
  if (status) *status = WEXITSTATUS(rc);
  return out;
}

// `dir`, when given, is the working directory (labs resolve labs/ from the source tree).
inline std::string run_in(const std::string& dir, const std::string& args, const std::string& input,
                          int* status = nullptr) {
  // Each run its own input file: ctest runs these tests in parallel.
  char in_path[] = "/tmp/kvsim-cli-input-XXXXXX";
  const int fd = mkstemp(in_path);
  REQUIRE(fd >= 0);
  close(fd);
  std::ofstream(in_path) << input;
  const std::string cd = dir.empty() ? std::string() : "cd '" + dir + "' && ";
  const std::string out = run_shell(cd + std::string(kvsim::test_paths::kvsim_binary()) + " " + args + " < " + in_path, status);
  std::remove(in_path);
  return out;
}

inline std::string run(const std::string& args, const std::string& input, int* status = nullptr) {
  return run_in({}, args, input, status);
}

}  // namespace kvsim::testing
