#pragma once
// What every control loop shares: the API store, the timing profile, the RNG,
// and its own reactor (an actor on its host). Watches are delivered after the
// profile's watch latency; work is keyed "namespace/name" and deduplicated,
// so a reconcile always reads the latest state (level-triggered).
#include <functional>
#include <map>
#include <set>
#include <string>

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

 protected:
  // Watches with the profile's latency; the handler runs on this reactor.
  int watch(api::WatchFilter filter, std::function<void(const api::WatchEvent&)> handler);
  // Queues `key` for reconcile after `delay` (deduplicated while queued).
  void enqueue(const std::string& key, double delay = 0);
  // Looks at `key` again in `delay` (a minReadySeconds or deadline check),
  // keeping only the earliest pending look per key, as AddAfter does.
  void requeue_after(const std::string& key, double delay);
  virtual void reconcile(const std::string& /*key*/) {}
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
  std::set<std::string> queued_;
  std::map<std::string, double> requeue_due_;  // key -> when its pending look is due
};

std::string key_of(const models::Object& o);
std::pair<std::string, std::string> split_key(const std::string& key);

}  // namespace kvsim::sim::controllers
