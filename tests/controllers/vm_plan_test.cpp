// virt-controller's VM decisions as tables (FIDELITY.md §1; upstream vm.go syncRunStrategy,
// lifecycle.go): observed state -> action.
#include <catch2/catch.hpp>

#include "sim/kubevirt/vm_plan.hpp"

using namespace kvsim;
using sim::kubevirt::copy_vmi_conditions;
using sim::kubevirt::first_request_done;
using sim::kubevirt::next_start_failure;
using sim::kubevirt::plan_vm;
using sim::kubevirt::printable_status;
using sim::kubevirt::start_backoff_seconds;
using sim::kubevirt::virtctl;

namespace {

models::VirtualMachine vm_with(const std::string& strategy) {
  models::VirtualMachine vm;
  vm.metadata.name = "vm1";
  vm.spec.runStrategy = strategy;
  return vm;
}

models::VirtualMachineInstance vmi_in(const std::string& phase, bool deleting = false) {
  models::VirtualMachineInstance vmi;
  vmi.metadata.name = "vm1";
  vmi.metadata.uid = "uid-1";
  vmi.status.phase = phase;
  if (phase == "Running") vmi.status.phaseTransitionTimestamps.push_back({"Running", models::Timestamp{1}});
  if (deleting) vmi.metadata.deletionTimestamp = models::Timestamp{1};
  return vmi;
}

std::uint64_t draw_zero(std::uint64_t) { return 0; }
std::uint64_t draw_max(std::uint64_t n) { return n - 1; }

}  // namespace

TEST_CASE("each run strategy decides what happens to a missing or finished VMI") {
  struct Row {
    const char* strategy;
    const char* status_strategy;  // vm.status.runStrategy: what the controller last acted on
    const char* vmi_phase;        // "" = no VMI
    const char* request;          // first stateChangeRequest: "", Start, Stop (for uid-1)
    bool create, remove, add_start;
    const char* set_strategy;
  };
  const Row rows[] = {
      // Always: a VMI always; a final one is deleted and recreated; a stop request restarts.
      {"Always", "Always", "", "", true, false, false, ""},
      {"Always", "Always", "Running", "", false, false, false, ""},
      {"Always", "Always", "Succeeded", "", false, true, false, ""},
      {"Always", "Always", "Failed", "", false, true, false, ""},
      {"Always", "Always", "Running", "Stop", false, true, false, ""},
      // RerunOnFailure: Failed is replaced (a start request is queued), Succeeded only removed,
      // a VMI deleted by someone else is not recreated, a new VM or a strategy change starts one.
      {"RerunOnFailure", "", "", "", true, false, false, ""},
      {"RerunOnFailure", "Always", "", "", true, false, false, ""},
      {"RerunOnFailure", "RerunOnFailure", "", "", false, false, false, ""},
      {"RerunOnFailure", "RerunOnFailure", "", "Start", true, false, false, ""},
      {"RerunOnFailure", "RerunOnFailure", "Failed", "", false, true, true, ""},
      {"RerunOnFailure", "RerunOnFailure", "Succeeded", "", false, true, false, ""},
      {"RerunOnFailure", "RerunOnFailure", "Running", "Stop", false, true, false, ""},
      // Manual: only requests act.
      {"Manual", "Manual", "", "", false, false, false, ""},
      {"Manual", "Manual", "", "Start", true, false, false, ""},
      {"Manual", "Manual", "Failed", "", false, false, false, ""},
      {"Manual", "Manual", "Succeeded", "Stop", false, true, false, ""},
      {"Manual", "Manual", "Running", "Stop", false, true, false, ""},
      // Halted: no VMI; a start request flips the VM to Always.
      {"Halted", "Halted", "", "", false, false, false, ""},
      {"Halted", "Halted", "Running", "", false, true, false, ""},
      {"Halted", "Halted", "", "Start", false, false, false, "Always"},
      // Once: one VMI; the final one stays.
      {"Once", "", "", "", true, false, false, ""},
      {"Once", "Once", "Running", "", false, false, false, ""},
      {"Once", "Once", "Failed", "", false, false, false, ""},
      {"Once", "Once", "Succeeded", "", false, false, false, ""},
  };
  for (const auto& r : rows) {
    INFO(r.strategy << " (status " << r.status_strategy << ") with VMI phase '" << r.vmi_phase << "' request '"
                    << r.request << "'");
    auto vm = vm_with(r.strategy);
    vm.status.runStrategy = r.status_strategy;
    if (std::string(r.request) == "Start") vm.status.stateChangeRequests.push_back({"Start", {}, {}});
    if (std::string(r.request) == "Stop") vm.status.stateChangeRequests.push_back({"Stop", {}, "uid-1"});
    const auto vmi = vmi_in(r.vmi_phase);
    const auto plan = plan_vm(vm, std::string(r.vmi_phase).empty() ? nullptr : &vmi);
    CHECK(plan.create_vmi == r.create);
    CHECK(plan.delete_vmi == r.remove);
    CHECK(plan.add_start_request == r.add_start);
    CHECK(plan.set_run_strategy.value_or("") == r.set_strategy);
  }
}

