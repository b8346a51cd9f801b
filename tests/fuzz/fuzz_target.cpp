// The libFuzzer targets, as one executable: called as kvsim_fuzz_TARGET (a link CMake makes
// beside it), it feeds TARGET's entry point (entry_points.hpp). One executable rather than one
// per target: each linked the whole sanitized simulator, 290 MB and 7 s of link, six times over.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>

#include "tests/fuzz/entry_points.hpp"

namespace {

using Entry = std::string (*)(std::string_view);
constexpr std::pair<std::string_view, Entry> kTargets[] = {
    {"manifests", kvsim::fuzz::manifests}, {"command_lines", kvsim::fuzz::command_lines},
    {"scenario", kvsim::fuzz::scenario},   {"lab", kvsim::fuzz::lab},
    {"trace", kvsim::fuzz::trace},         {"api_request", kvsim::fuzz::api_request},
};
Entry entry = nullptr;

}  // namespace

// libFuzzer calls this once, before any input, with the command line: the name it was called by
// picks the target.
extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** argv) {
  std::string_view name = (*argv)[0];
  name.remove_prefix(name.rfind('/') + 1);  // npos + 1 == 0: a bare name stays whole
  constexpr std::string_view prefix = "kvsim_fuzz_";
  if (name.starts_with(prefix)) {
    name.remove_prefix(prefix.size());
    for (const auto& [target, fn] : kTargets)
      if (target == name) entry = fn;
  }
  if (!entry) {
    std::fprintf(stderr,
                 "kvsim_fuzz: call it as kvsim_fuzz_TARGET (the links beside it), TARGET one of: manifests "
                 "command_lines scenario lab trace api_request\n");
    std::exit(2);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)entry(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
