#pragma once
// Sim time against wall time: the speed ladder (x0.1 ... x1000, max) and how
// far sim time moves for a slice of wall time. Pure, so it is tested alone.
#include <array>
#include <cstddef>

namespace kvsim::tui::views {

class Pacer {
 public:
  // 0 stands for "max": as fast as the machine steps the simulation.
  static constexpr std::array<double, 10> kSpeeds{0.1, 0.25, 0.5, 1, 2, 5, 10, 100, 1000, 0};
  double speed() const { return kSpeeds[index_]; }
  bool is_max() const { return speed() == 0; }
  void faster() {
    if (index_ + 1 < kSpeeds.size()) ++index_;
  }
  void slower() {
    if (index_ > 0) --index_;
  }
  bool paused() const { return paused_; }
  void toggle_pause() { paused_ = !paused_; }
  void pause() { paused_ = true; }
  // Sim seconds to advance for `wall_seconds` of wall time (0 while paused).
  // A slow frame (a long command, a stalled terminal) is not made up for:
  // the wall slice is capped so the clock never lurches forward.
  double sim_delta(double wall_seconds) const {
    if (paused_ || is_max()) return 0;
    return speed() * (wall_seconds < 0.25 ? wall_seconds : 0.25);
  }

 private:
  std::size_t index_ = 3;  // x1
  bool paused_ = false;
};

}  // namespace kvsim::tui::views