TEST_CASE("running true means Always and running false or nothing means Halted") {
  models::VirtualMachine vm;
  vm.spec.running = true;
  CHECK(vm.run_strategy() == "Always");
  vm.spec.running = false;
  CHECK(vm.run_strategy() == "Halted");
  vm.spec.running.reset();
  CHECK(vm.run_strategy() == "Halted");
}

TEST_CASE("a VMI being deleted is neither deleted again nor replaced until it is gone") {
  for (const char* strategy : {"Always", "RerunOnFailure", "Halted", "Manual"}) {
    INFO(strategy);
    auto vm = vm_with(strategy);
    vm.status.stateChangeRequests.push_back({"Stop", {}, "uid-1"});
    const auto vmi = vmi_in("Running", true);
    const auto plan = plan_vm(vm, &vmi);
    CHECK_FALSE(plan.create_vmi);
    CHECK_FALSE(plan.delete_vmi);
  }
}

TEST_CASE("state change requests are consumed one at a time once done") {
  auto vm = vm_with("Manual");
  const auto running = vmi_in("Running");
  const auto going = vmi_in("Running", true);
  vm.status.stateChangeRequests = {{"Stop", {}, "uid-1"}, {"Start", {}, {}}};
  CHECK_FALSE(first_request_done(vm, &running));  // its VMI still there
  CHECK_FALSE(first_request_done(vm, &going));
  CHECK(first_request_done(vm, nullptr));  // the VMI is gone
  auto other = vmi_in("Running");
  other.metadata.uid = "uid-2";
  CHECK(first_request_done(vm, &other));  // a different VMI: that one was stopped already
  vm.status.stateChangeRequests = {{"Start", {}, {}}};
  CHECK_FALSE(first_request_done(vm, nullptr));
  CHECK_FALSE(first_request_done(vm, &going));
  CHECK(first_request_done(vm, &running));
}

TEST_CASE("virtctl start, stop and restart follow the upstream table with its 409s") {
  struct Row {
    const char* strategy;
    const char* vmi_phase;  // "" = no VMI
    const char* action;
    const char* error;         // "" = accepted
    const char* new_strategy;  // "" = unchanged
    const char* requests;      // the stateChangeRequests written, e.g. "Stop,Start"
  };
  const Row rows[] = {
      {"Always", "", "start", "Always does not support manual start requests", "", ""},
      {"Always", "Running", "start", "VM is already running", "", ""},
      {"Always", "Scheduling", "start", "VM is already running", "", ""},
      {"Always", "Running", "stop", "", "Halted", ""},
      {"Always", "", "stop", "", "Halted", ""},
      {"Always", "Running", "restart", "", "", "Stop,Start"},
      {"Always", "", "restart", "VM is not running: Halted", "", ""},
      {"Halted", "", "start", "", "Always", ""},
      {"Halted", "Succeeded", "start", "", "Always", ""},
      {"Halted", "", "stop", "VM is not running", "", ""},
      {"Halted", "Running", "stop", "Halted only supports manual stop requests with a shorter graceperiod", "", ""},
      {"Halted", "", "restart", "RunStategy Halted does not support manual restart requests", "", ""},
      {"RerunOnFailure", "", "start", "", "", "Start"},
      {"RerunOnFailure", "Succeeded", "start", "", "", "Stop,Start"},
      {"RerunOnFailure", "Failed", "start", "RerunOnFailure does not support starting VM from failed state", "", ""},
      {"RerunOnFailure", "", "stop", "VM is not running", "", ""},
      {"RerunOnFailure", "Failed", "stop", "VM is not running", "", ""},
      {"RerunOnFailure", "Running", "stop", "", "", "Stop"},
      {"RerunOnFailure", "Running", "restart", "", "", "Stop,Start"},
      {"Manual", "", "start", "", "", "Start"},
      {"Manual", "Failed", "start", "", "", "Stop,Start"},
      {"Manual", "Running", "start", "VM is already running", "", ""},
      {"Manual", "", "stop", "VM is not running", "", ""},
      {"Manual", "Running", "stop", "", "", "Stop"},
      {"Manual", "Running", "restart", "", "", "Stop,Start"},
      {"Once", "", "start", "Once does not support manual start requests", "", ""},
      {"Once", "Running", "stop", "", "Halted", ""},
      {"Once", "Running", "restart", "RunStategy Once does not support manual restart requests", "", ""},
  };
  for (const auto& r : rows) {
    INFO(r.action << " on " << r.strategy << " with VMI phase '" << r.vmi_phase << "'");
    const auto vm = vm_with(r.strategy);
    const auto vmi = vmi_in(r.vmi_phase);
    const auto result = virtctl(r.action, vm, std::string(r.vmi_phase).empty() ? nullptr : &vmi);
    CHECK(result.error == r.error);
    CHECK_FALSE(result.internal);
    CHECK(result.new_run_strategy.value_or("") == r.new_strategy);
    std::string written;
    for (const auto& q : result.requests) written += (written.empty() ? "" : ",") + q.action;
    if (result.error.empty()) CHECK(written == r.requests);
  }
}

