#pragma once
// kube-controller-manager's disruption controller: keeps each
// PodDisruptionBudget's status (expected, desired and current healthy pods,
// disruptions allowed) up to date as its pods come, go and change readiness.
// The eviction subresource (sim/api/eviction.hpp) reads and decrements it.
#include "sim/controllers/component.hpp"
#include "sim/controllers/disruption/plan.hpp"

namespace kvsim::sim::controllers::disruption {

class DisruptionController : public Component {
 public:
  DisruptionController(Context& ctx, std::string host);
  void start() override;

 private:
  void reconcile(const std::string& key) override;
  void pod_changed(const api::WatchEvent& e);
  ExpectedScale expected_scale(const std::vector<const models::Pod*>& pods) const;
  bool watching_ = false;
};

}  // namespace kvsim::sim::controllers::disruption
