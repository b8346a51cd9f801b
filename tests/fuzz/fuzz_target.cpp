// One libFuzzer target: KVSIM_FUZZ_ENTRY names its entry point (entry_points.hpp).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/fuzz/entry_points.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)KVSIM_FUZZ_ENTRY(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
