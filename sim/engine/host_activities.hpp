#pragma once
// Completion of asynchronous SimGrid activities (CPU executions, transfers) without an actor per
// activity. SimGrid 3.32 reports an activity's end only to an actor waiting on it, so each host
// that has activities in flight gets one long-lived waiter actor: it waits on all of them at once
// (Activity::wait_any) and runs each one's continuation when it ends. The continuation runs in
// the waiter: post to the owning reactor from it.
//
// The waiters outlive the nodes: when a node goes down its activities end as failed, and the
// continuation decides (the work of a dead node is not reported: see its callers).
#include <simgrid/forward.h>

#include <cstddef>
#include <functional>

namespace kvsim::sim::engine {

// How an activity ended: completed, or failed (a host or link on its way went down).
enum class ActivityEnd { completed, failed };

// Waits on `activity` (already started) in `host`'s waiter; `then` runs when it ends.
void when_done(simgrid::s4u::Host* host, simgrid::s4u::ActivityPtr activity,
               std::function<void(ActivityEnd)> then);

// Runs `fn` in `host`'s waiter `delay` seconds from now (a look at an activity in flight).
// Items due at the same instant run in the order they were asked for.
void after(simgrid::s4u::Host* host, double delay, std::function<void()> fn);

// Lets every waiter leave its loop (the cluster's shutdown, before it kills the remaining
// actors: SimGrid 3.32 crashes killing an actor blocked on an execution). Then run the engine
// to the current time once.
void stop_waiters();

// Waiter actors created so far (each host gets one, and a new one after it came back up).
std::size_t waiters_created();

}  // namespace kvsim::sim::engine
