#include "sim/kubevirt/vm_plan.hpp"

namespace kvsim::sim::kubevirt {
namespace {

bool has_request(const models::VirtualMachine& vm, const std::string& action) {
  for (const auto& r : vm.status.stateChangeRequests)
    if (r.action == action) return true;
  return false;
}

// A Stop request is meant for one VMI (its uid); a Start follows it.
bool stop_pending_for(const models::VirtualMachine& vm, const models::VirtualMachineInstance& vmi) {
  for (const auto& r : vm.status.stateChangeRequests)
    if (r.action == "Stop" && (r.uid.empty() || r.uid == vmi.metadata.uid)) return true;
  return false;
}

}  // namespace

VmPlan plan_vm(const models::VirtualMachine& vm, const models::VirtualMachineInstance* vmi) {
  VmPlan p;
  if (vm.metadata.being_deleted()) {
    if (vmi && !vmi->metadata.being_deleted()) {
      p.delete_vmi = true;
      p.why = "VM is being deleted";
    }
    return p;
  }
  const std::string strategy = vm.run_strategy();
  const bool vmi_gone_or_going = !vmi || vmi->metadata.being_deleted();
  // Stop requests (restart = Stop then Start) act first, on any strategy.
  if (vmi && !vmi->metadata.being_deleted() && stop_pending_for(vm, *vmi)) {
    p.delete_vmi = true;
    p.why = "stop requested";
    return p;
  }
  if (strategy == "Halted") {
    if (vmi && !vmi->metadata.being_deleted()) {
      p.delete_vmi = true;
      p.why = "runStrategy Halted";
    }
    return p;
  }
  if (strategy == "Always") {
    if (vmi && !vmi->metadata.being_deleted() && vmi->is_final()) {
      p.delete_vmi = true;
      p.why = "runStrategy Always: VMI " + vmi->status.phase + ", restarting";
      return p;
    }
    if (!vmi) {
      p.create_vmi = true;
      p.why = "runStrategy Always and no VMI";
      p.consume_requests = has_request(vm, "Start") || has_request(vm, "Stop");
    }
    return p;
  }
  if (strategy == "RerunOnFailure") {
    if (vmi && !vmi->metadata.being_deleted() && vmi->status.phase == "Failed") {
      p.delete_vmi = true;
      p.why = "runStrategy RerunOnFailure: VMI Failed, restarting";
      return p;
    }
    if (vmi_gone_or_going && !vmi && has_request(vm, "Start")) {
      p.create_vmi = true;
      p.consume_requests = true;
      p.why = "start requested";
    }
    return p;
  }
  if (strategy == "Manual") {
    if (vmi && vmi->is_final() && has_request(vm, "Start") && !vmi->metadata.being_deleted()) {
      p.delete_vmi = true;
      p.why = "start requested: removing the finished VMI first";
      return p;
    }
    if (!vmi && has_request(vm, "Start")) {
      p.create_vmi = true;
      p.consume_requests = true;
      p.why = "start requested";
    }
    return p;
  }
  if (strategy == "Once") {
    if (!vmi && !vm.status.created.value_or(false) && vm.status.printableStatus != "Stopped") {
      p.create_vmi = true;
      p.why = "runStrategy Once and no VMI yet";
    }
    return p;
  }
  return p;
}

std::string printable_status(const models::VirtualMachine& vm, const models::VirtualMachineInstance* vmi,
                             bool create_expected) {
  if (vm.metadata.being_deleted()) return "Terminating";
  const bool final = vmi && vmi->is_final();
  const bool stop_expected = vmi && stop_pending_for(vm, *vmi);
  if (vmi && !final && (vmi->metadata.being_deleted() || stop_expected)) return "Stopping";
  if (vmi && vmi->status.phase == "Running") {
    const auto* paused = models::find_condition(vmi->status.conditions, "Paused");
    if (paused && paused->status == "True") return "Paused";
    return "Running";
  }
  if (vmi) {
    const auto* sync = models::find_condition(vmi->status.conditions, "Synchronized");
    if (sync && sync->status == "False" && sync->reason == "FailedPvcNotFound") return "ErrorPvcNotFound";
    const auto* sched = models::find_condition(vmi->status.conditions, "PodScheduled");
    if (sched && sched->status == "False" && sched->reason == "Unschedulable") return "ErrorUnschedulable";
    if (sync && sync->status == "False" && (sync->reason == "ErrImagePull" || sync->reason == "ImagePullBackOff"))
      return sync->reason;
  }
  const auto& phase = vmi ? vmi->status.phase : std::string();
  if ((vmi && (phase.empty() || phase == "Pending" || phase == "Scheduling" || phase == "Scheduled")) ||
      (!vmi && create_expected))
    return "Starting";
  if (vm.status.startFailure && vm.status.startFailure->consecutiveFailCount > 0 && (!vmi || final))
    return "CrashLoopBackOff";
  if (!vmi || final) return "Stopped";
  return "Unknown";
}

VirtctlResult virtctl(const std::string& action, const models::VirtualMachine& vm,
                      const models::VirtualMachineInstance* vmi) {
  VirtctlResult r;
  const std::string strategy = vm.run_strategy();
  const bool running = vmi && !vmi->is_final() && !vmi->metadata.being_deleted();
  r.requests = vm.status.stateChangeRequests;
  if (action == "start") {
    if (running && vmi->status.phase == "Running") {
      r.error = "VM is already running";
      return r;
    }
    if (strategy == "Always" || strategy == "Once") {
      r.error = strategy + " does not support manual start requests";
      return r;
    }
    if (strategy == "RerunOnFailure" && vmi && vmi->status.phase == "Failed") {
      r.error = "RerunOnFailure does not support starting VM from failed state";
      return r;
    }
    if (strategy == "Halted") {
      r.new_run_strategy = "Always";
      return r;
    }
    r.requests.push_back({"Start", {}, {}});
    return r;
  }
  if (action == "stop") {
    if (strategy == "Halted") {
      r.error = "Halted does not support manual stop requests";
      return r;
    }
    if ((strategy == "RerunOnFailure" || strategy == "Manual") && !running) {
      r.error = "VM is not running";
      return r;
    }
    if (strategy == "Always" || strategy == "Once") {
      r.new_run_strategy = "Halted";
      return r;
    }
    r.requests.push_back({"Stop", {}, vmi ? vmi->metadata.uid : std::string()});
    return r;
  }
  if (action == "restart") {
    if (strategy == "Halted" || strategy == "Once") {
      r.error = strategy + " does not support manual restart requests";
      return r;
    }
    if (!vmi || vmi->metadata.being_deleted()) {
      r.error = "VM is not running";
      return r;
    }
    r.requests.push_back({"Stop", {}, vmi->metadata.uid});
    r.requests.push_back({"Start", {}, {}});
    return r;
  }
  r.error = "unknown action " + action;
  return r;
}

}  // namespace kvsim::sim::kubevirt
