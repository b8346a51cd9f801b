#pragma once
// Kubernetes resource quantities ("500m", "128Mi", "1.5Gi", "2", "1e3").
// Stored exactly as milli-units so comparisons and sums never round.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kvsim::models {

class Quantity {
 public:
  Quantity() = default;

  // Parses the Kubernetes quantity grammar: a signed decimal number, then an
  // optional suffix: binary (Ki Mi Gi Ti Pi Ei), decimal (m k M G T P E) or a
  // decimal exponent (e3, E-2). Returns nullopt when the text is not a quantity
  // or the value does not fit in 64-bit milli-units.
  static std::optional<Quantity> parse(std::string_view text);
  static Quantity from_milli(std::int64_t milli);
  static Quantity from_units(std::int64_t units);

  std::int64_t milli() const { return milli_; }
  // The value rounded up to whole units (as the scheduler counts memory bytes).
  std::int64_t units_ceil() const;
  // The text as written by the user when parsed; otherwise a canonical form
  // (the largest exact binary suffix for whole values >= 1Ki that are multiples
  // of 1024, "m" for fractional values, plain digits otherwise).
  const std::string& text() const { return text_; }

  bool is_zero() const { return milli_ == 0; }
  friend bool operator==(const Quantity& a, const Quantity& b) { return a.milli_ == b.milli_; }
  friend auto operator<=>(const Quantity& a, const Quantity& b) { return a.milli_ <=> b.milli_; }
  Quantity& operator+=(const Quantity& o);
  Quantity& operator-=(const Quantity& o);

 private:
  std::int64_t milli_ = 0;
  std::string text_ = "0";
};

}  // namespace kvsim::models
