// Go's time.ParseDuration and apimachinery's HumanDuration, ported step by step so
// that configs accept exactly what Kubernetes/KubeVirt YAML accepts and kvsim's
// `get` output ages read like kubectl's.
#include "models/duration.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>

namespace kvsim::models {
namespace {

constexpr std::uint64_t kMaxNanos = std::uint64_t{1} << 63;  // Go's time.Duration range

std::uint64_t unit_nanos(std::string_view u) {
  if (u == "ns") return 1;
  // Go also accepts U+00B5 (micro sign) and U+03BC (Greek mu), in UTF-8.
  if (u == "us" || u == "\xC2\xB5s" || u == "\xCE\xBCs") return 1'000;
  if (u == "ms") return 1'000'000;
  if (u == "s") return 1'000'000'000;
  if (u == "m") return 60'000'000'000;
  if (u == "h") return 3'600'000'000'000;
  return 0;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::optional<double> parse_duration(std::string_view s) {
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return 0.0;  // the only unit-less duration Go accepts
  if (s.empty()) return std::nullopt;

  // Integer nanoseconds, as Go does, so "1h30m" and "0.1s" come out exact
  // rather than accumulating float error across components.
  std::uint64_t total = 0;
  while (!s.empty()) {
    if (!(s[0] == '.' || is_digit(s[0]))) return std::nullopt;
    std::uint64_t whole = 0;
    bool pre = false;
    while (!s.empty() && is_digit(s[0])) {
      std::uint64_t d = static_cast<std::uint64_t>(s[0] - '0');
      if (whole > (kMaxNanos - d) / 10) return std::nullopt;
      whole = whole * 10 + d;
      s.remove_prefix(1);
      pre = true;
    }
    std::uint64_t frac = 0;
    double scale = 1;
    bool post = false;
    if (!s.empty() && s[0] == '.') {
      s.remove_prefix(1);
      bool saturated = false;  // digits past uint64 precision are dropped, as in Go
      while (!s.empty() && is_digit(s[0])) {
        if (!saturated && frac > (kMaxNanos - 1) / 10) saturated = true;
        if (!saturated) {
          frac = frac * 10 + static_cast<std::uint64_t>(s[0] - '0');
          scale *= 10;
        }
        s.remove_prefix(1);
        post = true;
      }
    }
    if (!pre && !post) return std::nullopt;  // "." or ".s"
    std::size_t n = 0;
    while (n < s.size() && s[n] != '.' && !is_digit(s[n])) ++n;
    if (n == 0) return std::nullopt;  // "5": a number without a unit
    std::uint64_t unit = unit_nanos(s.substr(0, n));
    if (unit == 0) return std::nullopt;
    s.remove_prefix(n);
    if (whole > kMaxNanos / unit) return std::nullopt;
    whole *= unit;
    if (frac > 0) {
      // A double is exact enough here: at most 3.6e12 ns for a fraction of an hour.
      whole += static_cast<std::uint64_t>(static_cast<double>(frac) * (static_cast<double>(unit) / scale));
      if (whole > kMaxNanos) return std::nullopt;
    }
    total += whole;
    if (total > kMaxNanos) return std::nullopt;
  }
  if (neg) {
    // Go accepts negatives; we refuse them, but "-0s" is still zero, not negative.
    if (total != 0) return std::nullopt;
    return 0.0;
  }
  if (total > kMaxNanos - 1) return std::nullopt;
  // Go's Duration.Seconds(): whole seconds and nanoseconds converted apart, so
  // long durations keep their sub-second digits (total ns exceeds 2^53).
  return static_cast<double>(total / 1'000'000'000) + static_cast<double>(total % 1'000'000'000) / 1e9;
}

std::string human_duration(double seconds) {
  // Clamp before converting: casting NaN or a huge double to an integer is UB.
  // 9.2e9 s is where Go's Duration (int64 ns) ends anyway.
  if (!(seconds >= 0)) return "0s";
  if (seconds > 9.2e9) seconds = 9.2e9;
  const long long secs = static_cast<long long>(seconds);  // truncates, like int(d.Seconds())
  auto str = [](long long v) { return std::to_string(v); };
  if (secs < 60 * 2) return str(secs) + "s";
  const long long minutes = secs / 60;
  if (minutes < 10) {
    long long s = secs % 60;
    return s == 0 ? str(minutes) + "m" : str(minutes) + "m" + str(s) + "s";
  }
  if (minutes < 60 * 3) return str(minutes) + "m";
  const long long hours = secs / 3600;
  if (hours < 8) {
    long long m = minutes % 60;
    return m == 0 ? str(hours) + "h" : str(hours) + "h" + str(m) + "m";
  }
  if (hours < 48) return str(hours) + "h";
  if (hours < 24 * 8) {
    long long h = hours % 24;
    return h == 0 ? str(hours / 24) + "d" : str(hours / 24) + "d" + str(h) + "h";
  }
  if (hours < 24 * 365 * 2) return str(hours / 24) + "d";
  if (hours < 24 * 365 * 8) {
    long long dy = (hours / 24) % 365;
    return dy == 0 ? str(hours / 24 / 365) + "y" : str(hours / 24 / 365) + "y" + str(dy) + "d";
  }
  return str(hours / 24 / 365) + "y";
}

std::string format_seconds(double seconds) {
  // Non-finite values have no duration spelling; "0s" keeps traces parseable.
  if (!std::isfinite(seconds) || seconds == 0) return "0s";
  // Sub-second values that are whole milliseconds read better as "250ms".
  if (std::fabs(seconds) < 1) {
    double ms = std::round(seconds * 1000);
    if (ms != 0 && ms / 1000 == seconds) {
      return std::to_string(static_cast<long long>(ms)) + "ms";
    }
  }
  // Shortest digits that read back as the same double, never in exponent
  // notation (Go durations have no "1e-07s").
  char buf[400];
  auto res = std::to_chars(buf, buf + sizeof buf, seconds, std::chars_format::fixed);
  return std::string(buf, res.ptr) + "s";
}

std::string go_duration_string(double seconds) {
  if (!std::isfinite(seconds) || seconds <= 0) return "0s";
  // Whole nanoseconds, as a Duration holds them; the fraction printed without trailing zeros.
  const auto ns = static_cast<std::int64_t>(std::llround(seconds * 1e9));
  auto fixed = [](std::int64_t value, std::int64_t unit) {
    std::string out = std::to_string(value / unit);
    std::string frac = std::to_string(unit + value % unit).substr(1);  // zero-padded
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    return frac.empty() ? out : out + "." + frac;
  };
  if (ns < 1000) return std::to_string(ns) + "ns";
  if (ns < 1000000) return fixed(ns, 1000) + "\u00b5s";
  if (ns < 1000000000) return fixed(ns, 1000000) + "ms";
  constexpr std::int64_t kSecond = 1000000000, kMinute = 60 * kSecond, kHour = 60 * kMinute;
  const std::string secs = fixed(ns % kMinute, kSecond) + "s";
  if (ns < kMinute) return secs;
  if (ns < kHour) return std::to_string(ns / kMinute) + "m" + secs;
  return std::to_string(ns / kHour) + "h" + std::to_string(ns % kHour / kMinute) + "m" + secs;
}

}  // namespace kvsim::models
