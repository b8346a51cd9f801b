#pragma once
// The garbage collector: when an owner is gone, its dependents go too
// (background propagation); an owner deleted in the foreground waits, with
// its foregroundDeletion finalizer, until its dependents are gone.
#include "sim/controllers/component.hpp"

namespace kvsim::sim::controllers::gc {

class GarbageCollector : public Component {
 public:
  GarbageCollector(Context& ctx, std::string host);
  void start() override;
  // The store calls this for every change (the collector watches all kinds).
  void observe(const api::WatchEvent& e);

 private:
  void collect_dependents_of(const std::string& owner_uid, const std::string& owner_ref);
  void check_foreground(const std::string& owner_uid);
};

}  // namespace kvsim::sim::controllers::gc
