#include "sim/controllers/component.hpp"

#include <algorithm>

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
    WorkerPool* pool = pool_of(key);
    if (!pool) {
      reconcile(key);
      return;
    }
    if (pool->waiting.insert(key).second) pool->ready.push_back(key);
    dispatch(*pool);
  });
}

void Component::add_worker_pool(const std::string& prefix, int workers) {
  WorkerPool pool;
  pool.prefix = prefix;
  pool.workers = std::max(1, workers);
  pools_.push_back(std::move(pool));
}

Component::WorkerPool* Component::pool_of(const std::string& key) {
  for (auto& p : pools_)
    if (key.starts_with(p.prefix)) return &p;
  return nullptr;
}

void Component::dispatch(WorkerPool& pool) {
  while (pool.busy < pool.workers && !pool.ready.empty()) {
    const std::string key = pool.ready.front();
    pool.ready.pop_front();
    pool.waiting.erase(key);
    // client-go's queue never hands a key to two workers: it comes back once released.
    if (pool.processing.contains(key)) {
      pool.dirty.insert(key);
      continue;
    }
    ++pool.busy;
    pool.processing.insert(key);
    run_on_worker(pool, key);
  }
}

void Component::run_on_worker(WorkerPool& pool, const std::string& key) {
  held_ = 0;
  resume_ = false;
  reconcile(key);
  const bool resume = resume_;
  const auto generation = pool_generation_;
  const std::size_t index = static_cast<std::size_t>(&pool - pools_.data());
  reactor_.post(held_, [this, index, key, resume, generation] {
    if (generation != pool_generation_) return;
    auto& p = pools_[index];
    if (resume) {
      run_on_worker(p, key);
      return;
    }
    --p.busy;
    p.processing.erase(key);
    if (p.dirty.erase(key) && p.waiting.insert(key).second) p.ready.push_back(key);
    dispatch(p);
  });
}

void Component::lose_work() {
  reactor_.lost();
  queued_.clear();
  requeue_due_.clear();
  ++pool_generation_;
  for (auto& p : pools_) {
    p.busy = 0;
    p.ready.clear();
    p.waiting.clear();
    p.processing.clear();
    p.dirty.clear();
  }
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
