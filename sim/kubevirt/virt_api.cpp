#include "sim/kubevirt/virt_api.hpp"

#include <fmt/format.h>

#include "models/apps.hpp"
#include "models/pod.hpp"
#include "sim/engine/platform.hpp"

namespace kvsim::sim::kubevirt {

bool virt_api_serving(const api::Store& store) {
  const models::LabelSelector selector{{{"kubevirt.io", "virt-api"}}, {}};
  for (const auto& o : store.list(models::Pod::kind_info(), "openshift-cnv", &selector)) {
    const auto& pod = static_cast<const models::Pod&>(*o);
    if (pod.metadata.being_deleted()) continue;
    const auto* ready = models::find_condition(pod.status.conditions, "Ready");
    if (pod.status.phase == "Running" && ready && ready->status == "True" && !pod.spec.nodeName.empty() &&
        engine::host_is_on(pod.spec.nodeName))
      return true;
  }
  // The installed virt-api whose pods the bootstrap is recreating: its Deployment (made at
  // t = 0) has not yet been available once (Progressing reason NewReplicaSetAvailable).
  auto deployment = store.get<models::Deployment>("openshift-cnv", "virt-api");
  if (!deployment || !deployment->metadata.creationTimestamp || deployment->metadata.creationTimestamp->seconds > 0)
    return false;
  const auto* progressing = models::find_condition(deployment->status.conditions, "Progressing");
  return !progressing || progressing->reason != "NewReplicaSetAvailable";
}

std::string virt_api_webhook_error(const api::Store& store, const models::KindInfo& kind) {
  // The first webhook the API server calls for the kind (mutating ones run before validating ones).
  struct Hook {
    std::string_view kind, name, path;
  };
  static const Hook hooks[] = {
      {"VirtualMachine", "virtualmachines-mutator.kubevirt.io", "/virtualmachines-mutate"},
      {"VirtualMachineInstance", "virtualmachineinstances-mutator.kubevirt.io", "/virtualmachineinstances-mutate"},
      {"VirtualMachineInstanceMigration", "migrations-mutator.kubevirt.io", "/migration-mutate-create"},
      {"VirtualMachineInstanceReplicaSet", "virtualmachinereplicaset-validator.kubevirt.io",
       "/virtualmachinereplicaset-validate"},
  };
  for (const auto& h : hooks) {
    if (h.kind != kind.kind) continue;
    if (virt_api_serving(store)) return {};
    return fmt::format("Internal error occurred: failed calling webhook \"{}\": failed to call webhook: Post "
                       "\"https://virt-api.openshift-cnv.svc:443{}?timeout=10s\": no endpoints available for service "
                       "\"virt-api\"",
                       h.name, h.path);
  }
  return {};
}

std::string virt_api_subresource_error(const api::Store& store, const std::string& verb, const std::string& name) {
  if (virt_api_serving(store)) return {};
  // The aggregator's 503 for v1.subresources.kubevirt.io with no endpoint behind it.
  (void)verb;
  return fmt::format("the server is currently unable to handle the request (put virtualmachines.subresources.kubevirt.io {})",
                     name);
}

}  // namespace kvsim::sim::kubevirt
