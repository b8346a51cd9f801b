#include "sim/kubevirt/migration_controller.hpp"

#include <fmt/format.h>

#include "models/kubevirt.hpp"
#include "sim/engine/clock.hpp"
#include "sim/kubevirt/launch_prerequisites.hpp"
#include "sim/kubevirt/launcher_pod.hpp"
#include "sim/kubevirt/migration_plan.hpp"
#include "sim/kubevirt/virt_controller_leader.hpp"

namespace kvsim::sim::kubevirt {

using models::Json;
using models::Pod;
using models::VirtualMachineInstance;
using models::VirtualMachineInstanceMigration;

namespace {

// The target pod: the VMI's launcher pod again, labelled with the migration's UID and
// kept off the source node. (Upstream keeps it off with a required pod anti-affinity
// on the VMI's created-by label and topology kubernetes.io/hostname; the scheduler
// here has no inter-pod affinity, so a node-affinity NotIn on the source's hostname
// has the same effect.)
std::shared_ptr<Pod> target_pod(const VirtualMachineInstance& vmi, const VirtualMachineInstanceMigration& m,
                                const std::vector<network::MultusAttachment>& multus) {
  auto pod = launcher_pod(vmi, multus);
  pod->metadata.labels[kMigrationJobLabel] = m.metadata.uid;
  pod->metadata.annotations[kMigrationJobNameAnnotation] = m.metadata.name;
  auto& affinity = pod->spec.affinity;
  if (!affinity) affinity.emplace();
  if (!affinity->nodeAffinity) affinity->nodeAffinity.emplace();
  auto& required = affinity->nodeAffinity->requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) required.emplace();
  if (required->nodeSelectorTerms.empty()) required->nodeSelectorTerms.emplace_back();
  for (auto& term : required->nodeSelectorTerms)
    term.matchExpressions.push_back({"kubernetes.io/hostname", "NotIn", {vmi.status.nodeName}});
  return pod;
}

std::shared_ptr<const Pod> find_target_pod(const api::Store& store, const VirtualMachineInstanceMigration& m) {
  const models::LabelSelector selector{{{kMigrationJobLabel, m.metadata.uid}}, {}};
  auto pods = store.list(Pod::kind_info(), m.metadata.namespace_, &selector);
  return pods.empty() ? nullptr : std::static_pointer_cast<const Pod>(pods.front());
}

}  // namespace

MigrationController::MigrationController(controllers::Context& ctx, std::string host, const VirtControllerLeader& leader)
    : Component(ctx, "virt-controller/migration", std::move(host)), leader_(leader), index_(ctx.store) {}

void MigrationController::start() {
  Component::start();
  if (!watching_) {
    watching_ = true;
    watch({&VirtualMachineInstanceMigration::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) {
      if (e.type != api::EventType::Deleted) enqueue(controllers::key_of(*e.object));
      else enqueue_pending();  // a slot may have freed
    });
    watch({&VirtualMachineInstance::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) {
      enqueue_for_vmi(e.object->metadata.namespace_, e.object->metadata.name);
    });
    models::LabelSelector launchers;
    launchers.matchLabels["kubevirt.io"] = "virt-launcher";
    watch({&Pod::kind_info(), {}, launchers, {}}, [this](const api::WatchEvent& e) {
      const auto& labels = e.object->metadata.labels;
      if (auto it = labels.find(kMigrationJobLabel); it != labels.end()) {
        if (auto m = ctx_.store.by_uid(it->second)) enqueue(controllers::key_of(*m));
      }
    });
  }
  resync();
}

void MigrationController::resync() {
  for (const auto& o : ctx_.store.list(VirtualMachineInstanceMigration::kind_info())) enqueue(controllers::key_of(*o));
}

void MigrationController::enqueue_for_vmi(const std::string& ns, const std::string& vmi) {
  const models::LabelSelector selector{{{kMigrationSelectorLabel, vmi}}, {}};
  for (const auto& o : ctx_.store.list(VirtualMachineInstanceMigration::kind_info(), ns, &selector))
    if (!migration_final(static_cast<const VirtualMachineInstanceMigration&>(*o)) || o->metadata.has_finalizer(kMigrationFinalizer))
      enqueue(controllers::key_of(*o));
}

void MigrationController::enqueue_pending() {
  // Upstream takes the pending migrations oldest first.
  std::vector<std::shared_ptr<const VirtualMachineInstanceMigration>> pending;
  for (const auto& [ns, name] : index_.pending())
    if (auto m = ctx_.store.get<VirtualMachineInstanceMigration>(ns, name)) pending.push_back(m);
  std::stable_sort(pending.begin(), pending.end(), [](const auto& a, const auto& b) {
    return a->metadata.creationTimestamp->seconds < b->metadata.creationTimestamp->seconds;
  });
  for (const auto& m : pending) enqueue(controllers::key_of(*m));
}

std::vector<std::string> MigrationController::in_flight_sources() const {
  std::vector<std::string> sources;
  for (const auto& [ns, name] : index_.in_flight()) {
    auto held = ctx_.store.get<VirtualMachineInstanceMigration>(ns, name);
    if (!held) continue;
    const auto& m = *held;
    auto vmi = ctx_.store.get<VirtualMachineInstance>(m.metadata.namespace_, m.spec.vmiName);
    const auto& state = vmi ? vmi->status.migrationState : Json();
    if (state.is_object() && state.value("migrationUid", std::string()) == m.metadata.uid)
      sources.push_back(state.value("sourceNode", std::string()));
    else
      sources.push_back(vmi ? vmi->status.nodeName : std::string());
  }
  return sources;
}

