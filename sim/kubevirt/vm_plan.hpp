#pragma once
// virt-controller's VM reconciler decisions, pure (FIDELITY.md §1, upstream
// pkg/virt-controller/watch/vm/vm.go syncRunStrategy): what the run strategy
// asks of the VMI, the state change requests it consumes, the crash-loop
// backoff, the printableStatus, and the virtctl start/stop/restart table with
// its 409 refusals (pkg/virt-api/rest/lifecycle.go).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "models/kubevirt.hpp"

namespace kvsim::sim::kubevirt {

struct VmPlan {
  bool create_vmi = false;
  bool delete_vmi = false;
  bool add_start_request = false;                 // RerunOnFailure: a Failed VMI is replaced
  std::optional<std::string> set_run_strategy;    // Halted + start request -> Always
  double retry_in = 0;  // > 0: a start is due but the crash-loop backoff holds it this long
  std::string why;      // the decision in words, for the trace
};

// `vmi` is the VMI of the same name when it exists (and is controlled by the VM);
// `now` is sim time (for the crash-loop backoff's retryAfterTimestamp).
VmPlan plan_vm(const models::VirtualMachine& vm, const models::VirtualMachineInstance* vmi, double now = 0);

// Upstream handles one state change request at a time: whether the first one is done
// (a Stop once its VMI is gone, a Start once a live VMI exists) and can be dropped.
bool first_request_done(const models::VirtualMachine& vm, const models::VirtualMachineInstance* vmi);

// CrashLoopBackOff bookkeeping (vm.go syncStartFailureStatus): cleared once a VMI of the VM
// reached Running or the strategy does not restart; counted once per VMI that went final
// without ever running. `below(n)` draws uniformly in [0, n) (the seeded rng).
models::Boxed<models::StartFailure> next_start_failure(const models::VirtualMachine& vm,
                                                       const models::VirtualMachineInstance* vmi, double now,
                                                       const std::function<std::uint64_t(std::uint64_t)>& below);
// 10 s * n^2 + rand(0 .. delay/2), capped at 300 s (calculateStartBackoffTime).
int start_backoff_seconds(int fail_count, const std::function<std::uint64_t(std::uint64_t)>& below);
bool vmi_ever_running(const models::VirtualMachineInstance& vmi);

// The printableStatus, first match wins, in upstream's order (rows needing storage state,
// DataVolumeError, Provisioning and WaitingForVolumeBinding, are added by storage::vm_printable_with_volumes).
std::string printable_status(const models::VirtualMachine& vm, const models::VirtualMachineInstance* vmi,
                             bool create_expected);

// vm.go syncConditions: the VMI's conditions (but Ready, Failure, RestartRequired, which the VM
// keeps its own way) are copied onto the VM; VM conditions the VMI no longer has are dropped.
void copy_vmi_conditions(const std::vector<models::Condition>& vmi, std::vector<models::Condition>& vm);

// What a virtctl request carries besides its verb (virt-api's StartOptions, StopOptions).
struct VirtctlOptions {
  bool paused = false;                       // start --paused: the Start request asks for a paused start
  std::optional<std::int64_t> grace_period;  // stop --grace-period N --force (StopOptions.gracePeriod)
};

struct VirtctlResult {
  std::string error;     // non-empty: refused with this message
  bool internal = false;  // the error is a 500 (Internal error occurred), else a 409 Conflict
  std::optional<std::string> new_run_strategy;
  std::vector<models::StateChangeRequest> requests;  // replaces status.stateChangeRequests
  bool clear_start_failure = false;                  // a new request resets the crash loop
  // stop with a grace period: virt-api first patches the running VMI's
  // terminationGracePeriodSeconds to it (even when the stop is then refused).
  std::optional<std::int64_t> vmi_grace;
};
// action: start, stop, restart (virt-api's StartVMRequestHandler, StopVMRequestHandler,
// RestartVMRequestHandler decisions, pkg/virt-api/rest/subresource.go).
VirtctlResult virtctl(const std::string& action, const models::VirtualMachine& vm,
                      const models::VirtualMachineInstance* vmi, const VirtctlOptions& options = {});

// The first state change request is a Start asking for a paused start (vm.go
// hasStartPausedRequest): the VMI is then created with startStrategy Paused.
bool start_paused_requested(const models::VirtualMachine& vm);

// The VMI annotation with the VM generation it was created from (VirtualMachineGenerationAnnotation).
inline constexpr const char* kVmGenerationAnnotation = "kubevirt.io/vm-generation";
inline constexpr const char* kRestartRequiredMessage = "a non-live-updatable field was changed in the template spec";

// addRestartRequiredIfNeeded under the default rollout strategy (Stage: nothing is
// live-updated): whether the VM's template spec now differs from the one its VMI was started
// with. The VMI's spec is that template with the admission defaults, which the template also
// got; what virt-api changes on a running VMI (the grace period of a forced stop) and the
// start strategy of `start --paused` are not template changes. `template_spec` is the VM's
// template spec as a VMI started now would get it: with the VM's pinned instance type and
// preference applied (instancetype::expand_vmi), else the template's spec itself; a VM of an
// instance type is not "changed" by the CPU and memory its VMI got from it.
bool template_changed_since_start(models::VMISpec template_spec, const models::VirtualMachineInstance& vmi);

// Whether the whole template (its labels and annotations too) is still the one the VMI was
// started from: the VMI's labels and annotations are the template's, plus what KubeVirt adds
// (label kubevirt.io/nodeName, annotation kubevirt.io/vm-generation).
// `as_started` is the VMI the template would make now (labels, annotations and spec, the
// instance type and preference applied).
bool template_same_as_started(const models::VirtualMachineInstance& as_started, const models::VirtualMachineInstance& vmi);

}  // namespace kvsim::sim::kubevirt
