// The migration controller's index of in-flight and pending migrations (MigrationIndex) against
// a full rescan of the store: on random sequences of creates, phase changes, deletions marked
// and removals, both name the same migrations, in the same order, after every change.
#include <catch2/catch.hpp>

#include <set>

#include "models/core.hpp"
#include "models/kubevirt.hpp"
#include "sim/api/store.hpp"
#include "sim/engine/rng.hpp"
#include "sim/engine/trace.hpp"
#include "sim/kubevirt/migration_index.hpp"
#include "sim/kubevirt/migration_plan.hpp"

using namespace kvsim;
using models::VirtualMachineInstanceMigration;

namespace {

std::shared_ptr<models::Object> a_namespace(const std::string& name) {
  auto ns = std::make_shared<models::Namespace>();
  ns->apiVersion = "v1";
  ns->kind = "Namespace";
  ns->metadata.name = name;
  return ns;
}

// What the controller listed before the index: every migration, kept by phase.
void rescan(const sim::api::Store& store, std::set<sim::api::Key>& in_flight, std::set<sim::api::Key>& pending) {
  for (const auto& o : store.list(VirtualMachineInstanceMigration::kind_info())) {
    const auto& m = static_cast<const VirtualMachineInstanceMigration&>(*o);
    if (sim::kubevirt::migration_in_flight(m)) in_flight.insert({m.metadata.namespace_, m.metadata.name});
    else if (m.status.phase == "Pending") pending.insert({m.metadata.namespace_, m.metadata.name});
  }
}

}  // namespace

TEST_CASE("the migration index names the in-flight and pending migrations a full rescan finds, after every change") {
  sim::engine::Rng rng(7);
  sim::engine::Trace trace;
  sim::api::Store store(rng, trace);
  const sim::api::Cause cause{"test", {}, {}};
  for (const char* ns : {"default", "other"}) REQUIRE(store.create(a_namespace(ns), cause).ok());
  // One migration there before the index: it is found at construction.
  auto first = std::make_shared<VirtualMachineInstanceMigration>();
  first->apiVersion = "kubevirt.io/v1";
  first->kind = "VirtualMachineInstanceMigration";
  first->metadata.name = "m-0";
  first->metadata.namespace_ = "default";
  first->spec.vmiName = "vmi-0";
  REQUIRE(store.create(first, cause).ok());
  REQUIRE(store.update([&] {
                         auto m = std::static_pointer_cast<VirtualMachineInstanceMigration>(
                             store.get(VirtualMachineInstanceMigration::kind_info(), "default", "m-0")->clone());
                         m->status.phase = "Running";
                         m->metadata.resourceVersion.clear();
                         return m;
                       }(),
                       cause)
              .ok());

  sim::kubevirt::MigrationIndex index(store);
  const char* phases[] = {"", "Pending", "Scheduling", "Scheduled", "PreparingTarget", "TargetReady", "Running",
                          "Succeeded", "Failed"};
  std::size_t seen_in_flight = 0, seen_pending = 0;
  for (int step = 0; step < 3000; ++step) {
    const std::string ns = rng.below(2) ? "default" : "other";
    const std::string name = "m-" + std::to_string(rng.below(15));
    auto current = store.get(VirtualMachineInstanceMigration::kind_info(), ns, name);
    const auto action = rng.below(10);
    if (!current) {
      auto m = std::make_shared<VirtualMachineInstanceMigration>();
      m->apiVersion = "kubevirt.io/v1";
      m->kind = "VirtualMachineInstanceMigration";
      m->metadata.name = name;
      m->metadata.namespace_ = ns;
      m->spec.vmiName = "vmi-" + name;
      // Some hold a finalizer, so that a delete marks them and a later update removes them.
      if (rng.below(3) == 0) m->metadata.finalizers = {"kubevirt.io/migrationJobFinalizer"};
      REQUIRE(store.create(m, cause).ok());
    } else if (action == 0) {
      store.remove(VirtualMachineInstanceMigration::kind_info(), ns, name, cause);
    } else {
      auto m = std::static_pointer_cast<VirtualMachineInstanceMigration>(current->clone());
      m->status.phase = phases[rng.below(std::size(phases))];
      if (action == 1) m->metadata.finalizers.clear();  // a marked one goes with its last finalizer
      m->metadata.resourceVersion.clear();
      store.update(m, cause);
    }
    std::set<sim::api::Key> in_flight, pending;
    rescan(store, in_flight, pending);
    REQUIRE(index.in_flight() == in_flight);
    REQUIRE(index.pending() == pending);
    seen_in_flight += in_flight.size();
    seen_pending += pending.size();
  }
  // The sequence went through both sets (the comparison above was not of empty sets only).
  CHECK(seen_in_flight > 1000);
  CHECK(seen_pending > 100);
}
