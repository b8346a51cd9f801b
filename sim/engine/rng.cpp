#include "sim/engine/rng.hpp"

#include <cstdio>

namespace kvsim::sim::engine {

std::uint64_t Rng::next() {
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t Rng::below(std::uint64_t n) {
  if (n <= 1) return 0;
  // Rejection sampling keeps the distribution exactly uniform.
  const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  std::uint64_t x;
  do x = next();
  while (x >= limit);
  return x % n;
}

double Rng::uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

std::string Rng::name_suffix() {
  static constexpr std::string_view alphabet = "bcdfghjklmnpqrstvwxz2456789";
  std::string s(5, ' ');
  for (auto& c : s) c = alphabet[below(alphabet.size())];
  return s;
}

std::string Rng::uuid() {
  const std::uint64_t a = next(), b = next();
  // A version-4 UUID's text, hex digit by hex digit (snprintf was 2% of a scale run).
  std::string out = "00000000-0000-4000-0000-000000000000";
  auto put = [&out](std::size_t at, std::uint64_t value, int digits) {
    for (int i = digits - 1; i >= 0; --i, value >>= 4) out[at + static_cast<std::size_t>(i)] = "0123456789abcdef"[value & 0xf];
  };
  put(0, a >> 32, 8);
  put(9, (a >> 16) & 0xffff, 4);
  put(15, a & 0xfff, 3);
  put(19, 0x8000 | ((b >> 48) & 0x3fff), 4);
  put(24, b & 0xffffffffffffULL, 12);
  return out;
}

}  // namespace kvsim::sim::engine
