// Live migration decisions as tables: virt-api's admission, the migration
// controller's phase steps, the parallel-migration limits, and the pre-copy model.
#include <catch2/catch.hpp>

#include "sim/kubevirt/migration_plan.hpp"

using namespace kvsim;
using namespace kvsim::sim::kubevirt;
using models::Json;

namespace {

models::VirtualMachineInstanceMigration vmim(const std::string& phase, const std::string& uid = "mig-uid") {
  models::VirtualMachineInstanceMigration m;
  m.metadata.name = "migration-job";
  m.metadata.namespace_ = "default";
  m.metadata.uid = uid;
  m.metadata.finalizers = {kMigrationFinalizer};
  m.spec.vmiName = "vmi-migratable";
  m.status.phase = phase;
  return m;
}

models::VirtualMachineInstance running_vmi(const Json& state = Json()) {
  models::VirtualMachineInstance v;
  v.metadata.name = "vmi-migratable";
  v.metadata.namespace_ = "default";
  v.status.phase = "Running";
  v.status.nodeName = "worker-1";
  v.status.conditions.push_back({"LiveMigratable", "True", "", ""});
  v.status.migrationState = state;
  return v;
}

models::Pod target(const std::string& phase, bool compute_running) {
  models::Pod p;
  p.metadata.name = "virt-launcher-vmi-migratable-abcde";
  p.spec.nodeName = "worker-2";
  p.status.phase = phase;
  models::ContainerStatus cs;
  cs.name = "compute";
  if (compute_running) cs.state.running = models::ContainerStateRunning{};
  p.status.containerStatuses.push_back(cs);
  return p;
}

// `base` with the keys of `extra` set.
Json with(Json base, const Json& extra) {
  base.update(extra);
  return base;
}

}  // namespace

TEST_CASE("virt-api admits a migration only of an existing, unfinished, migratable, idle VMI") {
  const auto m = vmim("");
  CHECK(admit_migration(m, nullptr, {}) == "the VMI \"default/vmi-migratable\" does not exist");
  auto done = running_vmi();
  done.status.phase = "Succeeded";
  CHECK(admit_migration(m, &done, {}) == "Cannot migrate VMI in finalized state.");
  auto rwo = running_vmi();
  rwo.status.conditions = {{"LiveMigratable", "False", "DisksNotLiveMigratable",
                            "cannot migrate VMI: PVC disk is not shared, live migration requires that all PVCs must be "
                            "shared (using ReadWriteMany access mode)"}};
  CHECK(admit_migration(m, &rwo, {}) ==
        "Cannot migrate VMI, Reason: DisksNotLiveMigratable, Message: cannot migrate VMI: PVC disk is not shared, live "
        "migration requires that all PVCs must be shared (using ReadWriteMany access mode)");
  const auto vmi = running_vmi();
  const auto busy = vmim("Running", "other-uid");
  CHECK(admit_migration(m, &vmi, {&busy}) ==
        "in-flight migration detected. Active migration job (other-uid) is currently already in progress for VMI "
        "vmi-migratable.");
  const auto finished = vmim("Succeeded", "old-uid");
  CHECK(admit_migration(m, &vmi, {&finished}).empty());
}

TEST_CASE("the migration limits are 5 in the cluster and 2 out of one node") {
  const MigrationLimits limits{5, 2};
  CHECK(migration_slot({}, "a", limits).empty());
  CHECK(migration_slot({"a"}, "a", limits).empty());
  CHECK(migration_slot({"a", "a"}, "a", limits) == "2 outbound migrations from a (parallelOutboundMigrationsPerNode 2)");
  CHECK(migration_slot({"a", "a"}, "b", limits).empty());
  CHECK(migration_slot({"a", "b", "c", "d", "e"}, "f", limits) ==
        "5 migrations in flight (parallelMigrationsPerCluster 5)");
}

