#pragma once
// The API store as checks read it (scenario expectations, lab steps).
#include "sim/api/store.hpp"
#include "sim/scenario/check.hpp"

namespace kvsim::sim::scenario {

class StoreObjects final : public ObjectSource {
 public:
  explicit StoreObjects(const api::Store& store) : store_(store) {}
  models::ObjectPtr get(const models::KindInfo& kind, const std::string& ns, const std::string& name) const override {
    return store_.get(kind, ns, name);
  }
  std::vector<models::ObjectPtr> list(const models::KindInfo& kind, const std::string& ns,
                                      const models::LabelSelector* selector) const override {
    return store_.list(kind, ns, selector);
  }

 private:
  const api::Store& store_;
};

}  // namespace kvsim::sim::scenario
