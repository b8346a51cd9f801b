#include "sim/kubevirt/migration_webhook.hpp"

#include "models/kubevirt.hpp"
#include "sim/kubevirt/migration_plan.hpp"

namespace kvsim::sim::kubevirt {

using models::VirtualMachineInstance;
using models::VirtualMachineInstanceMigration;

api::Store::WebhookAdmission virt_api_webhooks() {
  return [](const api::Store& store, const models::Object* old,
            models::Object& obj) -> std::optional<api::Store::WebhookDenial> {
    if (old || obj.kind != "VirtualMachineInstanceMigration") return std::nullopt;  // create only
    auto& m = static_cast<VirtualMachineInstanceMigration&>(obj);
    auto vmi = store.get<VirtualMachineInstance>(m.metadata.namespace_, m.spec.vmiName);
    const models::LabelSelector selector{{{kMigrationSelectorLabel, m.spec.vmiName}}, {}};
    const auto listed = store.list(VirtualMachineInstanceMigration::kind_info(), m.metadata.namespace_, &selector);
    std::vector<const VirtualMachineInstanceMigration*> others;
    for (const auto& o : listed) others.push_back(static_cast<const VirtualMachineInstanceMigration*>(o.get()));
    if (auto denied = admit_migration(m, vmi.get(), others); !denied.empty())
      return api::Store::WebhookDenial{kMigrationValidatorName, {}, denied};
    m.metadata.labels[kMigrationSelectorLabel] = m.spec.vmiName;
    if (!m.metadata.has_finalizer(kMigrationFinalizer)) m.metadata.finalizers.push_back(kMigrationFinalizer);
    return std::nullopt;
  };
}

}  // namespace kvsim::sim::kubevirt
