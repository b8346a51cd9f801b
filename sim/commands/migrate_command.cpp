#include "sim/commands/migrate_command.hpp"

#include <fmt/format.h>

#include "models/kubevirt.hpp"
#include "sim/commands/flags.hpp"
#include "sim/commands/in_process_kubevirt_api.hpp"
#include "sim/kubevirt/migration_plan.hpp"
#include "sim/kubevirt/virt_api.hpp"

namespace kvsim::sim::commands {

using models::VirtualMachine;
using models::VirtualMachineInstance;
using models::VirtualMachineInstanceMigration;

Outcome migrate_command(cluster::Cluster& cluster, const std::vector<std::string>& args) {
  Flags f = parse_flags(args);
  if (!f.error.empty()) return {{}, "error: " + f.error};
  if (f.positional.size() != 1) return {{}, "error: usage: migrate VM [-n NS]   (virtctl migrate; a stand-alone VMI's name also works)"};
  std::string name = f.positional[0];
  if (auto slash = name.find('/'); slash != std::string::npos) name = name.substr(slash + 1);  // vm/NAME, vmi/NAME
  auto& store = cluster.store();
  auto vmi = store.get<VirtualMachineInstance>(f.ns, name);
  if (store.get<VirtualMachine>(f.ns, name) || !vmi) {
    // virtctl migrate VM: virt-api's migrate subresource (the same code `kvsim virtctl` runs).
    std::vector<std::string> rest = {name, "-n", f.ns};
    if (f.has("dry-run")) rest.push_back("--dry-run");
    return virtctl_verb(cluster, "migrate", rest);
  }
  // kvsim's extension: a stand-alone VMI is migrated by creating its migration object directly,
  // as `oc create -f vmim.yaml` does (virtctl only takes VMs).
  if (!kubevirt::virt_api_serving(store))
    return {{}, fmt::format("Error migrating VirtualMachineInstance the server is currently unable to handle the request "
                            "(post virtualmachineinstancemigrations.kubevirt.io)")};
  if (vmi->status.phase != "Running")
    return {{}, fmt::format("Error migrating VirtualMachineInstance Operation cannot be fulfilled on "
                            "virtualmachineinstance.kubevirt.io \"{}\": VM is not running",
                            name)};
  auto m = std::make_shared<VirtualMachineInstanceMigration>();
  m->apiVersion = "kubevirt.io/v1";
  m->kind = "VirtualMachineInstanceMigration";
  m->metadata.namespace_ = f.ns;
  m->metadata.generateName = "kubevirt-migrate-vm-";
  m->spec.vmiName = name;
  auto r = store.create(m, api::Cause{"virt-api", "created", "virtctl migrate " + name});
  if (!r.ok()) return {{}, fmt::format("Error migrating VirtualMachineInstance Internal error occurred: {}", r.error)};
  return {fmt::format("VMI {} was scheduled to migrate\n", name), {}};
}

Outcome migrate_cancel_command(cluster::Cluster& cluster, const std::vector<std::string>& args) {
  Flags f = parse_flags(args);
  if (!f.error.empty()) return {{}, "error: " + f.error};
  if (f.positional.size() != 1) return {{}, "error: usage: migrate-cancel VM [-n NS]"};
  std::string name = f.positional[0];
  if (auto slash = name.find('/'); slash != std::string::npos) name = name.substr(slash + 1);
  auto& store = cluster.store();
  // virtctl lists the VMI's migrations by label and deletes the one still active.
  const models::LabelSelector selector{{{kubevirt::kMigrationSelectorLabel, name}}, {}};
  for (const auto& o : store.list(VirtualMachineInstanceMigration::kind_info(), f.ns, &selector)) {
    const auto& m = static_cast<const VirtualMachineInstanceMigration&>(*o);
    if (kubevirt::migration_final(m)) continue;
    auto r = store.remove(VirtualMachineInstanceMigration::kind_info(), f.ns, m.metadata.name,
                          api::Cause{"virtctl", "", "virtctl migrate-cancel " + name});
    if (!r.ok())
      return {{}, fmt::format("Error canceling migration {} of a VirtualMachine {}: {}", m.metadata.name, name, r.error)};
    return {fmt::format("VM {} was scheduled to migrate-cancel\n", name), {}};
  }
  return {{}, fmt::format("Found no migration to cancel for {}", name)};
}

}  // namespace kvsim::sim::commands
