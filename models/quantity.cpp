// Quantities are kept as an exact integer count of milli-units. Parsing never goes
// through double: "0.1" or "1.1Gi" must compare equal to the sum of their parts,
// and a float would make requests and capacity disagree by a byte.
#include "models/quantity.hpp"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace kvsim::models {
namespace {

constexpr std::uint64_t kMaxPositive = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
constexpr std::uint64_t kMaxNegative = kMaxPositive + 1;  // |INT64_MIN|

// Decimal exponents beyond this are either zero-ish or overflow for any non-zero
// mantissa; capping keeps the digit arithmetic below small and avoids int overflow.
constexpr long long kExponentCap = 100000;

struct Suffix {
  long long pow10 = 0;
  int pow2 = 0;
};

std::optional<Suffix> parse_suffix(std::string_view s) {
  if (s.empty()) return Suffix{};
  if (s.size() == 2 && s[1] == 'i') {
    constexpr std::string_view kBinary = "KMGTPE";
    std::size_t idx = kBinary.find(s[0]);
    if (idx == std::string_view::npos) return std::nullopt;
    return Suffix{0, 10 * static_cast<int>(idx + 1)};
  }
  if (s.size() == 1) {
    switch (s[0]) {
      case 'm': return Suffix{-3, 0};
      case 'k': return Suffix{3, 0};
      case 'M': return Suffix{6, 0};
      case 'G': return Suffix{9, 0};
      case 'T': return Suffix{12, 0};
      case 'P': return Suffix{15, 0};
      case 'E': return Suffix{18, 0};  // a lone "E" is exa; "E2" is an exponent
      default: return std::nullopt;
    }
  }
  if (s[0] != 'e' && s[0] != 'E') return std::nullopt;
  std::size_t i = 1;
  bool neg = false;
  if (s[i] == '+' || s[i] == '-') neg = s[i++] == '-';
  if (i == s.size()) return std::nullopt;
  long long exp = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    if (exp < kExponentCap) exp = exp * 10 + (s[i] - '0');
  }
  return Suffix{neg ? -exp : exp, 0};
}

// Parses a run of at most 19 decimal digits (always fits in uint64).
std::uint64_t to_u64(std::string_view digits) {
  std::uint64_t v = 0;
  for (char c : digits) v = v * 10 + static_cast<std::uint64_t>(c - '0');
  return v;
}

std::string canonical_text(std::int64_t milli) {
  if (milli % 1000 != 0) return std::to_string(milli) + "m";
  std::int64_t units = milli / 1000;
  // |units| <= 2^63/1000, so negating cannot overflow here.
  std::uint64_t mag = static_cast<std::uint64_t>(units < 0 ? -units : units);
  const char* suffix = "";
  constexpr const char* kBinary[] = {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
  for (const char* s : kBinary) {
    if (mag < 1024 || mag % 1024 != 0) break;
    mag /= 1024;
    suffix = s;
  }
  return (units < 0 ? "-" : "") + std::to_string(mag) + suffix;
}

std::int64_t saturate(std::int64_t a, std::int64_t b, bool subtract) {
  std::int64_t out = 0;
  bool overflow = subtract ? __builtin_sub_overflow(a, b, &out) : __builtin_add_overflow(a, b, &out);
  if (!overflow) return out;
  // Overflow direction follows the sign of the operand being added.
  bool up = subtract ? b < 0 : b > 0;
  return up ? std::numeric_limits<std::int64_t>::max() : std::numeric_limits<std::int64_t>::min();
}

}  // namespace

