#pragma once
// The one source of randomness: seeded, so the same seed gives the same run.
// Distributions are written here (not <random>'s) so output never depends on
// the standard library's implementation.
#include <cstdint>
#include <string>
#include <string_view>

namespace kvsim::sim::engine {

class Rng {
 public:
  explicit Rng(std::uint64_t seed = 1) : state_(seed) {}
  std::uint64_t next();                     // splitmix64
  std::uint64_t below(std::uint64_t n);     // uniform in [0, n)
  double uniform();                         // [0, 1)
  // The 5-character suffix of generateName (apiserver names.SimpleNameGenerator).
  std::string name_suffix();
  std::string uuid();                       // RFC 4122 version 4 form

 private:
  std::uint64_t state_;
};

}  // namespace kvsim::sim::engine
