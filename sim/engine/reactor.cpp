#include "sim/engine/reactor.hpp"

#include <simgrid/s4u.hpp>

#include <limits>

#include "sim/engine/platform.hpp"

namespace kvsim::sim::engine {

namespace sg4 = simgrid::s4u;

struct Reactor::Impl {
  sg4::SemaphorePtr wake = sg4::Semaphore::create(0);
  sg4::ActorPtr actor;
  std::uint64_t generation = 0;  // bumps when the actor is lost
};

Reactor::Reactor(std::string name, std::string host)
    : name_(std::move(name)), host_(std::move(host)), impl_(std::make_unique<Impl>()) {}

Reactor::~Reactor() = default;

void Reactor::post(double delay, std::function<void()> fn) {
  const double due = sg4::Engine::get_clock() + (delay > 0 ? delay : 0);
  queue_.push(Item{due, seq_++, std::move(fn)});
  if (running_ && waiting_ && due < wake_at_) {
    waiting_ = false;
    impl_->wake->release();
  }
}

void Reactor::start() {
  if (running_) return;
  running_ = true;
  waiting_ = false;
  impl_->wake = sg4::Semaphore::create(0);
  const auto generation = ++impl_->generation;
  impl_->actor = sg4::Actor::create(name_, host_of(host_), [this, generation] {
    sg4::this_actor::on_exit([this, generation](bool) {
      if (impl_->generation == generation) running_ = false;
    });
    loop();
  });
}

void Reactor::lost() {
  running_ = false;
  waiting_ = false;
  ++impl_->generation;
  queue_ = {};
}

void Reactor::loop() {
  while (running_) {
    const double t = sg4::Engine::get_clock();
    // Within SimGrid's timing precision an item is due: a timeout shorter than
    // that returns without the clock moving (e.g. due 0.05+0.05 at a clock of
    // 0.09+0.01), and waiting for it again would never end.
    if (!queue_.empty() && queue_.top().due <= t + kTimingPrecision) {
      auto fn = std::move(const_cast<Item&>(queue_.top()).fn);
      queue_.pop();
      fn();
      continue;
    }
    waiting_ = true;
    if (queue_.empty()) {
      wake_at_ = std::numeric_limits<double>::infinity();
      impl_->wake->acquire();
    } else {
      wake_at_ = queue_.top().due;
      impl_->wake->acquire_timeout(wake_at_ - t);
    }
    waiting_ = false;
  }
}

}  // namespace kvsim::sim::engine
