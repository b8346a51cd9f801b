#pragma once
// How an instance type and a preference expand into a VMI spec, as KubeVirt
// v1.5.0 does it (pkg/instancetype/apply for the instance type,
// pkg/instancetype/preference/apply for the preference,
// pkg/instancetype/preference/validation and .../requirements for the checks).
// Pure: no store, no clock. The webhook (webhook.hpp) runs it on a copy of a VM
// to refuse conflicts; virt-controller runs it on the VMI it creates.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/instancetype.hpp"

namespace kvsim::sim::kubevirt::instancetype {

// A VM field the instance type also sets. `message` is empty for the usual
// "VM field(s) <field> conflicts with selected instance type".
struct Conflict {
  std::string field;
  std::string message;
  std::string text() const;
};
using Conflicts = std::vector<Conflict>;

// Upstream's joined form: "VM field(s) a, b conflicts with selected instance type".
std::string conflicts_text(const Conflicts& conflicts);

// ApplyToVMI: the instance type first (CPU, memory, node selector, scheduler,
// IO threads policy, annotations); on any conflict nothing of the preference is
// applied and the conflicts are returned. `base` is the path of `spec` in the
// object ("spec.template.spec" for a VM). Either spec may be null.
Conflicts apply(const std::string& base, const models::InstancetypeSpec* instancetype,
                const models::PreferenceSpec* preference, models::VMISpec& spec,
                models::Sparse<models::Annotations>& annotations);

// The preference alone: fills what the VM leaves unset.
void apply_preference(const models::PreferenceSpec& preference, models::VMISpec& spec,
                      models::Sparse<models::Annotations>& annotations);

// preferredCPUTopology, "sockets" when unset (v1beta1's default).
std::string preferred_topology(const models::PreferenceSpec* preference);
struct Spread {
  std::int32_t ratio = 2;
  std::string across = "SocketsCores";
};
Spread spread_options(const models::PreferenceSpec& preference);

// CheckSpreadCPUTopology: the instance type's vCPUs must divide as a "spread"
// preference asks; the conflict names instancetype.spec.cpu.guest.
std::optional<Conflict> check_spread_topology(const models::InstancetypeSpec* instancetype,
                                              const models::PreferenceSpec* preference);

// The preference's requirements (spec.requirements.cpu/memory) against the
// instance type, or the VM's own resources when it has none. `fields` are the
// paths upstream reports (joined with ", ").
struct RequirementFailure {
  std::vector<std::string> fields;
  std::string message;
};
std::optional<RequirementFailure> check_requirements(const models::InstancetypeSpec* instancetype,
                                                     const models::PreferenceSpec* preference,
                                                     const models::VMISpec& spec);

}  // namespace kvsim::sim::kubevirt::instancetype
