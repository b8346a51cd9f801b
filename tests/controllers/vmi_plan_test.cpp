// virt-controller's VMI decisions as a table (FIDELITY.md §2): VMI + launcher pod -> phase, pod action.
#include <catch2/catch.hpp>

#include "sim/kubevirt/vmi_plan.hpp"

using namespace kvsim;

namespace {

models::Pod pod_in(const std::string& phase, bool compute_running) {
  models::Pod pod;
  pod.metadata.name = "virt-launcher-vm1-abcde";
  pod.spec.nodeName = "worker-1";
  pod.status.phase = phase;
  models::ContainerStatus cs;
  cs.name = "compute";
  if (compute_running) cs.state.running = models::ContainerStateRunning{};
  pod.status.containerStatuses.push_back(cs);
  return pod;
}

}  // namespace

TEST_CASE("the VMI phase follows its launcher pod") {
  struct Row {
    const char* vmi_phase;
    const char* pod_phase;  // "" = no pod
    bool compute_running;
    bool deleting;
    const char* next_phase;  // "" = unchanged
    bool create_pod;
  };
  const Row rows[] = {
      {"", "", false, false, "Pending", true},
      {"Pending", "", false, false, "", true},
      {"Pending", "Pending", false, false, "Scheduling", false},
      {"Scheduling", "Pending", false, false, "", false},
      {"Scheduling", "Running", true, false, "Scheduled", false},
      {"Scheduling", "", false, false, "Failed", false},
      {"Scheduling", "Failed", false, false, "Failed", false},
      {"Scheduled", "", false, false, "Failed", false},
      {"Running", "", false, false, "Failed", false},
      {"Running", "Running", true, false, "", false},
      {"Pending", "", false, true, "Failed", false},
      {"Running", "Running", true, true, "", false},  // virt-handler shuts the domain down
  };
  for (const auto& r : rows) {
    INFO("VMI '" << r.vmi_phase << "', pod '" << r.pod_phase << "', deleting " << r.deleting);
    models::VirtualMachineInstance vmi;
    vmi.status.phase = r.vmi_phase;
    if (r.deleting) vmi.metadata.deletionTimestamp = models::Timestamp{1};
    const auto pod = pod_in(r.pod_phase, r.compute_running);
    const auto plan = sim::kubevirt::plan_vmi(vmi, std::string(r.pod_phase).empty() ? nullptr : &pod);
    CHECK(plan.phase == r.next_phase);
    CHECK(plan.create_pod == r.create_pod);
    if (std::string(r.next_phase) == "Scheduled") CHECK(plan.node == "worker-1");
  }
}

TEST_CASE("a final VMI deletes its pod, then drops its finalizer once the pod is gone") {
  models::VirtualMachineInstance vmi;
  vmi.status.phase = "Succeeded";
  vmi.metadata.finalizers = {sim::kubevirt::kVmiFinalizer};
  const auto pod = pod_in("Running", true);
  auto plan = sim::kubevirt::plan_vmi(vmi, &pod);
  CHECK(plan.delete_pod);
  CHECK_FALSE(plan.remove_finalizer);
  plan = sim::kubevirt::plan_vmi(vmi, nullptr);
  CHECK_FALSE(plan.delete_pod);
  CHECK(plan.remove_finalizer);
}