TEST_CASE("the migration controller walks the phases from Pending to Succeeded") {
  const auto state = Json{{"migrationUid", "mig-uid"}, {"sourceNode", "worker-1"}, {"sourcePod", "src"},
                          {"targetNode", "worker-2"}, {"targetPod", "virt-launcher-vmi-migratable-abcde"}};
  struct Row {
    std::string phase;
    Json state;
    std::string target_phase;  // "" = no target pod
    bool compute_running;
    bool slot_free;
    std::string next;          // phase written ("" = unchanged)
    bool create_pod, handoff;
  };
  const Row rows[] = {
      {"", Json(), "", false, true, "Pending", false, false},
      {"Pending", Json(), "", false, false, "", false, false},            // waits for a slot
      {"Pending", Json(), "", false, true, "Scheduling", true, false},
      {"Scheduling", Json(), "Pending", false, true, "", false, false},   // target pod not running yet
      {"Scheduling", Json(), "Running", true, true, "Scheduled", false, false},
      {"Scheduled", Json(), "Running", true, true, "PreparingTarget", false, true},
      {"PreparingTarget", state, "Running", true, true, "", false, false},
      {"PreparingTarget", with(state, Json{{"targetNodeAddress", "192.168.0.12"}}), "Running", true, true,
       "TargetReady", false, false},
      {"TargetReady", with(state, Json{{"targetNodeAddress", "x"}, {"startTimestamp", "t"}}), "Running", true,
       true, "Running", false, false},
      {"Running", with(state, Json{{"startTimestamp", "t"}, {"completed", true}}), "Running", true, true, "",
       false, false},  // completed, but the VMI still points at the source
  };
  for (const auto& r : rows) {
    INFO(r.phase << " -> " << r.next);
    const auto m = vmim(r.phase);
    const auto vmi = running_vmi(r.state);
    const auto pod = target(r.target_phase, r.compute_running);
    MigrationObserved o{&m, &vmi, r.target_phase.empty() ? nullptr : &pod, r.slot_free, "full", 10, 300};
    const auto step = plan_migration(o);
    CHECK(step.phase == r.next);
    CHECK(step.create_target_pod == r.create_pod);
    CHECK(step.handoff == r.handoff);
  }
  // The target virt-handler has taken the VMI: Succeeded. The source pod is left to its exit
  // (Completed), as upstream's migration controller never deletes it.
  const auto m = vmim("Running");
  auto vmi = running_vmi(with(state, Json{{"completed", true}}));
  vmi.status.nodeName = "worker-2";
  const auto pod = target("Running", true);
  const auto step = plan_migration({&m, &vmi, &pod, true, {}, 10, 300});
  CHECK(step.phase == "Succeeded");
  CHECK_FALSE(step.delete_target_pod);
}

TEST_CASE("a migration fails on a transfer failure, a lost target pod or cancellation, and settles") {
  const auto state = Json{{"migrationUid", "mig-uid"}, {"sourceNode", "worker-1"}, {"targetNode", "worker-2"},
                          {"startTimestamp", "t"}};
  const auto pod = target("Running", true);
  SECTION("the source reports the transfer failed") {
    const auto m = vmim("Running");
    const auto vmi = running_vmi(with(state, Json{{"failed", true}, {"failureReason", "lost"}}));
    const auto step = plan_migration({&m, &vmi, &pod, true, {}, 10, 300});
    CHECK(step.phase == "Failed");
    CHECK(step.delete_target_pod);
  }
  SECTION("the target pod disappears") {
    const auto m = vmim("PreparingTarget");
    const auto vmi = running_vmi(state);
    CHECK(plan_migration({&m, &vmi, nullptr, true, {}, 10, 300}).phase == "Failed");
  }
  SECTION("deleted while sending: abort requested, then Failed once the source says so") {
    auto m = vmim("Running");
    m.metadata.deletionTimestamp = models::Timestamp{5};
    const auto vmi = running_vmi(state);
    const auto step = plan_migration({&m, &vmi, &pod, true, {}, 10, 300});
    CHECK(step.request_abort);
    CHECK(step.phase.empty());
    const auto aborted = running_vmi(with(state, Json{{"failed", true}, {"abortRequested", true}}));
    CHECK(plan_migration({&m, &aborted, &pod, true, {}, 10, 300}).phase == "Failed");
  }
  SECTION("deleted before sending: Failed at once") {
    auto m = vmim("Scheduling");
    m.metadata.deletionTimestamp = models::Timestamp{5};
    const auto vmi = running_vmi();
    const auto step = plan_migration({&m, &vmi, &pod, true, {}, 10, 300});
    CHECK(step.phase == "Failed");
    CHECK(step.delete_target_pod);
  }
  SECTION("a final migration drops its finalizer") {
    const auto m = vmim("Failed");
    const auto vmi = running_vmi();
    const auto step = plan_migration({&m, &vmi, nullptr, true, {}, 10, 300});
    CHECK(step.remove_finalizer);
    CHECK(step.phase.empty());
  }
  SECTION("an unschedulable target pod is given up after the pending timeout") {
    const auto m = vmim("Scheduling");
    const auto vmi = running_vmi();
    auto stuck = target("Pending", false);
    stuck.status.conditions.push_back({"PodScheduled", "False", "Unschedulable", "0/6 nodes are available",
                                       models::Timestamp{100}});
    const auto waiting = plan_migration({&m, &vmi, &stuck, true, {}, 250, 300});
    CHECK(waiting.phase.empty());
    CHECK(waiting.requeue_after == Approx(150));
    const auto given_up = plan_migration({&m, &vmi, &stuck, true, {}, 400, 300});
    CHECK(given_up.phase == "Failed");
    CHECK(given_up.delete_target_pod);
  }
}

