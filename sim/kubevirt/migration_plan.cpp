#include "sim/kubevirt/migration_plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace kvsim::sim::kubevirt {

using models::Json;
using models::VirtualMachineInstance;
using models::VirtualMachineInstanceMigration;

bool migration_final(const VirtualMachineInstanceMigration& m) {
  return m.status.phase == "Succeeded" || m.status.phase == "Failed";
}

bool migration_in_flight(const VirtualMachineInstanceMigration& m) {
  return !m.status.phase.empty() && m.status.phase != "Pending" && !migration_final(m);
}

std::string admit_migration(const VirtualMachineInstanceMigration& m, const VirtualMachineInstance* vmi,
                            const std::vector<const VirtualMachineInstanceMigration*>& others) {
  if (!vmi) return fmt::format("the VMI \"{}/{}\" does not exist", m.metadata.namespace_, m.spec.vmiName);
  if (vmi->is_final()) return "Cannot migrate VMI in finalized state.";
  if (const auto* c = models::find_condition(vmi->status.conditions, "LiveMigratable"); c && c->status == "False")
    return fmt::format("Cannot migrate VMI, Reason: {}, Message: {}", c->reason, c->message);
  for (const auto* other : others)
    if (other->spec.vmiName == m.spec.vmiName && !migration_final(*other))
      return fmt::format("in-flight migration detected. Active migration job ({}) is currently already in progress "
                         "for VMI {}.",
                         other->metadata.uid, m.spec.vmiName);
  return {};
}

std::string migration_slot(const std::vector<std::string>& in_flight_sources, const std::string& source_node,
                           const MigrationLimits& limits) {
  if (static_cast<int>(in_flight_sources.size()) >= limits.per_cluster)
    return fmt::format("{} migrations in flight (parallelMigrationsPerCluster {})", in_flight_sources.size(),
                       limits.per_cluster);
  const auto outbound = std::count(in_flight_sources.begin(), in_flight_sources.end(), source_node);
  if (outbound >= limits.outbound_per_node)
    return fmt::format("{} outbound migrations from {} (parallelOutboundMigrationsPerNode {})", outbound, source_node,
                       limits.outbound_per_node);
  return {};
}

namespace {

bool compute_running(const models::Pod& pod) {
  if (pod.status.phase != "Running") return false;
  for (const auto& cs : pod.status.containerStatuses)
    if (cs.name == "compute" && !cs.state.running) return false;
  return true;
}

MigrationStep fail(std::string why, bool delete_pod) {
  MigrationStep s;
  s.phase = "Failed";
  s.delete_target_pod = delete_pod;
  s.why = std::move(why);
  return s;
}

}  // namespace

