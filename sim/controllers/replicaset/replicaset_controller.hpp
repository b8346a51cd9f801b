#pragma once
// The ReplicaSet controller's driver: watches ReplicaSets and their pods,
// creates pods `<rs>-<5 chars>` from the template, deletes extras, writes status.
#include <map>

#include "sim/controllers/component.hpp"

namespace kvsim::sim::controllers::replicaset {

class ReplicaSetController : public Component {
 public:
  ReplicaSetController(Context& ctx, std::string host);
  void start() override;

 private:
  void reconcile(const std::string& key) override;
  std::map<std::string, int> expected_creates_;  // rs uid -> creations not yet observed
  bool watching_ = false;
};

}  // namespace kvsim::sim::controllers::replicaset
