#pragma once
// A component's execution context: one SimGrid actor on its host with a
// timed work queue. Watch deliveries, requeues and timers are all posted here;
// the actor sleeps until the earliest is due. Items due at the same instant
// run in posting order, so runs are deterministic.
#include <functional>
#include <memory>
#include <queue>
#include <string>
#include <vector>

namespace kvsim::sim::engine {

class Reactor {
 public:
  Reactor(std::string name, std::string host);
  ~Reactor();
  Reactor(const Reactor&) = delete;
  Reactor& operator=(const Reactor&) = delete;

  const std::string& name() const { return name_; }
  const std::string& host() const { return host_; }

  // Runs `fn` on this reactor `delay` seconds from now. Callable from any
  // actor and from main between steps.
  void post(double delay, std::function<void()> fn);

  // Starts the actor (the host must be on). Pending work is kept.
  void start();
  // The host went down: the actor is gone and so is its in-memory work.
  void lost();
  bool running() const { return running_; }
  std::size_t pending() const { return queue_.size(); }

 private:
  struct Item {
    double due;
    std::uint64_t seq;
    std::function<void()> fn;
  };
  struct Later {
    bool operator()(const Item& a, const Item& b) const { return a.due != b.due ? a.due > b.due : a.seq > b.seq; }
  };
  struct Impl;

  void loop();

  std::string name_, host_;
  std::priority_queue<Item, std::vector<Item>, Later> queue_;
  std::uint64_t seq_ = 0;
  bool running_ = false;
  bool waiting_ = false;
  double wake_at_ = 0;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kvsim::sim::engine
