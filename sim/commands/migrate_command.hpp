#pragma once
// virtctl migrate: `migrate NAME [-n NS]` asks virt-api's VM subresource to
// create a VirtualMachineInstanceMigration (generateName kubevirt-migrate-vm-)
// for the VM's VMI; virt-api refuses a VM that is not running, and its
// migration webhook refuses a VMI that cannot migrate or is already migrating.
// kvsim also accepts a stand-alone VMI's name (upstream virtctl only takes VMs).
#include <string>
#include <vector>

#include "sim/cluster/cluster.hpp"
#include "sim/commands/executor.hpp"

namespace kvsim::sim::commands {

Outcome migrate_command(cluster::Cluster& cluster, const std::vector<std::string>& args);
// virtctl migrate-cancel: `migrate-cancel NAME [-n NS]` deletes the VMI's active
// migration (the one not yet Succeeded or Failed), which aborts it.
Outcome migrate_cancel_command(cluster::Cluster& cluster, const std::vector<std::string>& args);

}  // namespace kvsim::sim::commands
