// virt-controller's VM decisions as tables (FIDELITY.md §1): observed state -> action.
#include <catch2/catch.hpp>

#include "sim/kubevirt/vm_plan.hpp"

using namespace kvsim;
using sim::kubevirt::plan_vm;
using sim::kubevirt::printable_status;
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
  if (deleting) vmi.metadata.deletionTimestamp = models::Timestamp{1};
  return vmi;
}

}  // namespace

TEST_CASE("each run strategy decides what happens to a missing or finished VMI") {
  struct Row {
    const char* strategy;
    const char* vmi_phase;  // "" = no VMI
    bool create, remove;
  };
  const Row rows[] = {
      {"Always", "", true, false},          {"Always", "Running", false, false},
      {"Always", "Succeeded", false, true}, {"Always", "Failed", false, true},
      {"RerunOnFailure", "", false, false}, {"RerunOnFailure", "Failed", false, true},
      {"RerunOnFailure", "Succeeded", false, false},
      {"Manual", "", false, false},         {"Manual", "Failed", false, false},
      {"Halted", "", false, false},         {"Halted", "Running", false, true},
      {"Once", "", true, false},            {"Once", "Failed", false, false},
      {"Once", "Succeeded", false, false},
  };
  for (const auto& r : rows) {
    INFO(r.strategy << " with VMI phase '" << r.vmi_phase << "'");
    const auto vm = vm_with(r.strategy);
    const auto vmi = vmi_in(r.vmi_phase);
    const auto plan = plan_vm(vm, std::string(r.vmi_phase).empty() ? nullptr : &vmi);
    CHECK(plan.create_vmi == r.create);
    CHECK(plan.delete_vmi == r.remove);
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

TEST_CASE("a start request creates the VMI of a Manual or RerunOnFailure VM") {
  for (const char* strategy : {"Manual", "RerunOnFailure"}) {
    auto vm = vm_with(strategy);
    vm.status.stateChangeRequests.push_back({"Start", {}, {}});
    const auto plan = plan_vm(vm, nullptr);
    CHECK(plan.create_vmi);
    CHECK(plan.consume_requests);
  }
}

TEST_CASE("a VMI being deleted is neither deleted again nor replaced until it is gone") {
  const auto vm = vm_with("Always");
  const auto vmi = vmi_in("Running", true);
  const auto plan = plan_vm(vm, &vmi);
  CHECK_FALSE(plan.create_vmi);
  CHECK_FALSE(plan.delete_vmi);
}

TEST_CASE("virtctl start, stop and restart follow the upstream table with its 409s") {
  struct Row {
    const char* strategy;
    const char* vmi_phase;  // "" = no VMI
    const char* action;
    const char* error;      // "" = accepted
    const char* new_strategy;  // "" = unchanged
  };
  const Row rows[] = {
      {"Always", "", "start", "Always does not support manual start requests", ""},
      {"Always", "Running", "start", "VM is already running", ""},
      {"Always", "Running", "stop", "", "Halted"},
      {"Always", "Running", "restart", "", ""},
      {"Halted", "", "start", "", "Always"},
      {"Halted", "", "stop", "Halted does not support manual stop requests", ""},
      {"Halted", "", "restart", "Halted does not support manual restart requests", ""},
      {"RerunOnFailure", "", "start", "", ""},
      {"RerunOnFailure", "Failed", "start", "RerunOnFailure does not support starting VM from failed state", ""},
      {"RerunOnFailure", "", "stop", "VM is not running", ""},
      {"RerunOnFailure", "Running", "stop", "", ""},
      {"Manual", "", "start", "", ""},
      {"Manual", "", "stop", "VM is not running", ""},
      {"Manual", "Running", "restart", "", ""},
      {"Once", "", "start", "Once does not support manual start requests", ""},
      {"Once", "Running", "stop", "", "Halted"},
      {"Once", "Running", "restart", "Once does not support manual restart requests", ""},
  };
  for (const auto& r : rows) {
    INFO(r.action << " on " << r.strategy << " with VMI phase '" << r.vmi_phase << "'");
    const auto vm = vm_with(r.strategy);
    const auto vmi = vmi_in(r.vmi_phase);
    const auto result = virtctl(r.action, vm, std::string(r.vmi_phase).empty() ? nullptr : &vmi);
    CHECK(result.error == r.error);
    CHECK(result.new_run_strategy.value_or("") == r.new_strategy);
  }
}

TEST_CASE("restart asks to stop this VMI and start a new one") {
  const auto vm = vm_with("Manual");
  const auto vmi = vmi_in("Running");
  const auto result = virtctl("restart", vm, &vmi);
  REQUIRE(result.requests.size() == 2);
  CHECK(result.requests[0].action == "Stop");
  CHECK(result.requests[0].uid == "uid-1");
  CHECK(result.requests[1].action == "Start");
}

TEST_CASE("printableStatus takes the first match in upstream's order") {
  auto vm = vm_with("Always");
  CHECK(printable_status(vm, nullptr, false) == "Stopped");
  CHECK(printable_status(vm, nullptr, true) == "Starting");
  for (const char* phase : {"Pending", "Scheduling", "Scheduled"}) {
    const auto vmi = vmi_in(phase);
    CHECK(printable_status(vm, &vmi, false) == "Starting");
  }
  const auto running = vmi_in("Running");
  CHECK(printable_status(vm, &running, false) == "Running");
  const auto stopping = vmi_in("Running", true);
  CHECK(printable_status(vm, &stopping, false) == "Stopping");
  const auto done = vmi_in("Succeeded", true);
  CHECK(printable_status(vm, &done, false) == "Stopped");
  auto paused = vmi_in("Running");
  paused.status.conditions.push_back({"Paused", "True", "", ""});
  CHECK(printable_status(vm, &paused, false) == "Paused");
  auto unschedulable = vmi_in("Scheduling");
  unschedulable.status.conditions.push_back({"PodScheduled", "False", "Unschedulable", "0/6 nodes are available"});
  CHECK(printable_status(vm, &unschedulable, false) == "ErrorUnschedulable");
  vm.metadata.deletionTimestamp = models::Timestamp{5};
  CHECK(printable_status(vm, &running, false) == "Terminating");
}
