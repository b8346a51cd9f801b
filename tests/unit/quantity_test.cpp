#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "models/quantity.hpp"

using kvsim::models::Quantity;

namespace {

// The milli-units of a quantity that must parse; fails the test otherwise.
std::int64_t milli(std::string_view text) {
  auto q = Quantity::parse(text);
  INFO("quantity text: " << text);
  REQUIRE(q.has_value());
  return q->milli();
}

constexpr std::int64_t kKi = 1024;

}  // namespace

TEST_CASE("a plain integer quantity is that many whole units") {
  CHECK(milli("0") == 0);
  CHECK(milli("1") == 1000);
  CHECK(milli("2") == 2000);
  CHECK(milli("+2") == 2000);
  CHECK(milli("-3") == -3000);
  CHECK(milli("007") == 7000);
}

TEST_CASE("the m suffix counts milli-units") {
  CHECK(milli("500m") == 500);
  CHECK(milli("1m") == 1);
  CHECK(milli("1500m") == 1500);
  CHECK(milli("-250m") == -250);
}

TEST_CASE("binary suffixes multiply by powers of 1024") {
  CHECK(milli("1Ki") == kKi * 1000);
  CHECK(milli("128Mi") == 128 * kKi * kKi * 1000);
  CHECK(milli("1Gi") == kKi * kKi * kKi * 1000);
  CHECK(milli("1Ti") == kKi * kKi * kKi * kKi * 1000);
  CHECK(milli("1Pi") == kKi * kKi * kKi * kKi * kKi * 1000);
  // 1Ei is 2^60 units: too big for 64-bit milli-units, but a thousandth of it fits.
  CHECK(milli("0.001Ei") == std::int64_t{1} << 60);
}

