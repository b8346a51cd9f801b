#pragma once
// What virt-controller must find before it renders a VMI's launcher pod
// (FIDELITY.md §5, §7): every NAD its Multus networks name, every claim its
// volumes mount, and every DataVolume imported. A miss keeps the pod
// uncreated and is reported on the VMI as upstream does: condition
// Synchronized=False with reason FailedPvcNotFound (then VM printableStatus
// ErrorPvcNotFound) or FailedCreate (a missing NAD).
#include <string>
#include <vector>

#include "models/kubevirt.hpp"
#include "models/pod.hpp"
#include "sim/api/store.hpp"
#include "sim/kubevirt/network/multus.hpp"

namespace kvsim::sim::kubevirt {

struct LaunchPrerequisites {
  std::string reason, message;  // Synchronized=False reason and message; "" when nothing is missing
  std::string waiting_for;      // nothing missing, but not ready yet (a DataVolume importing)
  std::vector<network::MultusAttachment> multus;
  bool ready() const { return reason.empty() && waiting_for.empty(); }
};

LaunchPrerequisites launch_prerequisites(const api::Store& store, const models::VirtualMachineInstance& vmi);

// Sets (or clears, when all is there) the VMI's Synchronized condition.
void apply_synchronized(std::vector<models::Condition>& conditions, const LaunchPrerequisites& pre, double now);

// checkForContainerImageError (virt-controller vmi.go): a launcher pod container (init
// containers first) waiting in ErrImagePull or ImagePullBackOff makes the VMI's Synchronized
// condition False with that reason and the kubelet's message (kept while the reason stays,
// as CheckFailure does); once no container waits so, that condition goes.
void apply_image_error(std::vector<models::Condition>& conditions, const models::Pod& pod, double now);

}  // namespace kvsim::sim::kubevirt
