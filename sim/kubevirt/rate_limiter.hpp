#pragma once
// client-go's token bucket (QPS, burst): each API write takes a token.
#include <algorithm>
#include <limits>

namespace kvsim::sim::kubevirt {

class RateLimiter {
 public:
  RateLimiter(double qps, double burst) : qps_(qps), burst_(burst), tokens_(burst) {}
  // Takes n tokens if available now; else returns the wait (seconds) until they are.
  double take(double now, int n) {
    tokens_ = last_ == -std::numeric_limits<double>::infinity() ? burst_ : std::min(burst_, tokens_ + (now - last_) * qps_);
    last_ = now;
    // The tolerance matters: a key requeued after exactly the returned wait sees the refill
    // rounded a hair short, and without it would requeue for ~1e-16 s forever.
    if (tokens_ + kEpsilon >= n) {
      tokens_ = std::max(0.0, tokens_ - n);
      return 0;
    }
    return (n - tokens_) / qps_;
  }

 private:
  static constexpr double kEpsilon = 1e-9;
  // Never taken yet: the bucket is full (sim time may be negative, during a cluster's install).
  double qps_, burst_, tokens_, last_ = -std::numeric_limits<double>::infinity();
};

}  // namespace kvsim::sim::kubevirt
