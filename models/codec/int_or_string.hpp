#pragma once
// intstr.IntOrString: maxSurge: 1 or maxSurge: "25%".
#include <cstdint>
#include <optional>
#include <string>

namespace kvsim::models {

struct IntOrString {
  bool is_string = false;
  std::int64_t int_value = 0;
  std::string str_value;

  static IntOrString of(std::int64_t v) { return {false, v, {}}; }
  static IntOrString of(std::string s) { return {true, 0, std::move(s)}; }
  // Resolves a percentage against a total, rounding up or down as asked;
  // nullopt when the string is not "<n>%".
  std::optional<std::int64_t> scaled(std::int64_t total, bool round_up) const;
  friend bool operator==(const IntOrString&, const IntOrString&) = default;
};

}  // namespace kvsim::models
