#include "models/codec/timestamp.hpp"

#include <cmath>
#include <cstdio>

namespace kvsim::models {
namespace {

// Howard Hinnant's civil-from-days and days-from-civil, for proleptic Gregorian dates.
void civil_from_days(long long z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long long yy = static_cast<long long>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(yy + (m <= 2));
}

long long days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

}  // namespace

std::string to_rfc3339(Timestamp t) {
  // Kubernetes metav1.Time has whole-second precision on the wire.
  const long long unix = kEpochUnixSeconds + static_cast<long long>(std::floor(t.seconds));
  long long days = unix / 86400;
  long long rem = unix % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  int y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  if (y < 0 || y > 9999) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02lld:%02lld:%02lldZ", y, m, d, rem / 3600,
                  (rem / 60) % 60, rem % 60);
    return buf;
  }
  // Written digit by digit: every object's timestamps go through here, and snprintf was 3% of
  // a scale run's instructions.
  std::string out = "0000-00-00T00:00:00Z";
  auto put = [&out](std::size_t at, long long value, int width) {
    for (int i = width - 1; i >= 0; --i, value /= 10) out[at + static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
  };
  put(0, y, 4);
  put(5, m, 2);
  put(8, d, 2);
  put(11, rem / 3600, 2);
  put(14, (rem / 60) % 60, 2);
  put(17, rem % 60, 2);
  return out;
}

std::optional<Timestamp> parse_rfc3339(std::string_view text) {
  int y, mo, d, h, mi, s;
  char z = 0;
  const std::string str(text);
  if (std::sscanf(str.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &s, &z) != 7 ||
      z != 'Z' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
    return std::nullopt;
  const long long unix = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 +
                         h * 3600 + mi * 60 + s;
  return Timestamp{static_cast<double>(unix - kEpochUnixSeconds)};
}

}  // namespace kvsim::models