TEST_CASE("pre-copy sends the memory, then what the guest dirtied, until the rest fits the downtime") {
  const double gib = 1024.0 * 1024 * 1024;
  SECTION("1 GiB at 1.25 GB/s with 16 MiB/s dirtied needs one pass and a stop-and-copy") {
    PrecopyParams p{gib, 16.0 * 1024 * 1024, 1.25e9, 0.3};
    const auto e = estimate_precopy(p);
    REQUIRE(e.converges);
    REQUIRE(e.rounds.size() == 2);
    CHECK(e.rounds[0].seconds == Approx(gib / 1.25e9));
    // 0.859 s of dirtying: 14.4 MB, under the 375 MB the downtime allows: stop-and-copy.
    CHECK(e.rounds[1].bytes == Approx(16.0 * 1024 * 1024 * gib / 1.25e9));
    CHECK(e.seconds == Approx(gib / 1.25e9 + e.rounds[1].bytes / 1.25e9));
  }
  SECTION("a guest dirtying half the bandwidth needs more rounds") {
    PrecopyParams p{4 * gib, 64e6, 128e6, 0.3};
    const auto e = estimate_precopy(p);
    REQUIRE(e.converges);
    // Each round halves: 4 GiB, 2 GiB, ... down to <= 38.4 MB.
    CHECK(e.rounds.size() == 8);
    CHECK(e.rounds[1].bytes == Approx(2 * gib));
  }
  SECTION("a guest dirtying faster than the link never converges") {
    PrecopyParams p{gib, 200e6, 100e6, 0.3};
    const auto e = estimate_precopy(p, 20);
    CHECK_FALSE(e.converges);
    CHECK(e.rounds.back().bytes == Approx(gib));  // never less than the whole memory again
  }
}

TEST_CASE("the migration monitor aborts on the completion and progress timeouts") {
  const double gib = 1024.0 * 1024 * 1024;
  const MigrationTimeouts t{150, 150};
  // 2Gi is 2.15 GB, counted as 3: 450 s.
  CHECK(completion_timeout(150, 2 * gib) == 450);
  CHECK(completion_timeout(150, 128.0 * 1024 * 1024) == 150);
  CHECK(migration_timeout(t, 2 * gib, 449, 0).empty());
  CHECK(migration_timeout(t, 2 * gib, 450.5, 0) == "Live migration is not completed after 450 sec and has been aborted");
  CHECK(migration_timeout(t, 2 * gib, 100, 150).empty());
  CHECK(migration_timeout(t, 2 * gib, 200, 150.1) == "Live migration stuck for 150 sec and has been aborted");
}
