#include "sim/kubevirt/subresources/vm_requests.hpp"

#include "models/kubevirt.hpp"
#include "models/pod.hpp"
#include "sim/kubevirt/subresources/request_options.hpp"
#include "sim/kubevirt/vm_plan.hpp"

namespace kvsim::sim::kubevirt::subresources {
namespace {

using models::VirtualMachine;
using models::VirtualMachineInstance;

// virt-api's answer to a refused decision: a 409 Conflict, or a 500 when the
// state change requests cannot be added (getChangeRequestJson's error).
Answer refused(const VirtctlResult& r, const std::string& name) {
  return r.internal ? internal_error(r.error) : conflict("virtualmachine", name, r.error);
}

// Writes the decision onto the VM: the field the VM uses for its run strategy
// (spec.running when set, else spec.runStrategy), and the state change requests.
Answer write_decision(api::Store& store, const VirtualMachine& vm, const VirtctlResult& r, const std::string& action) {
  auto next = std::static_pointer_cast<VirtualMachine>(vm.clone());
  next->metadata.resourceVersion.clear();
  bool spec_change = false;
  std::string change = action + " requested";
  if (r.new_run_strategy) {
    if (next->spec.running) next->spec.running = *r.new_run_strategy == "Always";
    else next->spec.runStrategy = r.new_run_strategy;
    spec_change = true;
    change = "runStrategy " + vm.run_strategy() + " -> " + *r.new_run_strategy;
  }
  next->status.stateChangeRequests = r.requests;
  if (r.clear_start_failure) next->status.startFailure.reset();
  auto w = store.update(next, api::Cause{"virtctl", change, "virtctl " + action + " " + vm.metadata.name}, spec_change);
  if (!w.ok()) return internal_error(w.error);
  return accepted();
}

// The running launcher pod of a VMI (subresource.go findPod): after a completed
// migration the target's, else the first.
std::string launcher_pod(const api::Store& store, const VirtualMachineInstance& vmi) {
  const models::LabelSelector selector{
      {{"kubevirt.io", "virt-launcher"}, {"kubevirt.io/created-by", vmi.metadata.uid}}, {}};
  std::vector<std::string> running;
  for (const auto& o : store.list(models::Pod::kind_info(), vmi.metadata.namespace_, &selector))
    if (static_cast<const models::Pod&>(*o).status.phase == "Running") running.push_back(o->metadata.name);
  if (running.size() <= 1) return running.empty() ? std::string() : running.front();
  const auto& ms = vmi.status.migrationState;
  if (ms.is_object() && ms.value("completed", false)) {
    const std::string target = ms.value("targetPod", std::string());
    for (const auto& p : running)
      if (p == target) return p;
    return {};
  }
  return running.front();
}

}  // namespace

Answer start_vm(api::Store& store, const std::string& ns, const std::string& name, const std::string& body) {
  auto vm = store.get<VirtualMachine>(ns, name);
  if (!vm) return not_found("virtualmachine", name);
  auto vmi = store.get<VirtualMachineInstance>(ns, name);
  if (vmi && !vmi->is_final() && vmi->status.phase != "Unknown" && !vmi->status.phase.empty())
    return conflict("virtualmachine", name, "VM is already running");
  // The body is read after those checks, as virt-api does.
  std::string error;
  auto options = decode_options("StartOptions", body, error);
  if (!options) return bad_request(error);
  const auto r = virtctl("start", *vm, vmi.get(), VirtctlOptions{options->paused, std::nullopt});
  if (!r.error.empty()) return refused(r, name);
  if (options->dry_run) return accepted();
  return write_decision(store, *vm, r, "start");
}

Answer stop_vm(api::Store& store, const std::string& ns, const std::string& name, const std::string& body) {
  std::string error;
  auto options = decode_options("StopOptions", body, error);
  if (!options) return bad_request(error);
  auto vm = store.get<VirtualMachine>(ns, name);
  if (!vm) return not_found("virtualmachine", name);
  auto vmi = store.get<VirtualMachineInstance>(ns, name);
  const auto r = virtctl("stop", *vm, vmi.get(), VirtctlOptions{false, options->grace_period});
  if (r.vmi_grace && !options->dry_run) {
    // Patched before the run strategy is even looked at (and kept if the stop is then refused).
    auto next = std::static_pointer_cast<VirtualMachineInstance>(vmi->clone());
    next->metadata.resourceVersion.clear();
    next->spec.terminationGracePeriodSeconds = *r.vmi_grace;
    auto w = store.update(next,
                          api::Cause{"virt-api", "terminationGracePeriodSeconds -> " + std::to_string(*r.vmi_grace),
                                     "virtctl stop " + name + " --grace-period " + std::to_string(*r.vmi_grace)},
                          true);
    if (!w.ok()) return internal_error(w.error);
  }
  if (!r.error.empty()) return refused(r, name);
  if (options->dry_run) return accepted();
  return write_decision(store, *vm, r, "stop");
}

Answer restart_vm(api::Store& store, const std::string& ns, const std::string& name, const std::string& body) {
  std::string error;
  auto options = decode_options("RestartOptions", body, error);
  if (!options) return bad_request(error);
  if (options->grace_period && *options->grace_period > 0)
    return bad_request("For force restart, only gracePeriod=0 is supported for now");
  if (options->grace_period && *options->grace_period < 0) return bad_request("gracePeriod has to be greater or equal to 0");
  auto vm = store.get<VirtualMachine>(ns, name);
  if (!vm) return not_found("virtualmachine", name);
  auto vmi = store.get<VirtualMachineInstance>(ns, name);
  const auto r = virtctl("restart", *vm, vmi.get());
  if (!r.error.empty()) return refused(r, name);
  if (options->dry_run) return accepted();
  auto written = write_decision(store, *vm, r, "restart");
  if (!written.ok() || !options->grace_period) return written;
  // CRDs know no grace period on delete: virt-api deletes the launcher pod with 1 s instead.
  const std::string pod = launcher_pod(store, *vmi);
  if (pod.empty()) return accepted();
  api::DeleteOptions del;
  del.grace_seconds = 1;
  auto w = store.remove(models::Pod::kind_info(), ns, pod,
                        api::Cause{"virt-api", "", "virtctl restart " + name + " --grace-period 0 --force"}, del);
  if (!w.ok() && w.code != 404) return internal_error(w.error);
  return accepted();
}

Answer migrate_vm(api::Store& store, const std::string& ns, const std::string& name, const std::string& body) {
  std::string error;
  auto options = decode_options("MigrateOptions", body, error);
  if (!options) return bad_request(error);
  if (!store.get<VirtualMachine>(ns, name)) return not_found("virtualmachine", name);
  auto vmi = store.get<VirtualMachineInstance>(ns, name);
  if (!vmi) return not_found("virtualmachineinstance", name);
  if (vmi->status.phase != "Running") return conflict("virtualmachine", name, "VM is not running");
  if (options->dry_run) return accepted();
  auto m = std::make_shared<models::VirtualMachineInstanceMigration>();
  m->apiVersion = "kubevirt.io/v1";
  m->kind = "VirtualMachineInstanceMigration";
  m->metadata.namespace_ = ns;
  m->metadata.generateName = "kubevirt-migrate-vm-";
  m->spec.vmiName = name;
  // virt-api wraps what the API server answered (a webhook's refusal...) in an InternalError.
  auto r = store.create(m, api::Cause{"virt-api", "created", "virtctl migrate " + name});
  if (!r.ok()) return internal_error(r.error);
  return accepted();
}

}  // namespace kvsim::sim::kubevirt::subresources