TEST_CASE("a second start or restart while one is underway is refused as an internal error") {
  auto vm = vm_with("Manual");
  vm.status.stateChangeRequests = {{"Start", {}, {}}};
  const auto r = virtctl("start", vm, nullptr);
  CHECK(r.error == "unable to complete request: stop/start already underway");
  CHECK(r.internal);
  // A stop replaces what is pending.
  const auto running = vmi_in("Running");
  const auto stop = virtctl("stop", vm, &running);
  CHECK(stop.error.empty());
  REQUIRE(stop.requests.size() == 1);
  CHECK(stop.requests[0].action == "Stop");
  CHECK(stop.requests[0].uid == "uid-1");
}

TEST_CASE("the crash-loop delay is 10 s times n squared plus up to half again and at most 300 s") {
  struct Row {
    int n, low, high;
  };
  const Row rows[] = {{1, 10, 15}, {2, 40, 60}, {3, 90, 135}, {5, 250, 300}, {6, 300, 300}, {10, 300, 300}};
  for (const auto& r : rows) {
    INFO("failure " << r.n);
    CHECK(start_backoff_seconds(r.n, draw_zero) == r.low);
    CHECK(start_backoff_seconds(r.n, draw_max) == r.high);
  }
}

TEST_CASE("a VMI that goes final without running counts once as a start failure") {
  auto vm = vm_with("Always");
  auto failed = vmi_in("Failed");
  auto f = next_start_failure(vm, &failed, 100, draw_zero);
  REQUIRE(f);
  CHECK(f->consecutiveFailCount == 1);
  CHECK(f->lastFailedVMIUID == "uid-1");
  CHECK(f->retryAfterTimestamp->seconds == Approx(110));  // 100 + 10 s * 1^2
  vm.status.startFailure = f;
  CHECK(next_start_failure(vm, &failed, 200, draw_zero)->retryAfterTimestamp->seconds == Approx(110));  // counted once
  failed.metadata.uid = "uid-2";
  f = next_start_failure(vm, &failed, 200, draw_zero);
  CHECK(f->consecutiveFailCount == 2);
  CHECK(f->retryAfterTimestamp->seconds == Approx(240));  // 200 + 10 s * 2^2
  vm.status.startFailure = f;
  // While held, a start waits for the rest of the delay.
  const auto plan = plan_vm(vm, nullptr, 210);
  CHECK_FALSE(plan.create_vmi);
  CHECK(plan.retry_in == Approx(30));
  CHECK(printable_status(vm, nullptr, false) == "CrashLoopBackOff");
  CHECK(plan_vm(vm, nullptr, 240).create_vmi);
  // A VMI that reaches Running clears it; so does a strategy that never restarts.
  const auto running = vmi_in("Running");
  CHECK_FALSE(next_start_failure(vm, &running, 300, draw_zero));
  vm.spec.runStrategy = "Manual";
  CHECK_FALSE(next_start_failure(vm, nullptr, 300, draw_zero));
  CHECK(printable_status(vm, nullptr, false) == "Stopped");
  // A VMI that ran and then failed is not a start failure.
  vm.spec.runStrategy = "Always";
  vm.status.startFailure.reset();
  auto ran = vmi_in("Failed");
  ran.status.phaseTransitionTimestamps.push_back({"Running", models::Timestamp{5}});
  CHECK_FALSE(next_start_failure(vm, &ran, 300, draw_zero));
}

