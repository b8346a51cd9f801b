#include "sim/kubevirt/vmi_plan.hpp"

namespace kvsim::sim::kubevirt {
namespace {

bool compute_running(const models::Pod& pod) {
  if (pod.status.phase != "Running") return false;
  for (const auto& cs : pod.status.containerStatuses)
    if (cs.name == "compute" && !cs.state.running) return false;
  return true;
}

}  // namespace

VmiPlan plan_vmi(const models::VirtualMachineInstance& vmi, const models::Pod* pod) {
  VmiPlan p;
  const auto& phase = vmi.status.phase;
  if (vmi.is_final()) {
    if (pod && !pod->metadata.being_deleted()) {
      p.delete_pod = true;
      p.why = "VMI is " + phase + ": its launcher pod goes";
    } else if (!pod && vmi.metadata.has_finalizer(kVmiFinalizer)) {
      p.remove_finalizer = true;
      p.why = "VMI is " + phase + " and its launcher pod is gone";
    }
    return p;
  }
  const bool started = phase == "Scheduled" || phase == "Running";
  if (vmi.metadata.being_deleted() && !started) {
    p.phase = "Failed";
    p.why = "deleted before it started";
    return p;
  }
  if (started) {
    if (!pod) {
      p.phase = "Failed";
      p.why = "its launcher pod is gone";
    }
    return p;
  }
  // Pending or Scheduling.
  if (!pod) {
    if (phase == "Scheduling") {
      p.phase = "Failed";
      p.why = "its launcher pod disappeared before the VMI was scheduled";
      return p;
    }
    p.create_pod = true;
    if (phase.empty()) p.phase = "Pending";
    p.why = "no launcher pod yet";
    return p;
  }
  if (pod->status.phase == "Failed" || pod->status.phase == "Succeeded" || pod->metadata.being_deleted()) {
    p.phase = "Failed";
    p.why = "its launcher pod stopped before the VMI was scheduled";
    return p;
  }
  if (compute_running(*pod)) {
    p.phase = "Scheduled";
    p.node = pod->spec.nodeName;
    p.why = "launcher pod running on " + pod->spec.nodeName;
    return p;
  }
  if (phase != "Scheduling") {
    p.phase = "Scheduling";
    p.why = "launcher pod " + pod->metadata.name + " created";
  }
  return p;
}

}  // namespace kvsim::sim::kubevirt
