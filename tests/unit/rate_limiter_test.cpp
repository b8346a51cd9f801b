// virt-controller's client token bucket: what paces mass VM starts (issue #7879 figures).
#include <catch2/catch.hpp>

#include "sim/kubevirt/rate_limiter.hpp"

using kvsim::sim::kubevirt::RateLimiter;

namespace {
constexpr double kPrecision = 1e-9;  // the engine's timing precision (sim/engine/clock.hpp)
}

TEST_CASE("the token bucket lets a burst through, then one request per 1/QPS") {
  RateLimiter limiter(5, 10, kPrecision);
  for (int i = 0; i < 10; ++i) CHECK(limiter.take(0, 1) == 0);
  CHECK(limiter.take(0, 1) == Approx(0.2));
  CHECK(limiter.take(0.1, 1) == Approx(0.1));
  CHECK(limiter.take(0.2, 1) == 0);
  CHECK(limiter.take(0.2, 2) == Approx(0.4));
}

TEST_CASE("a request retried exactly after the wait it was told gets its token, at any sim time") {
  // Before the tolerance, the refill computed at now + wait fell a rounding error short and the
  // caller was told to wait ~1e-16 s, forever (a mass start never finished).
  RateLimiter limiter(5, 10, kPrecision);
  double now = 0;
  for (int i = 0; i < 10; ++i) limiter.take(now, 1);
  int retries = 0;
  for (int request = 0; request < 5000; ++request) {
    double wait = limiter.take(now, 1);
    while (wait > 0) {
      REQUIRE(wait >= 1e-6);
      now += wait;
      ++retries;
      wait = limiter.take(now, 1);
    }
  }
  CHECK(retries == 5000);
  CHECK(now == Approx(1000).epsilon(1e-9));
}

TEST_CASE("a request retried up to the timing precision early is never told to wait less than it") {
  // The engine runs work due within its timing precision at once. A worker back a hair early
  // found the bucket 1e-7 tokens short, was told to wait 5e-10 s, came back at the same instant
  // to the same answer, and spun there for ever (virt-controller, 100k VMs, at 5547.5 s).
  RateLimiter limiter(200, 400, kPrecision);
  double now = 5547.0;
  for (int i = 0; i < 400; ++i) REQUIRE(limiter.take(now, 1) == 0);
  int granted = 0;
  for (int request = 0; request < 2000; ++request) {
    double wait = limiter.take(now, 2);
    int tries = 0;
    while (wait > 0) {
      REQUIRE(wait > kPrecision);
      now += wait - kPrecision;  // the reactor runs it as early as it may
      wait = limiter.take(now, 2);
      REQUIRE(++tries < 3);
    }
    ++granted;
  }
  CHECK(granted == 2000);
  CHECK(now == Approx(5547.0 + 2000 * 2 / 200.0).epsilon(1e-6));
}
