// virt-controller's client token bucket: what paces mass VM starts (issue #7879 figures).
#include <catch2/catch.hpp>

#include "sim/kubevirt/rate_limiter.hpp"

using kvsim::sim::kubevirt::RateLimiter;

TEST_CASE("the token bucket lets a burst through, then one request per 1/QPS") {
  RateLimiter limiter(5, 10);
  for (int i = 0; i < 10; ++i) CHECK(limiter.take(0, 1) == 0);
  CHECK(limiter.take(0, 1) == Approx(0.2));
  CHECK(limiter.take(0.1, 1) == Approx(0.1));
  CHECK(limiter.take(0.2, 1) == 0);
  CHECK(limiter.take(0.2, 2) == Approx(0.4));
}

TEST_CASE("a request retried exactly after the wait it was told gets its token, at any sim time") {
  // Before the tolerance, the refill computed at now + wait fell a rounding error short and the
  // caller was told to wait ~1e-16 s, forever (a mass start never finished).
  RateLimiter limiter(5, 10);
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
