#pragma once
// kube-scheduler's volume plugins for one pod (VolumeBinding and the
// ReadWriteOncePod part of VolumeRestrictions), over the API store:
//  - PreFilter: a claim that is missing or being deleted, or an unbound claim
//    of an Immediate class, rejects the pod on every node (the FitError then
//    names the reason once, without a node count);
//  - Filter (per node): a bound PV's node affinity must admit the node; an
//    unbound WaitForFirstConsumer claim needs an Available PV usable there or
//    a class that provisions; a ReadWriteOncePod claim in use by another pod
//    fits nowhere;
//  - after the node is chosen: each WaitForFirstConsumer claim gets its static
//    PV (claimRef) or the node (volume.kubernetes.io/selected-node) for its
//    provisioner.
#include <string>

#include "sim/api/store.hpp"
#include "sim/controllers/scheduler/plan.hpp"

namespace kvsim::sim::controllers::scheduler {

struct VolumeCheck {
  std::string rejected;  // PreFilter's reason; empty when the pod may go on to filtering
  ExtraFilter filter;    // null when the pod names no claim
};
VolumeCheck check_volumes(const api::Store& store, const models::Pod& pod);

// The PreBind step for the chosen node: binds static PVs and hands the node to provisioners.
void bind_pod_volumes(api::Store& store, const models::Pod& pod, const std::string& node, const std::string& component);

}  // namespace kvsim::sim::controllers::scheduler
