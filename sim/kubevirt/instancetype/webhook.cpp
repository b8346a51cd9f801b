#include "sim/kubevirt/instancetype/webhook.hpp"

#include <fmt/format.h>

#include "models/cdi.hpp"
#include "models/registry.hpp"
#include "sim/kubevirt/instancetype/expansion.hpp"
#include "sim/kubevirt/instancetype/inference.hpp"
#include "sim/kubevirt/instancetype/lookup.hpp"

namespace kvsim::sim::kubevirt::instancetype {

namespace {

constexpr const char* kMutator = "virtualmachines-mutator.kubevirt.io";
constexpr const char* kValidator = "virtualmachine-validator.kubevirt.io";

api::Store::WebhookDenial deny(std::vector<std::pair<std::string, std::string>> causes) {
  api::Store::WebhookDenial d{kValidator, {}, {}};
  for (auto& [path, message] : causes) d.causes.push_back({"", {}, std::move(path), std::move(message)});
  return d;
}

}  // namespace

std::optional<api::Store::WebhookDenial> admit_vm(const api::Store& store, const models::Object*,
                                                  models::Object& obj) {
  if (obj.kind != "VirtualMachine") return std::nullopt;
  auto& vm = static_cast<models::VirtualMachine&>(obj);
  if (vm.metadata.being_deleted() || (!vm.spec.instancetype && !vm.spec.preference)) return std::nullopt;

  if (auto error = infer_matchers(store, vm); !error.empty())
    return api::Store::WebhookDenial{kMutator, {}, error};

  std::string error;
  auto it = find_instancetype_spec(store, vm, error);
  if (!error.empty()) return deny({{"spec.instancetype", "Failure to find instancetype: " + error}});
  auto pref = find_preference_spec(store, vm, error);
  if (!error.empty()) return deny({{"spec.preference", "Failure to find preference: " + error}});
  const auto* it_ptr = it ? &*it : nullptr;
  const auto* pref_ptr = pref ? &*pref : nullptr;
  if (auto spread = check_spread_topology(it_ptr, pref_ptr)) return deny({{spread->field, spread->text()}});

  // Applied to a copy: the stored VM keeps its own (short) template.
  auto spec = vm.spec.template_.spec;
  auto annotations = vm.spec.template_.metadata.annotations;
  if (auto conflicts = apply("spec.template.spec", it_ptr, pref_ptr, spec, annotations); !conflicts.empty()) {
    std::vector<std::pair<std::string, std::string>> causes;
    for (const auto& c : conflicts) causes.emplace_back(c.field, c.text());
    return deny(std::move(causes));
  }
  models::default_vmi_spec(spec);
  if (auto failure = check_requirements(it_ptr, pref_ptr, spec)) {
    std::string fields;
    for (const auto& f : failure->fields) fields += (fields.empty() ? "" : ", ") + f;
    return deny({{fields, "failure checking preference requirements: " + failure->message}});
  }
  return std::nullopt;
}

}  // namespace kvsim::sim::kubevirt::instancetype
