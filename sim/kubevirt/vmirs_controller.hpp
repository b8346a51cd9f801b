#pragma once
// virt-controller's VirtualMachineInstanceReplicaSet loop: applies plan_vmirs
// (create VMIs `<base><5 chars>` from the template, delete extras and finished
// ones, adopt matching orphans) and writes status.replicas/readyReplicas.
// Part of virt-controller: it acts only while virt-controller holds its lease.
#include "sim/controllers/component.hpp"

namespace kvsim::sim::kubevirt {

class VirtControllerLeader;

class VmirsController : public controllers::Component {
 public:
  VmirsController(controllers::Context& ctx, std::string host, const VirtControllerLeader& leader);
  void start() override;
  // Every replica set, as a new leader's informers list them.
  void resync();

 private:
  void reconcile(const std::string& key) override;

  const VirtControllerLeader& leader_;
  bool watching_ = false;
};

}  // namespace kvsim::sim::kubevirt
