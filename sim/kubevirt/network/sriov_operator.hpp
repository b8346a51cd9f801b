#pragma once
// The SR-IOV Network Operator, reduced to what a VM sees (FIDELITY.md §5):
// a SriovNetworkNodePolicy gives every node its nodeSelector matches numVfs
// virtual functions, advertised by the device plugin as the node's
// capacity/allocatable `openshift.io/<resourceName>`; a SriovNetwork becomes a
// NetworkAttachmentDefinition of the same name in its networkNamespace,
// annotated with that resource so virt-controller asks one VF per interface.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "models/kubevirt.hpp"
#include "models/sriov.hpp"
#include "sim/controllers/component.hpp"

namespace kvsim::sim::kubevirt::network {

// The VF pools a node gets from the policies: per resource, the policy of
// highest priority (lowest number, then name) among those selecting the node
// (nicSelector is not modelled: every node has one SR-IOV capable NIC).
std::map<std::string, std::int64_t> node_vf_pools(const std::vector<const models::SriovNetworkNodePolicy*>& policies,
                                                  const models::Labels& node_labels);

// The NAD the operator renders for `net` (type sriov, the resource annotation).
std::shared_ptr<models::NetworkAttachmentDefinition> sriov_nad(const models::SriovNetwork& net);

class SriovOperator : public controllers::Component {
 public:
  SriovOperator(controllers::Context& ctx, std::string host);
  void start() override;

 private:
  void reconcile(const std::string& key) override;
  void sync_node(const std::string& name);
  void sync_network(const std::string& ns, const std::string& name);

  std::set<std::string> managed_;  // resources the policies have advertised (to withdraw them)
  bool watching_ = false;
};

}  // namespace kvsim::sim::kubevirt::network
