#pragma once
// The Node object a kubelet registers for its host, and the conditions a
// healthy kubelet posts on it.
#include <memory>
#include <string>

#include "models/core.hpp"
#include "sim/engine/platform.hpp"
#include "sim/engine/profile.hpp"

namespace kvsim::sim::node {

// Labels (hostname, os, arch, role), taints, capacity = allocatable, the pod
// CIDR, addresses (InternalIP from the node's index), node info, and the
// healthy conditions at `now`.
std::shared_ptr<models::Node> make_node_object(const engine::NodeSpec& spec, std::size_t index,
                                               const std::string& pod_cidr, const engine::TimingProfile& profile,
                                               double now);

// MemoryPressure, DiskPressure and PIDPressure False, Ready True, with the
// kubelet's reasons and messages and a fresh heartbeat. True when any status
// changed (a kubelet posts status on change, or every 5 minutes otherwise).
bool post_healthy_conditions(std::vector<models::Condition>& conditions, double now);

}  // namespace kvsim::sim::node
