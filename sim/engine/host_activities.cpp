#include "sim/engine/host_activities.hpp"

#include "sim/engine/platform.hpp"

#include <simgrid/Exception.hpp>
#include <simgrid/s4u.hpp>

#include <map>
#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

namespace kvsim::sim::engine {

namespace sg4 = simgrid::s4u;

namespace {

// One host's activities in flight, its timed looks, and the waiter actor serving them.
struct HostWaiter {
  sg4::Host* host = nullptr;
  std::vector<sg4::ActivityPtr> pending;
  std::vector<std::function<void(ActivityEnd)>> then;  // parallel to `pending`
  std::map<std::pair<double, std::uint64_t>, std::function<void()>> timers;  // (due, order asked)
  std::uint64_t timer_seq = 0;
  // The doorbell: a suspended execution (it uses no CPU share) the waiter waits on with the
  // rest. Cancelling it wakes the waiter at once to take new work into its wait. A mailbox
  // message would also wake it, but later: SimGrid's network model charges it the latency.
  sg4::ExecPtr bell;
  // With nothing in flight the waiter sleeps on this semaphore instead (timers only): a release
  // wakes it as soon as a cancel would, without the CancelException SimGrid throws through its
  // own frames to the waiter (about 100,000 instructions a ring, 7% of a 1k-VM run).
  sg4::SemaphorePtr idle_wake = sg4::Semaphore::create(0);
  bool idle = false;
  bool waiting = false;
  bool rung = false;
  bool quit = false;  // shutting down: leave the loop at the next wake
};

// Keyed by host only for lookup (stop_waiters' loop only flags them: pointer order reaches no
// output). Never destroyed: activities still pending at exit must not be released after
// SimGrid's engine is gone.
auto& g_waiters = *new std::unordered_map<sg4::Host*, std::unique_ptr<HostWaiter>>;
std::size_t g_created = 0;

void arm_bell(HostWaiter& w) {
  w.bell = sg4::Exec::init()->set_flops_amount(1e30)->set_host(w.host);
  w.bell->start();
  w.bell->suspend();
  w.rung = false;
}

void run_due_timers(HostWaiter& w) {
  while (!w.timers.empty() && w.timers.begin()->first.first <= sg4::Engine::get_clock() + kTimingPrecision) {
    auto fn = std::move(w.timers.begin()->second);
    w.timers.erase(w.timers.begin());
    fn();
  }
}

void wait_loop(HostWaiter& w) {
  while (!w.quit) {
    run_due_timers(w);
    if (w.quit) break;
    const double timeout =
        w.timers.empty() ? -1 : std::max(0.0, w.timers.begin()->first.first - sg4::Engine::get_clock());
    if (w.pending.empty()) {
      w.idle = true;
      w.rung = false;
      if (timeout < 0) w.idle_wake->acquire();
      else w.idle_wake->acquire_timeout(timeout);
      w.idle = false;
      w.rung = false;  // the bell's own flag: a ring while we run needs no wake
      continue;  // rung (or a spurious token of a ring that crossed a timeout): look again
    }
    if (!w.bell) arm_bell(w);
    std::vector<sg4::ActivityPtr> set = w.pending;
    set.push_back(w.bell);
    ssize_t index = -1;
    auto end = ActivityEnd::completed;
    w.waiting = true;
    try {
      index = sg4::Activity::wait_any_for(set, timeout);
    } catch (const simgrid::CancelException&) {
      index = static_cast<ssize_t>(w.pending.size());  // only the bell is ever cancelled while we wait
    } catch (const simgrid::NetworkFailureException& e) {
      index = e.get_value();
      end = ActivityEnd::failed;
    } catch (const simgrid::HostFailureException& e) {
      index = e.get_value();
      end = ActivityEnd::failed;
    }
    w.waiting = false;
    if (index < 0) continue;  // a timed look is due
    if (static_cast<std::size_t>(index) >= w.pending.size()) {
      w.bell = nullptr;  // rung: wait again with the new work
      continue;
    }
    auto then = std::move(w.then[index]);
    w.pending.erase(w.pending.begin() + index);
    w.then.erase(w.then.begin() + index);
    then(end);
  }
}

// The host's waiter, started on first use. It runs on the image registry's host, which never
// goes down, and not on the node: SimGrid 3.32 crashes when it kills an actor blocked in
// Activity::wait_any on an execution (a node turned off, the shutdown's kill_all). A node's
// activities fail when the node goes down, and the callers drop what a dead node did.
HostWaiter& waiter_of(sg4::Host* host) {
  auto& slot = g_waiters[host];
  if (slot) return *slot;
  slot = std::make_unique<HostWaiter>();
  auto& w = *slot;
  w.host = host_of(kRegistryHost);
  ++g_created;
  sg4::Actor::create("activities-" + host->get_name(), w.host, [&w] { wait_loop(w); });
  return w;
}

// Wakes a waiter blocked on an older set. Only an actor may wake it at once (a cancel from
// main would be noticed only at the next event), so main hands the ring to a tiny actor.
void ring(HostWaiter& w) {
  if (w.idle) {
    if (w.rung) return;
    w.rung = true;
    w.idle_wake->release();  // a semaphore may be released from maestro too
    return;
  }
  if (!w.waiting || w.rung) return;
  w.rung = true;
  if (!sg4::this_actor::is_maestro()) {
    w.bell->cancel();
    return;
  }
  sg4::Actor::create("bell-" + w.host->get_name(), w.host, [bell = w.bell] { bell->cancel(); });
}

}  // namespace

void when_done(sg4::Host* host, sg4::ActivityPtr activity, std::function<void(ActivityEnd)> then) {
  auto& w = waiter_of(host);
  w.pending.push_back(std::move(activity));
  w.then.push_back(std::move(then));
  ring(w);
}

void after(sg4::Host* host, double delay, std::function<void()> fn) {
  auto& w = waiter_of(host);
  const double due = sg4::Engine::get_clock() + std::max(0.0, delay);
  w.timers.emplace(std::make_pair(due, w.timer_seq++), std::move(fn));
  ring(w);
}

void stop_waiters() {
  // (Pointer-keyed, but each waiter only gets its flag and its ring: the order leaks nowhere.)
  for (auto& [host, w] : g_waiters) {
    w->quit = true;
    ring(*w);
  }
}

std::size_t waiters_created() { return g_created; }

}  // namespace kvsim::sim::engine
