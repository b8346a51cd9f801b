#pragma once
// client-go's token bucket (QPS, burst): each API write takes a token.
#include <algorithm>
#include <limits>

namespace kvsim::sim::kubevirt {

class RateLimiter {
 public:
  // `time_precision`: the shortest wait the caller's clock can tell from none. The engine runs
  // work due within its timing precision at once, so a shorter wait would come back at the
  // same instant to the same answer, forever (a 100k-VM run spun on one VMI at 5547.5 s).
  RateLimiter(double qps, double burst, double time_precision)
      : qps_(qps), burst_(burst), tokens_(burst), tolerance_(kEpsilon + qps * time_precision) {}
  // Takes n tokens if available now; else returns the wait (seconds) until they are, always
  // longer than the time precision.
  double take(double now, int n) {
    tokens_ = last_ == -std::numeric_limits<double>::infinity() ? burst_ : std::min(burst_, tokens_ + (now - last_) * qps_);
    last_ = now;
    // The tolerance matters: a key requeued after exactly the returned wait (or run up to the
    // time precision early) sees the refill a hair short, and without it would requeue at once.
    if (tokens_ + tolerance_ >= n) {
      tokens_ = std::max(0.0, tokens_ - n);
      return 0;
    }
    return (n - tokens_) / qps_;
  }

 private:
  static constexpr double kEpsilon = 1e-9;
  // Never taken yet: the bucket is full (sim time may be negative, during a cluster's install).
  double qps_, burst_, tokens_;
  double tolerance_;  // tokens: rounding, plus what the time precision refills
  double last_ = -std::numeric_limits<double>::infinity();
};

}  // namespace kvsim::sim::kubevirt
