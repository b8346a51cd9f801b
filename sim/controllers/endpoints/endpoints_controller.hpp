#pragma once
// The endpoints controller's driver: for each Service with a selector, keeps
// an Endpoints object of the same name listing the matching pods (see
// plan.hpp), rewritten when a pod it selects changes (IP, readiness,
// deletion, labels) and deleted with the Service. A Service without a
// selector is left alone: its Endpoints are the user's.
#include "sim/controllers/component.hpp"

namespace kvsim::sim::controllers::endpoints {

class EndpointsController : public Component {
 public:
  EndpointsController(Context& ctx, std::string host);
  void start() override;

 private:
  void reconcile(const std::string& key) override;
  void on_pod(const api::WatchEvent& e);
  bool watching_ = false;
};

}  // namespace kvsim::sim::controllers::endpoints