std::optional<Quantity> Quantity::parse(std::string_view text) {
  std::size_t i = 0;
  bool neg = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) neg = text[i++] == '-';
  std::string digits;  // integer and fraction digits, the point removed
  long long frac_len = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') digits += text[i++];
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      digits += text[i++];
      ++frac_len;
    }
  }
  if (digits.empty()) return std::nullopt;  // "", "Mi", ".", "-"
  auto suffix = parse_suffix(text.substr(i));
  if (!suffix) return std::nullopt;

  Quantity q;
  q.text_ = std::string(text);
  // value in milli = digits * 10^scale * 2^pow2
  long long scale = suffix->pow10 + 3 - frac_len;
  std::size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) return q;  // any spelling of zero, e.g. "-0.0e99"
  digits.erase(0, first);
  while (digits.back() == '0') {
    digits.pop_back();
    ++scale;
  }
  const int pow2 = suffix->pow2;
  const std::uint64_t limit = neg ? kMaxNegative : kMaxPositive;
  const long long ndigits = static_cast<long long>(digits.size());

  std::uint64_t whole = 0;   // floor(|value|) in milli-units
  bool remainder = false;    // whether |value| had a sub-milli fraction
  if (scale >= 0) {
    // digits >= 1, so more than 19 digits after scaling is >= 1e19: overflow.
    if (ndigits + scale > 19) return std::nullopt;
    whole = to_u64(digits);
    for (long long k = 0; k < scale; ++k) whole *= 10;
    if (whole > (limit >> pow2)) return std::nullopt;
    whole <<= pow2;
  } else {
    const long long k = -scale;
    std::string int_part = k < ndigits ? digits.substr(0, static_cast<std::size_t>(ndigits - k)) : "";
    if (int_part.size() > 19) return std::nullopt;
    whole = to_u64(int_part);
    if (whole > (limit >> pow2)) return std::nullopt;
    whole <<= pow2;
    remainder = true;
    // With more than 20 leading zeros the fraction times 2^60 is still below 1,
    // so it only contributes the rounding; skip the (possibly huge) digit string.
    if (k - ndigits <= 20) {
      std::vector<int> frac;
      for (long long z = 0; z < k - ndigits; ++z) frac.push_back(0);
      for (std::size_t d = int_part.size(); d < digits.size(); ++d) frac.push_back(digits[d] - '0');
      // Multiply the fraction by 2^pow2 one doubling at a time; what carries out
      // of the leading digit is whole milli-units.
      std::uint64_t carried = 0;
      for (int b = 0; b < pow2; ++b) {
        int carry = 0;
        for (auto it = frac.rbegin(); it != frac.rend(); ++it) {
          int v = *it * 2 + carry;
          *it = v % 10;
          carry = v / 10;
        }
        carried = carried * 2 + static_cast<std::uint64_t>(carry);
      }
      remainder = false;
      for (int d : frac) remainder = remainder || d != 0;
      if (carried > limit - whole) return std::nullopt;
      whole += carried;
    }
  }
  // Like upstream's MilliValue(), a sub-milli remainder rounds towards +infinity.
  if (neg) {
    q.milli_ = whole == kMaxNegative ? std::numeric_limits<std::int64_t>::min()
                                     : -static_cast<std::int64_t>(whole);
  } else {
    if (remainder) {
      if (whole == kMaxPositive) return std::nullopt;
      ++whole;
    }
    q.milli_ = static_cast<std::int64_t>(whole);
  }
  return q;
}

Quantity Quantity::from_milli(std::int64_t milli) {
  Quantity q;
  q.milli_ = milli;
  q.text_ = canonical_text(milli);
  return q;
}

Quantity Quantity::from_units(std::int64_t units) {
  std::int64_t milli = 0;
  if (__builtin_mul_overflow(units, std::int64_t{1000}, &milli)) {
    milli = units > 0 ? std::numeric_limits<std::int64_t>::max() : std::numeric_limits<std::int64_t>::min();
  }
  return from_milli(milli);
}

std::int64_t Quantity::units_ceil() const {
  std::int64_t units = milli_ / 1000;  // truncates towards zero
  if (milli_ % 1000 > 0) ++units;
  return units;
}

Quantity& Quantity::operator+=(const Quantity& o) {
  // resource.Quantity.Add: a zero quantity takes the other's format, so 0 + 50M reads 50M.
  if (milli_ == 0) return *this = o;
  milli_ = saturate(milli_, o.milli_, false);
  text_ = canonical_text(milli_);
  return *this;
}

Quantity& Quantity::operator-=(const Quantity& o) {
  milli_ = saturate(milli_, o.milli_, true);
  text_ = canonical_text(milli_);
  return *this;
}

}  // namespace kvsim::models
