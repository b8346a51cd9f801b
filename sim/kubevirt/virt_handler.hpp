#pragma once
// virt-handler on one node: takes over Scheduled VMIs on its node, has the
// VMI's virt-launcher define and start the domain, reports Running from the
// domain's state, shuts the domain down when the VMI is deleted, and keeps
// the node's kubevirt.io/schedulable label and heartbeat fresh.
#include <map>

#include "sim/controllers/component.hpp"
#include "models/kubevirt.hpp"
#include "sim/hypervisor/hypervisor.hpp"

namespace kvsim::sim::kubevirt {

class VirtHandler : public controllers::Component {
 public:
  VirtHandler(controllers::Context& ctx, std::string node);
  void start() override;
  void lost();
  hypervisor::Hypervisor& hypervisor() { return *hypervisor_; }

 private:
  void reconcile(const std::string& key) override;
  void on_domain(const hypervisor::DomainEvent& e);
  void heartbeat();
  static std::string domain_name(const models::VirtualMachineInstance& vmi);

  std::string node_;
  std::unique_ptr<hypervisor::Hypervisor> hypervisor_;
  std::map<std::string, std::string> vmi_of_domain_;  // domain -> VMI key
  int watch_id_ = 0;
};

}  // namespace kvsim::sim::kubevirt