void MigrationController::reconcile(const std::string& key) {
  if (!leader_.leading()) return;  // the next leader lists every migration again
  const auto [ns, name] = controllers::split_key(key);
  auto m = ctx_.store.get<VirtualMachineInstanceMigration>(ns, name);
  if (!m) return;
  auto vmi = ctx_.store.get<VirtualMachineInstance>(ns, m->spec.vmiName);
  auto pod = find_target_pod(ctx_.store, *m);
  const double t = engine::now();
  MigrationObserved observed{m.get(), vmi.get(), pod.get(), false, {}, t, ctx_.profile.migration_unschedulable_timeout};
  if (m->status.phase == "Pending" && vmi && vmi->status.phase == "Running") {
    observed.slot_wait = migration_slot(in_flight_sources(), vmi->status.nodeName,
                                        {ctx_.profile.parallel_migrations_per_cluster,
                                         ctx_.profile.parallel_outbound_migrations_per_node});
    observed.slot_free = observed.slot_wait.empty();
  }
  const MigrationStep step = plan_migration(observed);
  if (step.requeue_after > 0) requeue_after(key, step.requeue_after);
  const Json state = vmi && vmi->status.migrationState.is_object() ? vmi->status.migrationState : Json::object();
  const bool ours = state.value("migrationUid", std::string()) == m->metadata.uid;

  if (step.create_target_pod && vmi) {
    const auto pre = launch_prerequisites(ctx_.store, *vmi);
    auto r = ctx_.store.create(target_pod(*vmi, *m, pre.multus),
                               cause("created", "migration " + name + " needs a target pod for VMI " + vmi->metadata.name));
    if (r.ok()) {
      pod = std::static_pointer_cast<const Pod>(r.object);
      event(*m, "Normal", "SuccessfulCreate", "Created migration target pod " + r.object->metadata.name);
    } else {
      event(*m, "Warning", "FailedCreate", "Error creating pod: " + r.error);
      return;
    }
  }
  if (step.delete_target_pod && pod && !pod->metadata.being_deleted())
    ctx_.store.remove(Pod::kind_info(), ns, pod->metadata.name, cause("deleting", "migration " + name + ": " + step.why));

  // The VMI's migrationState: handoff, abort request, or the failure the controller decided.
  if (vmi && (step.handoff || step.request_abort ||
              (step.phase == "Failed" && ours && !state.value("failed", false) && !state.value("completed", false)))) {
    auto next = std::static_pointer_cast<VirtualMachineInstance>(vmi->clone());
    auto& ms = next->status.migrationState;
    std::string change;
    if (step.handoff && pod) {
      std::string source_pod;
      for (const auto& o : ctx_.store.owned_by(vmi->metadata.uid))
        if (o->kind == "Pod" && static_cast<const Pod&>(*o).spec.nodeName == vmi->status.nodeName &&
            o->metadata.uid != pod->metadata.uid)
          source_pod = o->metadata.name;
      ms = Json{{"migrationUid", m->metadata.uid},
                {"sourceNode", vmi->status.nodeName},
                {"sourcePod", source_pod},
                {"targetNode", pod->spec.nodeName},
                {"targetPod", pod->metadata.name}};
      next->metadata.labels[kMigrationTargetNodeLabel] = pod->spec.nodeName;
      change = "migrationState: " + vmi->status.nodeName + " -> " + pod->spec.nodeName;
    } else if (step.request_abort) {
      ms["abortRequested"] = true;
      change = "migrationState.abortRequested";
    } else {
      ms["failed"] = true;
      ms["endTimestamp"] = models::to_rfc3339(models::Timestamp{t});
      ms["failureReason"] = step.why;
      if (m->metadata.being_deleted()) ms["abortStatus"] = "Succeeded";
      next->metadata.labels.erase(kMigrationTargetNodeLabel);
      change = "migrationState.failed";
    }
    next->metadata.resourceVersion.clear();
    ctx_.store.update(next, cause(change, "migration " + name + ": " + step.why));
  }
  if (step.phase.empty() && !step.remove_finalizer) return;
  auto next = std::static_pointer_cast<VirtualMachineInstanceMigration>(m->clone());
  std::string change;
  if (!step.phase.empty() && step.phase != m->status.phase) {
    change = fmt::format("phase {} -> {}", m->status.phase.empty() ? "\"\"" : m->status.phase, step.phase);
    next->status.phase = step.phase;
    next->status.phaseTransitionTimestamps.push_back({step.phase, models::Timestamp{t}});
    if (vmi && vmi->status.migrationState.is_object() && ours) next->status.migrationState = vmi->status.migrationState;
    if (step.phase == "Succeeded") {
      event(*m, "Normal", "SuccessfulMigration", "Source node reported migration succeeded");
    } else if (step.phase == "Failed") {
      event(*m, "Warning", "FailedMigration", "Migration failed: " + step.why);
      if (vmi) event(*vmi, "Warning", "FailedMigration", "VirtualMachineInstance migration " + name + " failed.");
    }
  }
  if (step.remove_finalizer) {
    erase(next->metadata.finalizers, kMigrationFinalizer);
    if (change.empty()) change = std::string("finalizer ") + kMigrationFinalizer + " removed";
  }
  if (change.empty()) return;
  next->metadata.resourceVersion.clear();
  ctx_.store.update(next, cause(change, step.why));
  if (step.phase == "Succeeded" || step.phase == "Failed") enqueue_pending();
}

}  // namespace kvsim::sim::kubevirt
