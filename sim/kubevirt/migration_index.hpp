#pragma once
// The migrations holding a slot of the limits (in flight) and those waiting for one (Pending),
// kept from the store's changes as an informer's index is, so that the migration controller's
// reconcile reads the few migrations that count instead of listing every migration there is.
// Kept synchronously (a store change listener): it always agrees with the store, as a full
// list would at the same instant.
#include <set>

#include "sim/api/store.hpp"

namespace kvsim::sim::kubevirt {

class MigrationIndex {
 public:
  explicit MigrationIndex(api::Store& store);
  ~MigrationIndex();
  MigrationIndex(const MigrationIndex&) = delete;
  MigrationIndex& operator=(const MigrationIndex&) = delete;

  // Namespace/name, in the store's list order.
  const std::set<api::Key>& in_flight() const { return in_flight_; }
  const std::set<api::Key>& pending() const { return pending_; }

 private:
  void observe(const api::WatchEvent& e);
  void place(const models::Object& o);

  api::Store& store_;
  int listener_ = 0;
  std::set<api::Key> in_flight_, pending_;
};

}  // namespace kvsim::sim::kubevirt
