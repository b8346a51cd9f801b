#pragma once
// The API server's recent history, for watches: every store change with the
// resourceVersion it took, kept for the last `keep` changes so that a watch
// can start from a list's resourceVersion and miss nothing (as the watch
// cache does upstream). A resourceVersion older than what is kept gets 410
// Expired, as upstream answers "too old resource version".
#include <cstdint>
#include <deque>

#include "sim/api/store.hpp"

namespace kvsim::sim::apiserver {

class WatchHub {
 public:
  struct Entry {
    std::uint64_t rv;
    api::EventType type;
    models::ObjectPtr object;  // the new state; for a deletion, the last one
  };

  explicit WatchHub(api::Store& store, std::size_t keep = 200000);
  ~WatchHub();
  WatchHub(const WatchHub&) = delete;
  WatchHub& operator=(const WatchHub&) = delete;

  std::uint64_t newest() const { return store_.resource_version(); }
  // False when changes after `rv` are no longer all kept.
  bool covers(std::uint64_t rv) const { return rv + 1 >= first_kept_; }
  // The kept changes with a resourceVersion above `rv`, oldest first.
  std::deque<Entry>::const_iterator after(std::uint64_t rv) const;
  std::deque<Entry>::const_iterator end() const { return entries_.end(); }
  api::Store& store() { return store_; }

 private:
  void record(const api::WatchEvent& e);

  api::Store& store_;
  std::size_t keep_;
  std::deque<Entry> entries_;
  std::uint64_t first_kept_;  // the oldest resourceVersion still complete
  int listener_;
};

}  // namespace kvsim::sim::apiserver
