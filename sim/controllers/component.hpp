#pragma once
// What every control loop shares: the API store, the timing profile, the RNG,
// and its own reactor (an actor on its host). Watches are delivered after the
// profile's watch latency; work is keyed "namespace/name" and deduplicated,
// so a reconcile always reads the latest state (level-triggered).
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "sim/api/store.hpp"
#include "sim/engine/profile.hpp"
#include "sim/engine/reactor.hpp"

namespace kvsim::sim::controllers {

struct Context {
  api::Store& store;
  const engine::TimingProfile& profile;
  engine::Rng& rng;
};

class Component {
 public:
  Component(Context& ctx, std::string name, std::string host);
  virtual ~Component() = default;
  Component(const Component&) = delete;
  Component& operator=(const Component&) = delete;

  engine::Reactor& reactor() { return reactor_; }
  const std::string& component_name() const { return reactor_.name(); }
  // Called when the component (re)starts on its host: register watches, resync.
  virtual void start() { reactor_.start(); }
  // The host went down: the actor, its queued keys and its workers' in-flight syncs are gone.
  void lose_work();

 protected:
  // Watches with the profile's latency; the handler runs on this reactor.
  int watch(api::WatchFilter filter, std::function<void(const api::WatchEvent&)> handler);
  // Queues `key` for reconcile after `delay` (deduplicated while queued).
  void enqueue(const std::string& key, double delay = 0);
  // Looks at `key` again in `delay` (a minReadySeconds or deadline check),
  // keeping only the earliest pending look per key, as AddAfter does.
  void requeue_after(const std::string& key, double delay);
  virtual void reconcile(const std::string& /*key*/) {}
  // client-go workers: keys starting with `prefix` are reconciled by at most `workers` at once,
  // each key by one worker at a time. A reconcile occupies its worker for the time it charges
  // with hold() (its requests' round trips, a rate limiter's wait). Keys of no pool take no time.
  // Declare pools in the constructor: a worker's release finds its pool by index.
  void add_worker_pool(const std::string& prefix, int workers);
  // Charges the running reconcile's worker `seconds` more.
  void hold(double seconds) { held_ += seconds; }
  // The running reconcile stopped short (a rate limiter's wait): its worker runs the key again
  // as soon as the hold ends, as a blocked client call would resume.
  void resume_after_hold() { resume_ = true; }
  api::Cause cause(std::string change, std::string reason = {}) const {
    return api::Cause{component_name(), std::move(change), std::move(reason)};
  }
  // Records a core/v1 Event from this component.
  void event(const models::Object& involved, const char* type, const std::string& reason, const std::string& message) {
    ctx_.store.record_event(involved, type, reason, message, component_name());
  }

  Context& ctx_;
  engine::Reactor reactor_;

 private:
  struct WorkerPool {
    std::string prefix;
    int workers = 0;
    int busy = 0;
    std::deque<std::string> ready;      // due keys, in order, waiting for a worker
    // Membership only, never walked: hashed, as a controller's queue holds up to one key per
    // object of its kind (100,000 VMIs), and ordered sets of "default/vm-..." keys spent their
    // time comparing the shared prefix.
    std::unordered_set<std::string> waiting;     // the keys in `ready`
    std::unordered_set<std::string> processing;  // keys a worker holds
    std::unordered_set<std::string> dirty;       // added again while processing: run once released
  };
  WorkerPool* pool_of(const std::string& key);
  void dispatch(WorkerPool& pool);
  void run_on_worker(WorkerPool& pool, const std::string& key);

  std::unordered_set<std::string> queued_;
  std::unordered_map<std::string, double> requeue_due_;  // key -> when its pending look is due
  std::vector<WorkerPool> pools_;
  std::uint64_t pool_generation_ = 0;  // bumps when the host goes down: in-flight releases are void
  double held_ = 0;
  bool resume_ = false;
};

std::string key_of(const models::Object& o);
std::pair<std::string, std::string> split_key(const std::string& key);

}  // namespace kvsim::sim::controllers
