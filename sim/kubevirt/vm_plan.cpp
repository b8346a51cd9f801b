#include "sim/kubevirt/vm_plan.hpp"

#include <algorithm>
#include <cmath>

#include "models/codec/encoder.hpp"

namespace kvsim::sim::kubevirt {
namespace {

// Upstream looks only at the first state change request.
const models::StateChangeRequest* first_request(const models::VirtualMachine& vm) {
  return vm.status.stateChangeRequests.empty() ? nullptr : &vm.status.stateChangeRequests.front();
}

bool has_start_request(const models::VirtualMachine& vm) {
  const auto* r = first_request(vm);
  return r && r->action == "Start";
}

bool has_stop_request_for(const models::VirtualMachine& vm, const models::VirtualMachineInstance& vmi) {
  const auto* r = first_request(vm);
  return r && r->action == "Stop" && !r->uid.empty() && r->uid == vmi.metadata.uid;
}

bool restarts_on_its_own(const std::string& strategy) {
  return strategy == "Always" || strategy == "RerunOnFailure" || strategy == "Once";
}

// A start due now, or held by the crash-loop backoff.
VmPlan start(const models::VirtualMachine& vm, double now, std::string why) {
  VmPlan p;
  const auto& failure = vm.status.startFailure;
  if (failure && failure->retryAfterTimestamp && failure->retryAfterTimestamp->seconds > now) {
    p.retry_in = failure->retryAfterTimestamp->seconds - now;
    p.why = "start delayed by the crash-loop backoff (" + why + ")";
    return p;
  }
  p.create_vmi = true;
  p.why = std::move(why);
  return p;
}

}  // namespace

VmPlan plan_vm(const models::VirtualMachine& vm, const models::VirtualMachineInstance* vmi, double now) {
  VmPlan p;
  const bool live = vmi && !vmi->metadata.being_deleted();
  if (vm.metadata.being_deleted()) {
    if (live) {
      p.delete_vmi = true;
      p.why = "VM is being deleted";
    }
    return p;
  }
  const std::string strategy = vm.run_strategy();
  if (strategy == "Always") {
    if (vmi) {
      if (live && (has_stop_request_for(vm, *vmi) || vmi->is_final())) {
        p.delete_vmi = true;
        p.why = vmi->is_final() ? "runStrategy Always: VMI " + vmi->status.phase + ", restarting"
                                : "restart requested";
      }
      return p;
    }
    return start(vm, now, "runStrategy Always and no VMI");
  }
  if (strategy == "RerunOnFailure") {
    if (vmi) {
      const bool failed = vmi->status.phase == "Failed";
      if (live && (has_stop_request_for(vm, *vmi) || vmi->is_final())) {
        p.delete_vmi = true;
        p.add_start_request = failed;
        p.why = failed ? "runStrategy RerunOnFailure: VMI Failed, restarting"
                : vmi->status.phase == "Succeeded" ? "runStrategy RerunOnFailure: VMI Succeeded, not restarted"
                                                   : "stop requested";
      }
      return p;
    }
    // A VMI deleted by someone else stays deleted, unless a start was asked for or the
    // strategy has just become RerunOnFailure.
    if (!has_start_request(vm) && vm.status.runStrategy == strategy) return p;
    return start(vm, now, has_start_request(vm) ? "start requested" : "runStrategy RerunOnFailure and no VMI");
  }
  if (strategy == "Manual") {
    if (vmi) {
      if (live && has_stop_request_for(vm, *vmi)) {
        p.delete_vmi = true;
        p.why = "stop requested";
      }
    } else if (has_start_request(vm)) {
      p.create_vmi = true;
      p.why = "start requested";
    }
    return p;
  }
  if (strategy == "Halted") {
    if (!vmi) {
      if (has_start_request(vm)) {
        p.set_run_strategy = "Always";
        p.why = "start requested on a Halted VM";
      }
      return p;
    }
    if (live) {
      p.delete_vmi = true;
      p.why = "runStrategy Halted";
    }
    return p;
  }
  if (strategy == "Once") {
    // The final VMI stays; only its absence starts one (no backoff check upstream).
    if (!vmi) {
      p.create_vmi = true;
      p.why = "runStrategy Once and no VMI";
    }
    return p;
  }
  return p;
}

bool first_request_done(const models::VirtualMachine& vm, const models::VirtualMachineInstance* vmi) {
  const auto* r = first_request(vm);
  if (!r) return false;
  if (r->action == "Stop") return !vmi || r->uid.empty() || r->uid != vmi->metadata.uid;
  if (r->action == "Start") return vmi && !vmi->metadata.being_deleted() && !vmi->is_final();
  return false;
}

bool vmi_ever_running(const models::VirtualMachineInstance& vmi) {
  return std::any_of(vmi.status.phaseTransitionTimestamps.begin(), vmi.status.phaseTransitionTimestamps.end(),
                     [](const auto& t) { return t.phase == "Running"; }) ||
         vmi.status.phase == "Running";
}

int start_backoff_seconds(int fail_count, const std::function<std::uint64_t(std::uint64_t)>& below) {
  constexpr int kMaxDelay = 300;                      // defaultMaxCrashLoopBackoffDelaySeconds
  const int interval = std::max(kMaxDelay / 30, 10);  // minInterval 10 s
  const int n = std::max(fail_count, 1);
  int delay = interval * n * n;
  delay += static_cast<int>(below(static_cast<std::uint64_t>(delay / 2 + 1)));
  return std::min(delay, kMaxDelay);
}

models::Boxed<models::StartFailure> next_start_failure(const models::VirtualMachine& vm,
                                                       const models::VirtualMachineInstance* vmi, double now,
                                                       const std::function<std::uint64_t(std::uint64_t)>& below) {
  if ((vmi && vmi_ever_running(*vmi)) || !restarts_on_its_own(vm.run_strategy())) return std::nullopt;
  const auto& was = vm.status.startFailure;
  if (!vmi || !vmi->is_final()) return was;  // nothing new to count
  if (was && was->lastFailedVMIUID == vmi->metadata.uid) return was;  // already counted
  models::StartFailure f;
  f.consecutiveFailCount = was ? was->consecutiveFailCount + 1 : 1;
  f.lastFailedVMIUID = vmi->metadata.uid;
  f.retryAfterTimestamp = models::Timestamp{now + start_backoff_seconds(f.consecutiveFailCount, below)};
  return f;
}

std::string printable_status(const models::VirtualMachine& vm, const models::VirtualMachineInstance* vmi,
                             bool create_expected) {
  if (vm.metadata.being_deleted()) return "Terminating";
  const bool final = vmi && vmi->is_final();
  const bool stop_expected = vmi && has_stop_request_for(vm, *vmi);
  if (vmi && !final && (vmi->metadata.being_deleted() || stop_expected)) return "Stopping";
  if (vmi && vmi->status.migrationState.is_object()) {  // migrations.IsMigrating
    const auto& m = vmi->status.migrationState;
    if (m.contains("startTimestamp") && !m.value("completed", false) && !m.value("failed", false)) return "Migrating";
  }
  if (vmi && vmi->status.phase == "Running") {
    const auto* paused = models::find_condition(vmi->status.conditions, "Paused");
    return paused && paused->status == "True" ? "Paused" : "Running";
  }
  const auto* sync = vmi ? models::find_condition(vmi->status.conditions, "Synchronized") : nullptr;
  if (sync && sync->status == "False" && sync->reason == "FailedPvcNotFound") return "ErrorPvcNotFound";
  const auto* sched = vmi ? models::find_condition(vmi->status.conditions, "PodScheduled") : nullptr;
  if (sched && sched->status == "False" && sched->reason == "Unschedulable") return "ErrorUnschedulable";
  if (sync && sync->status == "False" && (sync->reason == "ErrImagePull" || sync->reason == "ImagePullBackOff"))
    return sync->reason;
  const auto& phase = vmi ? vmi->status.phase : std::string();
  if ((vmi && (phase.empty() || phase == "Pending" || phase == "Scheduling" || phase == "Scheduled")) ||
      (!vmi && create_expected))
    return "Starting";
  const auto& failure = vm.status.startFailure;
  if ((!vmi || final) && !create_expected && failure && failure->consecutiveFailCount > 0 &&
      restarts_on_its_own(vm.run_strategy()))
    return "CrashLoopBackOff";
  if (vmi ? final : !create_expected) return "Stopped";
  return "Unknown";
}

void copy_vmi_conditions(const std::vector<models::Condition>& vmi, std::vector<models::Condition>& vm) {
  auto own = [](const std::string& type) { return type == "Ready" || type == "Failure" || type == "RestartRequired"; };
  std::erase_if(vm, [&](const models::Condition& c) { return !own(c.type) && !models::find_condition(vmi, c.type); });
  for (const auto& c : vmi) {
    if (own(c.type)) continue;
    if (auto it = std::find_if(vm.begin(), vm.end(), [&](const auto& v) { return v.type == c.type; }); it != vm.end())
      *it = c;
    else
      vm.push_back(c);
  }
}

namespace {

// getChangeRequestJson: requests may only be added to an empty list, except a lone Stop
// which replaces what is there.
std::string add_requests(VirtctlResult& r, const models::VirtualMachine& vm,
                         std::vector<models::StateChangeRequest> changes) {
  if (!vm.status.stateChangeRequests.empty() && !(changes.size() == 1 && changes[0].action == "Stop")) {
    r.internal = true;
    return "unable to complete request: stop/start already underway";
  }
  r.requests = std::move(changes);
  r.clear_start_failure = vm.status.startFailure.has_value();
  return {};
}

}  // namespace

VirtctlResult virtctl(const std::string& action, const models::VirtualMachine& vm,
                      const models::VirtualMachineInstance* vmi, const VirtctlOptions& options) {
  VirtctlResult r;
  const std::string strategy = vm.run_strategy();
  r.requests = vm.status.stateChangeRequests;
  if (action == "start") {
    if (vmi && !vmi->is_final() && vmi->status.phase != "Unknown" && !vmi->status.phase.empty()) {
      r.error = "VM is already running";
      return r;
    }
    if (strategy == "Always" || strategy == "Once") {
      r.error = strategy + " does not support manual start requests";
      return r;
    }
    std::map<std::string, std::string> data;
    if (options.paused) data["paused"] = "true";
    if (strategy == "Halted") {
      // A paused start goes through a Start request (virt-controller then flips the strategy).
      if (options.paused) r.error = add_requests(r, vm, {{"Start", data, {}}});
      else r.new_run_strategy = "Always";
      return r;
    }
    if (strategy == "RerunOnFailure" && vmi && vmi->status.phase == "Failed") {
      r.error = "RerunOnFailure does not support starting VM from failed state";
      return r;
    }
    // A finished VMI is removed first: Stop (for it) then Start.
    const bool needs_restart = vmi && ((strategy == "RerunOnFailure" && vmi->status.phase == "Succeeded") ||
                                       (strategy == "Manual" && vmi->is_final()));
    if (needs_restart) r.error = add_requests(r, vm, {{"Stop", {}, vmi->metadata.uid}, {"Start", data, {}}});
    else r.error = add_requests(r, vm, {{"Start", data, {}}});
    return r;
  }
  if (action == "stop") {
    const bool running = vmi && !vmi->is_final();
    std::int64_t old_grace = 0;
    if (running && options.grace_period) {
      old_grace = vmi->spec.terminationGracePeriodSeconds.value_or(0);
      r.vmi_grace = options.grace_period;
    }
    if (strategy == "Halted") {
      // A VMI still running under Halted (stopping) can only be hurried with a shorter grace period.
      if (!running) r.error = "VM is not running";
      else if (!options.grace_period ||
               (vmi->spec.terminationGracePeriodSeconds && *options.grace_period >= old_grace))
        r.error = "Halted only supports manual stop requests with a shorter graceperiod";
      else r.error = add_requests(r, vm, {{"Stop", {}, vmi->metadata.uid}});
      return r;
    }
    if (strategy == "RerunOnFailure" || strategy == "Manual") {
      if (!running) r.error = "VM is not running";
      else r.error = add_requests(r, vm, {{"Stop", {}, vmi->metadata.uid}});
      return r;
    }
    r.new_run_strategy = "Halted";  // Always, Once
    return r;
  }
  if (action == "restart") {
    if (strategy == "Halted" || strategy == "Once") {
      r.error = "RunStategy " + strategy + " does not support manual restart requests";  // sic, upstream's typo
      return r;
    }
    if (!vmi) {
      r.error = "VM is not running: Halted";
      return r;
    }
    r.error = add_requests(r, vm, {{"Stop", {}, vmi->metadata.uid}, {"Start", {}, {}}});
    return r;
  }
  r.error = "unknown action " + action;
  return r;
}

bool start_paused_requested(const models::VirtualMachine& vm) {
  if (vm.status.stateChangeRequests.empty()) return false;
  const auto& first = vm.status.stateChangeRequests.front();
  auto paused = first.data.find("paused");
  return first.action == "Start" && paused != first.data.end() && paused->second == "true";
}

bool template_changed_since_start(models::VMISpec wanted, const models::VirtualMachineInstance& vmi) {
  models::VMISpec started = vmi.spec;
  models::default_vmi_spec(wanted);
  started.terminationGracePeriodSeconds = wanted.terminationGracePeriodSeconds;
  started.startStrategy = wanted.startStrategy;
  return models::encode_value(started) != models::encode_value(wanted);
}

bool template_same_as_started(const models::VirtualMachineInstance& as_started, const models::VirtualMachineInstance& vmi) {
  auto labels = vmi.metadata.labels;
  labels.erase("kubevirt.io/nodeName");
  auto annotations = vmi.metadata.annotations;
  annotations.erase(kVmGenerationAnnotation);
  const auto& meta = as_started.metadata;
  return labels == meta.labels && annotations == meta.annotations && !template_changed_since_start(as_started.spec, vmi);
}

}  // namespace kvsim::sim::kubevirt
