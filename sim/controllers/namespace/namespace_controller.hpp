#pragma once
// The namespace controller: a deleted namespace is Terminating (the API
// server marks it so and keeps it by its "kubernetes" spec finalizer) while
// this controller deletes everything in it (pods gracefully, through their
// kubelets); once nothing is left it removes the finalizer and the namespace
// goes. Creating anything in it meanwhile is forbidden (NamespaceLifecycle,
// sim/api/stateful_admission).
#include "sim/controllers/component.hpp"

namespace kvsim::sim::controllers::ns {

class NamespaceController : public Component {
 public:
  NamespaceController(Context& ctx, std::string host);
  void start() override;

 private:
  void reconcile(const std::string& name) override;
  bool watching_ = false;
};

}  // namespace kvsim::sim::controllers::ns