MigrationStep plan_migration(const MigrationObserved& o) {
  const auto& m = *o.vmim;
  const auto& phase = m.status.phase;
  const auto* vmi = o.vmi;
  const Json state = vmi && vmi->status.migrationState.is_object() ? vmi->status.migrationState : Json::object();
  const bool ours = state.value("migrationUid", std::string()) == m.metadata.uid;
  const bool pod_alive = o.target_pod && !o.target_pod->metadata.being_deleted();
  MigrationStep s;
  if (migration_final(m)) {
    // Settled: a failed migration's target pod goes; the finalizer is no longer needed.
    s.delete_target_pod = phase == "Failed" && pod_alive;
    s.remove_finalizer = m.metadata.has_finalizer(kMigrationFinalizer);
    s.why = "the migration is " + phase;
    return s;
  }
  if (m.metadata.being_deleted()) {
    // Cancelled. While the source is sending, virt-handler is asked to abort the job;
    // before that, nothing has left the source and the migration simply fails.
    if (phase == "Running" && ours && !state.value("completed", false) && !state.value("failed", false)) {
      s.request_abort = !state.value("abortRequested", false);
      s.why = "the migration was deleted: aborting the transfer";
      return s;
    }
    if (phase == "Running" && ours && state.value("completed", false)) {
      // Too late to cancel: it has completed; it is recorded as such.
    } else {
      return fail("the migration was deleted before it completed (aborted)", pod_alive);
    }
  }
  if (!vmi) return fail("VMI " + m.spec.vmiName + " does not exist", pod_alive);
  if (vmi->is_final() || vmi->metadata.being_deleted())
    return fail("VMI " + m.spec.vmiName + " is shutting down or finished", pod_alive);
  if (phase.empty()) {
    s.phase = "Pending";
    s.why = "migration accepted";
    return s;
  }
  if (phase == "Pending") {
    if (vmi->status.phase != "Running") {
      s.why = "waiting for VMI " + vmi->metadata.name + " to run";
      return s;
    }
    if (!o.slot_free) {
      s.why = "waiting: " + o.slot_wait;
      return s;
    }
    s.create_target_pod = true;
    s.phase = "Scheduling";
    s.why = "target pod created for VMI " + vmi->metadata.name + " (from " + vmi->status.nodeName + ")";
    return s;
  }
  if (!o.target_pod) return fail("the target pod is gone", false);
  if (o.target_pod->metadata.being_deleted() || o.target_pod->status.phase == "Failed" ||
      o.target_pod->status.phase == "Succeeded")
    return fail("the target pod " + o.target_pod->metadata.name + " stopped", pod_alive);
  if (phase == "Scheduling") {
    if (compute_running(*o.target_pod)) {
      s.phase = "Scheduled";
      s.why = "target pod " + o.target_pod->metadata.name + " running on " + o.target_pod->spec.nodeName;
      return s;
    }
    // An unschedulable target pod is given up after the pending timeout (upstream 5 min).
    if (const auto* c = models::find_condition(o.target_pod->status.conditions, "PodScheduled");
        c && c->status == "False" && c->lastTransitionTime) {
      const double waited = o.now - c->lastTransitionTime->seconds;
      if (waited >= o.pending_timeout)
        return fail(fmt::format("the target pod stayed unschedulable for {:.0f}s: {}", waited, c->message), true);
      s.requeue_after = o.pending_timeout - waited;
    }
    s.why = "waiting for the target pod to run";
    return s;
  }
  if (phase == "Scheduled") {
    s.handoff = true;
    s.phase = "PreparingTarget";
    s.why = "target pod handed to virt-handler on " + o.target_pod->spec.nodeName;
    return s;
  }
  if (!ours) return fail("the VMI's migration state belongs to another migration", pod_alive);
  if (state.value("failed", false)) {
    s = fail("migration failed: " + state.value("failureReason", std::string("the transfer failed")), pod_alive);
    return s;
  }
  if (phase == "PreparingTarget") {
    if (!state.value("targetNodeAddress", std::string()).empty()) {
      s.phase = "TargetReady";
      s.why = "the target virt-handler is listening";
    }
    return s;
  }
  if (phase == "TargetReady") {
    if (state.contains("startTimestamp")) {
      s.phase = "Running";
      s.why = "the source virt-handler started the transfer";
    }
    return s;
  }
  // Running: done once the target holds the domain and the VMI points at it.
  if (state.value("completed", false) && vmi->status.nodeName == state.value("targetNode", std::string())) {
    s.phase = "Succeeded";
    s.why = "VMI " + vmi->metadata.name + " now runs on " + vmi->status.nodeName;
  }
  return s;
}

double next_round_bytes(const PrecopyParams& p, double round_seconds) {
  return std::min(p.memory_bytes, p.dirty_rate * round_seconds);
}

bool fits_downtime(const PrecopyParams& p, double bytes) { return bytes <= p.bandwidth * p.max_downtime; }

PrecopyEstimate estimate_precopy(const PrecopyParams& p, int max_rounds) {
  PrecopyEstimate e;
  if (p.bandwidth <= 0) return e;
  double bytes = p.memory_bytes;
  while (static_cast<int>(e.rounds.size()) < max_rounds) {
    const double seconds = bytes / p.bandwidth;
    e.rounds.push_back({bytes, seconds});
    e.seconds += seconds;
    const double next = next_round_bytes(p, seconds);
    if (fits_downtime(p, next)) {
      // Stop-and-copy: the guest pauses while the rest goes (nothing left: no last round).
      if (next > 0) {
        e.rounds.push_back({next, next / p.bandwidth});
        e.seconds += next / p.bandwidth;
      }
      e.converges = true;
      return e;
    }
    bytes = next;
  }
  return e;
}

std::string migration_timeout(const MigrationTimeouts& t, double memory_bytes, double elapsed, double since_progress) {
  const double completion = completion_timeout(t.completion_per_gib, memory_bytes);
  if (completion > 0 && elapsed > completion)
    return fmt::format("Live migration is not completed after {} sec and has been aborted",
                       static_cast<long>(std::floor(completion)));
  if (t.progress > 0 && since_progress > t.progress)
    return fmt::format("Live migration stuck for {} sec and has been aborted", static_cast<long>(std::floor(since_progress)));
  return {};
}

double completion_timeout(double per_gib, double memory_bytes) { return per_gib * std::ceil(memory_bytes / 1e9); }

double vmi_memory_bytes(const VirtualMachineInstance& vmi) {
  if (vmi.spec.domain.memory && vmi.spec.domain.memory->guest)
    return static_cast<double>(vmi.spec.domain.memory->guest->units_ceil());
  const auto& requests = vmi.spec.domain.resources.requests;
  if (auto it = requests.find("memory"); it != requests.end()) return static_cast<double>(it->second.units_ceil());
  return 0;
}

}  // namespace kvsim::sim::kubevirt