TEST_CASE("decimal suffixes multiply by powers of 1000") {
  CHECK(milli("1k") == 1'000'000);
  CHECK(milli("1M") == 1'000'000'000);
  CHECK(milli("1G") == 1'000'000'000'000);
  CHECK(milli("1T") == 1'000'000'000'000'000);
  CHECK(milli("1P") == 1'000'000'000'000'000'000);
  CHECK(milli("0.001E") == 1'000'000'000'000'000'000);
}

TEST_CASE("a decimal exponent scales the number") {
  CHECK(milli("1e3") == 1'000'000);
  CHECK(milli("1E3") == 1'000'000);
  CHECK(milli("12e+2") == 1'200'000);
  CHECK(milli("1e-3") == 1);
  CHECK(milli("1.5e1") == 15'000);
  CHECK(milli("5E-2") == 50);
  CHECK(milli("0e999") == 0);
}

TEST_CASE("a lone E is the exa suffix while E followed by digits is an exponent") {
  CHECK(milli("0.001E") == 1'000'000'000'000'000'000);
  CHECK(milli("2E2") == 200'000);
  CHECK_FALSE(Quantity::parse("1E").has_value());  // 1e18 units overflows milli-units
}

TEST_CASE("fractional quantities are stored exactly") {
  CHECK(milli("1.5Gi") == 3 * kKi * kKi * kKi * 1000 / 2);
  CHECK(milli("0.5") == 500);
  CHECK(milli(".5") == 500);
  CHECK(milli("5.") == 5000);
  CHECK(milli("-1.5") == -1500);
  CHECK(milli("0.1Ki") == 102'400);
  CHECK(milli("0.0009765625Ki") == 1000);  // exactly 1 unit
  CHECK(milli("2.500k") == 2'500'000);
}

TEST_CASE("precision below a milli-unit rounds up like upstream MilliValue") {
  CHECK(milli("0.0001") == 1);
  CHECK(milli("0.0001Ki") == 103);  // 102.4m
  CHECK(milli("1.0001") == 1001);
  CHECK(milli("-0.0001") == 0);
  CHECK(milli("-1.0001") == -1000);
  CHECK(milli("1e-100") == 1);
}

TEST_CASE("text that is not a quantity does not parse") {
  for (const char* bad : {"12Q", "", "Mi", "1.2.3", ".", "-", "+", "1e", "1e+", "1E-", "1ki", "1KI", "1 Gi",
                          " 1", "1Gi ", "1.5.Gi", "1Kib", "e3", "1e3.5", "1mm", "--1", "1,5", "0x10", "Ki1"}) {
    INFO("quantity text: '" << bad << "'");
    CHECK_FALSE(Quantity::parse(bad).has_value());
  }
}

TEST_CASE("quantities beyond 64-bit milli-units are refused") {
  CHECK(milli("9223372036854775.807") == std::numeric_limits<std::int64_t>::max());
  CHECK(milli("-9223372036854775.808") == std::numeric_limits<std::int64_t>::min());
  CHECK_FALSE(Quantity::parse("9223372036854775.808").has_value());
  CHECK_FALSE(Quantity::parse("9223372036854775807").has_value());
  CHECK_FALSE(Quantity::parse("1Ei").has_value());
  CHECK_FALSE(Quantity::parse("9000Pi").has_value());
  CHECK_FALSE(Quantity::parse("1e100").has_value());
  CHECK_FALSE(Quantity::parse("100000000000000000000000m").has_value());
}

TEST_CASE("a parsed quantity keeps the text the user wrote") {
  CHECK(Quantity::parse("128Mi")->text() == "128Mi");
  CHECK(Quantity::parse("0.5")->text() == "0.5");
  CHECK(Quantity::parse("1e3")->text() == "1e3");
}

TEST_CASE("a built quantity gets a canonical text") {
  CHECK(Quantity().text() == "0");
  CHECK(Quantity().is_zero());
  CHECK(Quantity::from_units(0).text() == "0");
  CHECK(Quantity::from_units(1024).text() == "1Ki");
  CHECK(Quantity::from_units(3 * kKi * kKi * kKi).text() == "3Gi");
  CHECK(Quantity::from_units(1536 * kKi).text() == "1536Ki");
  CHECK(Quantity::from_units(1536).text() == "1536");
  CHECK(Quantity::from_units(1023).text() == "1023");
  CHECK(Quantity::from_units(1000).text() == "1000");
  CHECK(Quantity::from_units(-2048).text() == "-2Ki");
  CHECK(Quantity::from_units(kKi * kKi * kKi * kKi * kKi).text() == "1Pi");
  CHECK(Quantity::from_milli(500).text() == "500m");
  CHECK(Quantity::from_milli(1500).text() == "1500m");
  CHECK(Quantity::from_milli(2000).text() == "2");
  CHECK(Quantity::from_milli(-1).text() == "-1m");
}

TEST_CASE("canonical text parses back to the same quantity") {
  for (std::int64_t m : {std::int64_t{0}, std::int64_t{1}, std::int64_t{-999}, std::int64_t{1024000},
                         std::int64_t{5} << 40, std::int64_t{123456789}}) {
    auto q = Quantity::from_milli(m);
    auto back = Quantity::parse(q.text());
    REQUIRE(back.has_value());
    CHECK(back->milli() == m);
  }
}

TEST_CASE("from_units saturates instead of overflowing") {
  CHECK(Quantity::from_units(std::numeric_limits<std::int64_t>::max()).milli() ==
        std::numeric_limits<std::int64_t>::max());
  CHECK(Quantity::from_units(std::numeric_limits<std::int64_t>::min()).milli() ==
        std::numeric_limits<std::int64_t>::min());
}

TEST_CASE("units_ceil rounds fractional units up") {
  CHECK(Quantity::from_milli(1500).units_ceil() == 2);
  CHECK(Quantity::from_milli(2000).units_ceil() == 2);
  CHECK(Quantity::from_milli(1).units_ceil() == 1);
  CHECK(Quantity::from_milli(0).units_ceil() == 0);
  CHECK(Quantity::from_milli(-1500).units_ceil() == -1);
  CHECK(Quantity::parse("1Gi")->units_ceil() == kKi * kKi * kKi);
}

TEST_CASE("quantities compare by value whatever their spelling") {
  auto q = [](std::string_view t) { return *Quantity::parse(t); };
  CHECK(q("1000m") == q("1"));
  CHECK(q("1Ki") == q("1024"));
  CHECK(q("1k") == q("1e3"));
  CHECK(q("0.5") == q("500m"));
  CHECK(q("1Gi") > q("1G"));
  CHECK(q("100m") < q("0.2"));
  CHECK(q("-1") < q("0"));
  CHECK(q("2Mi") != q("2M"));
  std::vector<Quantity> v{q("1Gi"), q("1"), q("500m"), q("1G")};
  std::sort(v.begin(), v.end());
  CHECK(v[0].text() == "500m");
  CHECK(v[1].text() == "1");
  CHECK(v[2].text() == "1G");
  CHECK(v[3].text() == "1Gi");
}

TEST_CASE("sums and differences are exact and get canonical text") {
  auto a = *Quantity::parse("1.5Gi");
  a += *Quantity::parse("512Mi");
  CHECK(a == *Quantity::parse("2Gi"));
  CHECK(a.text() == "2Gi");

  auto b = *Quantity::parse("100m");
  b += *Quantity::parse("900m");
  CHECK(b.milli() == 1000);
  CHECK(b.text() == "1");

  auto c = *Quantity::parse("1");
  c -= *Quantity::parse("1500m");
  CHECK(c.milli() == -500);
  CHECK(c.text() == "-500m");

  auto d = *Quantity::parse("2Gi");
  d -= *Quantity::parse("2Gi");
  CHECK(d.is_zero());
  CHECK(d.text() == "0");
}

TEST_CASE("sums saturate at the 64-bit limits") {
  auto big = Quantity::from_milli(std::numeric_limits<std::int64_t>::max());
  big += Quantity::from_milli(1);
  CHECK(big.milli() == std::numeric_limits<std::int64_t>::max());
  auto small = Quantity::from_milli(std::numeric_limits<std::int64_t>::min());
  small -= Quantity::from_milli(1);
  CHECK(small.milli() == std::numeric_limits<std::int64_t>::min());
  auto neg = Quantity::from_milli(std::numeric_limits<std::int64_t>::min() + 1);
  neg += Quantity::from_milli(-5);
  CHECK(neg.milli() == std::numeric_limits<std::int64_t>::min());
}
