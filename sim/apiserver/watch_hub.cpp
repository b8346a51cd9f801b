#include "sim/apiserver/watch_hub.hpp"

#include <algorithm>
#include <charconv>

namespace kvsim::sim::apiserver {

WatchHub::WatchHub(api::Store& store, std::size_t keep)
    : store_(store), keep_(keep), first_kept_(store.resource_version() + 1) {
  listener_ = store_.add_change_listener([this](const api::WatchEvent& e) { record(e); });
}

WatchHub::~WatchHub() { store_.remove_change_listener(listener_); }

void WatchHub::record(const api::WatchEvent& e) {
  std::uint64_t rv = store_.resource_version();
  // A create or update is stamped with its own version; a watcher that wrote
  // in turn may already have taken later ones.
  if (e.type != api::EventType::Deleted) {
    const auto& s = e.object->metadata.resourceVersion;
    std::uint64_t own = 0;
    if (std::from_chars(s.data(), s.data() + s.size(), own).ec == std::errc()) rv = own;
  }
  Entry entry{rv, e.type, e.object};
  auto at = entries_.end();
  while (at != entries_.begin() && std::prev(at)->rv > rv) --at;
  entries_.insert(at, std::move(entry));
  while (entries_.size() > keep_) {
    first_kept_ = entries_.front().rv + 1;
    entries_.pop_front();
  }
}

std::deque<WatchHub::Entry>::const_iterator WatchHub::after(std::uint64_t rv) const {
  return std::upper_bound(entries_.begin(), entries_.end(), rv, [](std::uint64_t v, const Entry& e) { return v < e.rv; });
}

}  // namespace kvsim::sim::apiserver
