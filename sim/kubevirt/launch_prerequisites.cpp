#include "sim/kubevirt/launch_prerequisites.hpp"

#include "models/cdi.hpp"
#include "sim/kubevirt/storage/vmi_volumes.hpp"

namespace kvsim::sim::kubevirt {

LaunchPrerequisites launch_prerequisites(const api::Store& store, const models::VirtualMachineInstance& vmi) {
  LaunchPrerequisites p;
  const auto& ns = vmi.metadata.namespace_;
  // The store keeps every object it returns alive until the next write: raw pointers are safe here.
  auto volumes = storage::check_vmi_volumes(
      vmi.spec.volumes, ns,
      [&](const std::string& name) { return store.get<models::PersistentVolumeClaim>(ns, name).get(); },
      [&](const std::string& name) { return store.get<models::DataVolume>(ns, name).get(); });
  if (!volumes.missing_pvc.empty()) {
    p.reason = "FailedPvcNotFound";
    p.message = volumes.missing_pvc;
    return p;
  }
  auto networks = network::resolve_networks(vmi, [&](const std::string& nad_ns, const std::string& name) {
    return store.get<models::NetworkAttachmentDefinition>(nad_ns, name).get();
  });
  if (!networks.error.empty()) {
    p.reason = "FailedCreate";
    p.message = networks.error;
    return p;
  }
  p.multus = std::move(networks.multus);
  p.waiting_for = volumes.waiting_for;
  return p;
}

void apply_synchronized(std::vector<models::Condition>& conditions, const LaunchPrerequisites& pre, double now) {
  if (pre.reason.empty()) {
    // Only the reasons set here are cleared: image pull trouble is reported on the same condition.
    std::erase_if(conditions, [](const models::Condition& c) {
      return c.type == "Synchronized" && (c.reason == "FailedPvcNotFound" || c.reason == "FailedCreate");
    });
    return;
  }
  models::set_condition(conditions, {"Synchronized", "False", pre.reason, pre.message}, now);
}

void apply_image_error(std::vector<models::Condition>& conditions, const models::Pod& pod, double now) {
  const models::ContainerStateWaiting* error = nullptr;
  for (const auto* statuses : {&pod.status.initContainerStatuses, &pod.status.containerStatuses})
    for (const auto& cs : *statuses)
      if (!error && cs.state.waiting &&
          (cs.state.waiting->reason == "ErrImagePull" || cs.state.waiting->reason == "ImagePullBackOff"))
        error = &*cs.state.waiting;
  const auto* was = models::find_condition(conditions, "Synchronized");
  if (!error) {
    std::erase_if(conditions, [](const models::Condition& c) {
      return c.type == "Synchronized" && (c.reason == "ErrImagePull" || c.reason == "ImagePullBackOff");
    });
    return;
  }
  if (was && was->status == "False" && was->reason == error->reason) return;
  std::erase_if(conditions, [](const models::Condition& c) { return c.type == "Synchronized"; });
  models::set_condition(conditions, {"Synchronized", "False", error->reason, error->message}, now);
}

}  // namespace kvsim::sim::kubevirt
