#pragma once
// virt-api's VirtualMachine subresources (pkg/virt-api/rest/subresource.go,
// KubeVirt v1.5): PUT start, stop, restart and migrate on
// /apis/subresources.kubevirt.io/v1/namespaces/NS/virtualmachines/NAME/VERB.
// Each decodes its options body, checks what virt-api checks in its order,
// and writes what virt-api writes (the VM's run strategy or its state change
// requests, the VMI's grace period, the launcher pod, a migration object).
// The API endpoint and kvsim's shell both call these: one implementation.
#include <string>

#include "sim/api/store.hpp"
#include "sim/kubevirt/subresources/answer.hpp"

namespace kvsim::sim::kubevirt::subresources {

// StartOptions {paused, dryRun}: 202, or 404/409/400/500.
Answer start_vm(api::Store& store, const std::string& ns, const std::string& name, const std::string& body);
// StopOptions {gracePeriod, dryRun}. A grace period first shortens the running
// VMI's terminationGracePeriodSeconds (0: virt-handler destroys the domain at once).
Answer stop_vm(api::Store& store, const std::string& ns, const std::string& name, const std::string& body);
// RestartOptions {gracePeriodSeconds (only 0), dryRun}. 0 also deletes the
// launcher pod with a 1 s grace period, for a swift restart.
Answer restart_vm(api::Store& store, const std::string& ns, const std::string& name, const std::string& body);
// MigrateOptions {dryRun}: creates a VirtualMachineInstanceMigration
// (generateName kubevirt-migrate-vm-) for the VM's running VMI.
Answer migrate_vm(api::Store& store, const std::string& ns, const std::string& name, const std::string& body);

}  // namespace kvsim::sim::kubevirt::subresources
