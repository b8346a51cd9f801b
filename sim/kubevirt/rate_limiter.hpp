#pragma once
// client-go's token bucket (QPS, burst): each API write takes a token.
#include <algorithm>

namespace kvsim::sim::kubevirt {

class RateLimiter {
 public:
  RateLimiter(double qps, double burst) : qps_(qps), burst_(burst), tokens_(burst) {}
  // Takes n tokens if available now; else returns the wait (seconds) until they are.
  double take(double now, int n) {
    tokens_ = std::min(burst_, tokens_ + (now - last_) * qps_);
    last_ = now;
    if (tokens_ >= n) {
      tokens_ -= n;
      return 0;
    }
    return (n - tokens_) / qps_;
  }

 private:
  double qps_, burst_, tokens_, last_ = 0;
};

}  // namespace kvsim::sim::kubevirt
