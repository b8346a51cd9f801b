#include "sim/kubevirt/migration_index.hpp"

#include "models/kubevirt.hpp"
#include "sim/kubevirt/migration_plan.hpp"

namespace kvsim::sim::kubevirt {

using models::VirtualMachineInstanceMigration;

MigrationIndex::MigrationIndex(api::Store& store) : store_(store) {
  for (const auto& o : store_.list(VirtualMachineInstanceMigration::kind_info())) place(*o);
  listener_ = store_.add_change_listener([this](const api::WatchEvent& e) { observe(e); });
}

MigrationIndex::~MigrationIndex() { store_.remove_change_listener(listener_); }

void MigrationIndex::observe(const api::WatchEvent& e) {
  if (e.object->kind != "VirtualMachineInstanceMigration") return;
  const api::Key key{e.object->metadata.namespace_, e.object->metadata.name};
  in_flight_.erase(key);
  pending_.erase(key);
  // The stored state, not the event's: a write nested in another's notification reaches the
  // listeners before the outer one does.
  if (auto now = store_.get(VirtualMachineInstanceMigration::kind_info(), key.ns, key.name)) place(*now);
}

void MigrationIndex::place(const models::Object& o) {
  const auto& m = static_cast<const VirtualMachineInstanceMigration&>(o);
  const api::Key key{m.metadata.namespace_, m.metadata.name};
  if (migration_in_flight(m)) in_flight_.insert(key);
  else if (m.status.phase == "Pending") pending_.insert(key);
}

}  // namespace kvsim::sim::kubevirt