TEST_CASE("printableStatus takes the first match in upstream's order") {
  // Each row makes two statuses true at once: the earlier row of FIDELITY.md §1 wins.
  auto cond = [](models::VirtualMachineInstance& vmi, const char* type, const char* status, const char* reason) {
    vmi.status.conditions.push_back({type, status, reason, ""});
  };
  auto vm = vm_with("Always");
  CHECK(printable_status(vm, nullptr, false) == "Stopped");
  CHECK(printable_status(vm, nullptr, true) == "Starting");
  for (const char* phase : {"Pending", "Scheduling", "Scheduled"}) {
    const auto vmi = vmi_in(phase);
    CHECK(printable_status(vm, &vmi, false) == "Starting");
  }
  // 2 Stopping beats 4 Paused and 5 Running.
  auto stopping = vmi_in("Running", true);
  cond(stopping, "Paused", "True", "PausedByUser");
  CHECK(printable_status(vm, &stopping, false) == "Stopping");
  // A stop request for this VMI is a stop expected.
  auto requested = vm;
  requested.status.stateChangeRequests = {{"Stop", {}, "uid-1"}};
  const auto running = vmi_in("Running");
  CHECK(printable_status(requested, &running, false) == "Stopping");
  // 3 Migrating beats 4 Paused.
  auto migrating = vmi_in("Running");
  migrating.status.migrationState = models::Json{{"startTimestamp", "2026-01-01T00:00:00Z"}};
  cond(migrating, "Paused", "True", "PausedByUser");
  CHECK(printable_status(vm, &migrating, false) == "Migrating");
  migrating.status.migrationState["completed"] = true;
  CHECK(printable_status(vm, &migrating, false) == "Paused");
  CHECK(printable_status(vm, &running, false) == "Running");
  // 6 ErrorPvcNotFound beats 8 ErrorUnschedulable, which beats 11 ErrImagePull and 13 Starting.
  auto pvc = vmi_in("Pending");
  cond(pvc, "Synchronized", "False", "FailedPvcNotFound");
  cond(pvc, "PodScheduled", "False", "Unschedulable");
  CHECK(printable_status(vm, &pvc, false) == "ErrorPvcNotFound");
  auto unschedulable = vmi_in("Scheduling");
  cond(unschedulable, "PodScheduled", "False", "Unschedulable");
  CHECK(printable_status(vm, &unschedulable, false) == "ErrorUnschedulable");
  auto pull = vmi_in("Scheduling");
  cond(pull, "Synchronized", "False", "ImagePullBackOff");
  CHECK(printable_status(vm, &pull, false) == "ImagePullBackOff");
  // 13 Starting beats 14 CrashLoopBackOff; 14 beats 15 Stopped.
  vm.status.startFailure = models::StartFailure{2, "uid-0", models::Timestamp{50}};
  CHECK(printable_status(vm, nullptr, true) == "Starting");
  const auto failed = vmi_in("Failed");
  CHECK(printable_status(vm, &failed, false) == "CrashLoopBackOff");
  vm.status.startFailure.reset();
  CHECK(printable_status(vm, &failed, false) == "Stopped");
  // 1 Terminating beats everything.
  vm.metadata.deletionTimestamp = models::Timestamp{5};
  CHECK(printable_status(vm, &stopping, false) == "Terminating");
}

TEST_CASE("the VMI's conditions are copied onto the VM but Ready stays the VM's own") {
  std::vector<models::Condition> vm = {{"Ready", "False", "VMINotExists", ""}, {"Paused", "True", "PausedByUser", ""}};
  const std::vector<models::Condition> vmi = {{"Ready", "True", "", ""}, {"LiveMigratable", "True", "", ""},
                                              {"AgentConnected", "True", "", ""}};
  copy_vmi_conditions(vmi, vm);
  REQUIRE(vm.size() == 3);
  CHECK(vm[0].type == "Ready");
  CHECK(vm[0].status == "False");  // mirrored separately, with its reason
  CHECK(vm[1].type == "LiveMigratable");
  CHECK(vm[2].type == "AgentConnected");
  CHECK_FALSE(models::find_condition(vm, "Paused"));  // the VMI no longer has it
}
