#include "sim/controllers/component.hpp"

#include "sim/engine/clock.hpp"

namespace kvsim::sim::controllers {

Component::Component(Context& ctx, std::string name, std::string host)
    : ctx_(ctx), reactor_(std::move(name), std::move(host)) {}

int Component::watch(api::WatchFilter filter, std::function<void(const api::WatchEvent&)> handler) {
  return ctx_.store.watch(std::move(filter), [this, handler = std::move(handler)](const api::WatchEvent& e) {
    // A component whose host is down hears nothing (its watch connection is gone).
    if (!reactor_.running()) return;
    reactor_.post(ctx_.profile.watch_latency, [handler, e] { handler(e); });
  });
}

void Component::enqueue(const std::string& key, double delay) {
  if (!queued_.insert(key).second) return;
  reactor_.post(delay, [this, key] {
    queued_.erase(key);
    reconcile(key);
  });
}

void Component::requeue_after(const std::string& key, double delay) {
  const double due = engine::now() + delay;
  if (auto it = requeue_due_.find(key); it != requeue_due_.end() && it->second > engine::now() && it->second <= due)
    return;
  requeue_due_[key] = due;
  reactor_.post(delay, [this, key, due] {
    if (auto it = requeue_due_.find(key); it != requeue_due_.end() && it->second == due) requeue_due_.erase(it);
    enqueue(key);
  });
}

std::string key_of(const models::Object& o) { return o.metadata.namespace_ + "/" + o.metadata.name; }

std::pair<std::string, std::string> split_key(const std::string& key) {
  const auto slash = key.find('/');
  return {key.substr(0, slash), key.substr(slash + 1)};
}

}  // namespace kvsim::sim::controllers
