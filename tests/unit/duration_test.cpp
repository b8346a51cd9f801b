#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <utility>

#include "models/duration.hpp"

using kvsim::models::format_seconds;
using kvsim::models::human_duration;
using kvsim::models::parse_duration;

namespace {

double seconds(std::string_view text) {
  auto d = parse_duration(text);
  INFO("duration text: " << text);
  REQUIRE(d.has_value());
  return *d;
}

}  // namespace

TEST_CASE("durations with a single unit parse to seconds") {
  CHECK(seconds("250ms") == 0.25);
  CHECK(seconds("30s") == 30);
  CHECK(seconds("5m") == 300);
  CHECK(seconds("2h") == 7200);
  CHECK(seconds("1ns") == 1e-9);
  CHECK(seconds("1500us") == 0.0015);
  CHECK(seconds("3\xC2\xB5s") == 3e-6);  // micro sign
  CHECK(seconds("3\xCE\xBCs") == 3e-6);  // Greek mu
}

TEST_CASE("durations with several components add up") {
  CHECK(seconds("1h30m") == 5400);
  CHECK(seconds("1h0m0s") == 3600);
  CHECK(seconds("2h45m30s") == 9930);
  CHECK(seconds("1m30s500ms") == 90.5);
  CHECK(seconds("1s1s") == 2);
}

TEST_CASE("fractional durations parse exactly to the nanosecond") {
  CHECK(seconds("1.5s") == 1.5);
  CHECK(seconds(".5s") == 0.5);
  CHECK(seconds("5.s") == 5);
  CHECK(seconds("1.5h") == 5400);
  CHECK(seconds("0.1s") == 0.1);
  CHECK(seconds("1.000000001s") == 1.000000001);
}

TEST_CASE("a bare zero is a zero duration but other bare numbers are not") {
  CHECK(seconds("0") == 0);
  CHECK(seconds("0s") == 0);
  CHECK(seconds("+0") == 0);
  CHECK(seconds("-0s") == 0);
  CHECK_FALSE(parse_duration("5").has_value());
  CHECK_FALSE(parse_duration("00").has_value());
  CHECK_FALSE(parse_duration("1.5").has_value());
}

TEST_CASE("negative durations are refused") {
  CHECK_FALSE(parse_duration("-3s").has_value());
  CHECK_FALSE(parse_duration("-1h30m").has_value());
  CHECK(seconds("+3s") == 3);
}

TEST_CASE("text that is not a duration does not parse") {
  for (const char* bad : {"abc", "", "s", ".s", ".", "-", "+", "1d", "1 s", " 1s", "1s ", "1sm", "3s-", "1e3s",
                          "1S", "h1", "1..5s", "1h 30m", "ms"}) {
    INFO("duration text: '" << bad << "'");
    CHECK_FALSE(parse_duration(bad).has_value());
  }
}

TEST_CASE("durations beyond Go's int64 nanoseconds are refused") {
  CHECK(seconds("2562047h") == 2562047.0 * 3600);
  CHECK_FALSE(parse_duration("2562048h").has_value());
  CHECK_FALSE(parse_duration("99999999999999999999s").has_value());
}

TEST_CASE("human_duration matches kubectl's age at every boundary") {
  const std::pair<double, const char*> cases[] = {
      {0, "0s"},           {59, "59s"},          {119, "119s"},         {120, "2m"},
      {200, "3m20s"},      {300, "5m"},          {599, "9m59s"},        {600, "10m"},
      {3599, "59m"},       {10799, "179m"},      {10800, "3h"},         {11100, "3h5m"},
      {28799, "7h59m"},    {28800, "8h"},        {172799, "47h"},       {172800, "2d"},
      {187200, "2d4h"},    {691199, "7d23h"},    {691200, "8d"},        {63071999, "729d"},
      {63072000, "2y"},    {104976000, "3y120d"}, {252287999, "7y364d"}, {252288000, "8y"},
      {315360000, "10y"},
  };
  for (const auto& [secs, want] : cases) {
    INFO("seconds: " << secs);
    CHECK(human_duration(secs) == want);
  }
}

TEST_CASE("human_duration truncates fractional seconds") {
  CHECK(human_duration(59.9) == "59s");
  CHECK(human_duration(119.999) == "119s");
  CHECK(human_duration(0.5) == "0s");
}

TEST_CASE("human_duration prints negative or meaningless input as 0s") {
  CHECK(human_duration(-1) == "0s");
  CHECK(human_duration(-5000) == "0s");
  CHECK(human_duration(std::nan("")) == "0s");
  CHECK(human_duration(std::numeric_limits<double>::infinity()) == "291y");
}

TEST_CASE("format_seconds writes a compact exact form") {
  CHECK(format_seconds(0) == "0s");
  CHECK(format_seconds(1.5) == "1.5s");
  CHECK(format_seconds(90) == "90s");
  CHECK(format_seconds(0.25) == "250ms");
  CHECK(format_seconds(0.001) == "1ms");
  CHECK(format_seconds(0.0005) == "0.0005s");
  CHECK(format_seconds(1e-7) == "0.0000001s");
  CHECK(format_seconds(3600) == "3600s");
  CHECK(format_seconds(1.25) == "1.25s");
}

TEST_CASE("format_seconds output parses back to the same value") {
  for (double s : {0.0, 0.25, 0.001, 0.1, 1.5, 90.0, 5400.0, 0.0005, 12.345, 1e-9}) {
    INFO("seconds: " << s);
    auto back = parse_duration(format_seconds(s));
    REQUIRE(back.has_value());
    CHECK(*back == s);
  }
}

TEST_CASE("go_duration_string writes Go's time.Duration String, as kubectl and kubelet print durations") {
  using kvsim::models::go_duration_string;
  CHECK(go_duration_string(0) == "0s");
  CHECK(go_duration_string(0.000000512) == "512ns");
  CHECK(go_duration_string(0.0000015) == "1.5\u00b5s");
  CHECK(go_duration_string(0.512) == "512ms");
  CHECK(go_duration_string(0.0105) == "10.5ms");
  CHECK(go_duration_string(1.5) == "1.5s");
  CHECK(go_duration_string(30) == "30s");
  CHECK(go_duration_string(90) == "1m30s");
  CHECK(go_duration_string(61.25) == "1m1.25s");
  CHECK(go_duration_string(3600) == "1h0m0s");
  CHECK(go_duration_string(3723) == "1h2m3s");
}
