#pragma once
// Live migration decisions, pure (FIDELITY.md §7; upstream
// pkg/virt-controller/watch/migration, pkg/virt-api/.../migration-create-admitter.go,
// pkg/virt-launcher/virtwrap/live-migration-source.go):
//  - virt-api's admission of a new VirtualMachineInstanceMigration;
//  - the migration controller's next step for one VMIM, from the VMIM, its VMI and
//    its target pod: Pending -> Scheduling -> Scheduled -> PreparingTarget ->
//    TargetReady -> Running -> Succeeded | Failed;
//  - the cluster and per-node limits on migrations in flight;
//  - the pre-copy model: RAM, then the pages dirtied meanwhile, round after round,
//    until the rest fits in the allowed downtime (stop-and-copy), or a timeout aborts.
#include <optional>
#include <string>
#include <vector>

#include "models/kubevirt.hpp"

namespace kvsim::sim::kubevirt {

inline constexpr const char* kMigrationFinalizer = "kubevirt.io/migrationJobFinalize";
inline constexpr const char* kMigrationSelectorLabel = "kubevirt.io/vmi-name";        // on the VMIM
inline constexpr const char* kMigrationJobLabel = "kubevirt.io/migrationJobUID";      // on the target pod
inline constexpr const char* kMigrationJobNameAnnotation = "kubevirt.io/migrationJobName";
inline constexpr const char* kMigrationTargetNodeLabel = "kubevirt.io/migrationTargetNodeName";  // on the VMI
inline constexpr const char* kDirtyRateAnnotation = "kvsim.io/memory-dirty-rate";  // per second, a quantity

bool migration_final(const models::VirtualMachineInstanceMigration& m);
// Phases between Pending and the end: the migration holds a slot of the limits.
bool migration_in_flight(const models::VirtualMachineInstanceMigration& m);

// --- Admission (virt-api) ------------------------------------------------------------
// `others`: the VMIMs of the namespace labelled for the same VMI. Returns the denial
// message ("" = admitted), worded as upstream's migration-create admitter.
std::string admit_migration(const models::VirtualMachineInstanceMigration& m, const models::VirtualMachineInstance* vmi,
                            const std::vector<const models::VirtualMachineInstanceMigration*>& others);

// --- Limits ---------------------------------------------------------------------------
struct MigrationLimits {
  int per_cluster = 5;
  int outbound_per_node = 2;
};
// Whether one more migration out of `source_node` may start, given the source nodes of
// the migrations in flight; "" when it may, else why it waits.
std::string migration_slot(const std::vector<std::string>& in_flight_sources, const std::string& source_node,
                           const MigrationLimits& limits);

// --- The controller's step --------------------------------------------------------------
struct MigrationObserved {
  const models::VirtualMachineInstanceMigration* vmim = nullptr;
  const models::VirtualMachineInstance* vmi = nullptr;
  const models::Pod* target_pod = nullptr;  // the pod labelled with the VMIM's UID
  bool slot_free = false;                   // migration_slot said yes
  std::string slot_wait;                    // else why not
  double now = 0;
  double pending_timeout = 300;             // target pod unschedulable this long -> Failed
};

struct MigrationStep {
  std::string phase;              // to write ("" = unchanged)
  bool create_target_pod = false;
  bool delete_target_pod = false;
  bool handoff = false;           // write the VMI's migrationState: source/target node and pod
  bool request_abort = false;     // set migrationState.abortRequested (deleted while Running)
  bool remove_finalizer = false;  // the VMIM may go (deleted and settled)
  double requeue_after = 0;
  std::string why;
};

MigrationStep plan_migration(const MigrationObserved& o);

// --- Pre-copy ---------------------------------------------------------------------------
struct PrecopyParams {
  double memory_bytes = 0;
  double dirty_rate = 0;       // bytes per second the guest dirties
  double bandwidth = 0;        // bytes per second on the path (after any per-migration cap)
  double max_downtime = 0.3;   // seconds the guest may stay paused for the last copy
};

// The bytes of the next round after a round that took `round_seconds`: what the guest
// dirtied meanwhile, never more than its memory.
double next_round_bytes(const PrecopyParams& p, double round_seconds);
// The rest fits in the downtime: the next round is the stop-and-copy.
bool fits_downtime(const PrecopyParams& p, double bytes);

struct PrecopyRound {
  double bytes = 0;
  double seconds = 0;
};
struct PrecopyEstimate {
  std::vector<PrecopyRound> rounds;  // the last one is the stop-and-copy when it converges
  double seconds = 0;                // total transfer time
  bool converges = false;
};
// The rounds on an uncontended path (the live migration measures each round over
// SimGrid, so contention stretches them); stops after `max_rounds` if it never converges.
PrecopyEstimate estimate_precopy(const PrecopyParams& p, int max_rounds = 1000);

// The monitor's verdict ("" = go on): the completion timeout and the progress timeout
// (no new low of the remaining data for that long).
struct MigrationTimeouts {
  double completion_per_gib = 150;
  double progress = 150;
};
std::string migration_timeout(const MigrationTimeouts& t, double memory_bytes, double elapsed, double since_progress);
// The completion timeout: completionTimeoutPerGiB times the data to move counted as
// upstream's getVMIMigrationDataSize does, memory.ScaledValue(Giga): whole decimal GB,
// rounded up (1Gi counts 2). Ephemeral disks of a block migration are not counted here.
double completion_timeout(double per_gib, double memory_bytes);

// The VMI's memory as the migration moves it: domain.memory.guest, else the memory request.
double vmi_memory_bytes(const models::VirtualMachineInstance& vmi);

}  // namespace kvsim::sim::kubevirt
