#pragma once
// virt-controller's VirtualMachineInstanceReplicaSet decisions, pure (upstream
// pkg/virt-controller/watch/replicaset.go): claim the VMIs its selector
// matches, keep spec.replicas active ones (not final, not being deleted),
// delete finished ones, and count what `get vmirs` prints.
#include <string>
#include <vector>

#include "models/kubevirt.hpp"

namespace kvsim::sim::kubevirt {

struct VmirsPlan {
  int create = 0;                     // new VMIs from the template
  std::vector<std::string> scale_down;  // active VMIs over the count (upstream: the first ones listed)
  std::vector<std::string> finished;    // final VMIs, deleted so that they are replaced
  std::vector<std::string> adopt;       // orphans the selector matches: take a controller ref
  std::int32_t replicas = 0, ready = 0;  // status: active VMIs, and those Ready
  std::string why;
};

// `vmis`: the VMIs of the replica set's namespace, in name order.
VmirsPlan plan_vmirs(const models::VirtualMachineInstanceReplicaSet& rs,
                     const std::vector<const models::VirtualMachineInstance*>& vmis);

// The new VMIs' generateName: the template's name, else its generateName, else the
// replica set's name; the API server appends 5 characters with no dash (e.g. testreplicasetx7k2p).
std::string vmirs_base_name(const models::VirtualMachineInstanceReplicaSet& rs);

}  // namespace kvsim::sim::kubevirt
