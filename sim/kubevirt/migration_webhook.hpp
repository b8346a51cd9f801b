#pragma once
// virt-api's admission webhooks for a new VirtualMachineInstanceMigration:
// the mutator (migrations-mutator.kubevirt.io) labels it kubevirt.io/vmi-name
// and adds the kubevirt.io/migrationJobFinalize finalizer; the validator
// (migration-create-validator.kubevirt.io) refuses a migration of a VMI that
// does not exist, has finished, is not live-migratable, or is already migrating.
#include "sim/api/store.hpp"

namespace kvsim::sim::kubevirt {

inline constexpr const char* kMigrationValidatorName = "migration-create-validator.kubevirt.io";

api::Store::WebhookAdmission virt_api_webhooks();

}  // namespace kvsim::sim::kubevirt
