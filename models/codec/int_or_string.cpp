#include "models/codec/int_or_string.hpp"

#include <charconv>

namespace kvsim::models {

std::optional<std::int64_t> IntOrString::scaled(std::int64_t total, bool round_up) const {
  if (!is_string) return int_value;
  if (str_value.size() < 2 || str_value.back() != '%') return std::nullopt;
  std::int64_t pct = 0;
  const char* first = str_value.data();
  const char* last = first + str_value.size() - 1;
  auto [ptr, ec] = std::from_chars(first, last, pct);
  if (ec != std::errc() || ptr != last || pct < 0) return std::nullopt;
  const std::int64_t num = pct * total;
  return round_up ? (num + 99) / 100 : num / 100;
}

}  // namespace kvsim::models
