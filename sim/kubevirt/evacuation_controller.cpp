#include "sim/kubevirt/evacuation_controller.hpp"

#include "models/kubevirt.hpp"
#include "sim/engine/clock.hpp"
#include "sim/kubevirt/eviction_admitter.hpp"
#include "sim/kubevirt/migration_plan.hpp"
#include "sim/kubevirt/virt_controller_leader.hpp"

namespace kvsim::sim::kubevirt {

using models::VirtualMachineInstance;
using models::VirtualMachineInstanceMigration;

EvacuationController::EvacuationController(controllers::Context& ctx, std::string host, const VirtControllerLeader& leader)
    : Component(ctx, "virt-controller/evacuation", std::move(host)), leader_(leader) {}

void EvacuationController::start() {
  Component::start();
  if (!watching_) {
    watching_ = true;
    watch({&VirtualMachineInstance::kind_info(), {}, std::nullopt, {}},
          [this](const api::WatchEvent& e) { enqueue(controllers::key_of(*e.object)); });
    watch({&VirtualMachineInstanceMigration::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) {
      const auto& m = static_cast<const VirtualMachineInstanceMigration&>(*e.object);
      enqueue(m.metadata.namespace_ + "/" + m.spec.vmiName);
    });
  }
  resync();
}

void EvacuationController::resync() {
  for (const auto& o : ctx_.store.list(VirtualMachineInstance::kind_info())) enqueue(controllers::key_of(*o));
}

void EvacuationController::reconcile(const std::string& key) {
  if (!leader_.leading()) return;
  const auto [ns, name] = controllers::split_key(key);
  auto vmi = ctx_.store.get<VirtualMachineInstance>(ns, name);
  if (!vmi || vmi->is_final() || vmi->metadata.being_deleted()) return;
  if (vmi->status.evacuationNodeName.empty() || vmi->status.evacuationNodeName != vmi->status.nodeName) return;
  const auto strategy = effective_eviction_strategy(*vmi, ctx_.profile.cluster_eviction_strategy);
  if (strategy != "LiveMigrate" && !(strategy == "LiveMigrateIfPossible" && live_migratable(*vmi))) return;
  // virt-api labels every migration with its VMI: the label index finds this VMI's own.
  const models::LabelSelector mine{{{kMigrationSelectorLabel, name}}, {}};
  for (const auto& o : ctx_.store.list(VirtualMachineInstanceMigration::kind_info(), ns, &mine)) {
    const auto& m = static_cast<const VirtualMachineInstanceMigration&>(*o);
    if (m.status.phase != "Succeeded" && m.status.phase != "Failed") return;
  }
  auto m = std::make_shared<VirtualMachineInstanceMigration>();
  m->apiVersion = "kubevirt.io/v1";
  m->kind = "VirtualMachineInstanceMigration";
  m->metadata.namespace_ = ns;
  m->metadata.generateName = "kubevirt-evacuation-";
  m->metadata.annotations[kEvacuationAnnotation] = vmi->status.nodeName;
  m->metadata.labels[kMigrationSelectorLabel] = name;
  m->spec.vmiName = name;
  m->status.phase = "Pending";
  m->status.phaseTransitionTimestamps.push_back({"Pending", models::Timestamp{engine::now()}});
  auto r = ctx_.store.create(m, cause("created", "VMI " + name + " is evacuating node " + vmi->status.nodeName +
                                                     " (evictionStrategy " + strategy + ")"));
  if (r.ok())
    event(*vmi, "Normal", "SuccessfulCreate", "Created Migration " + r.object->metadata.name + " for evacuation");
}

}  // namespace kvsim::sim::kubevirt
