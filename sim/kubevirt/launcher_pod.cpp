#include "sim/kubevirt/launcher_pod.hpp"

#include "sim/kubevirt/storage/vmi_volumes.hpp"

namespace kvsim::sim::kubevirt {

std::shared_ptr<models::Pod> launcher_pod(const models::VirtualMachineInstance& vmi,
                                          const std::vector<network::MultusAttachment>& multus) {
  auto pod = std::make_shared<models::Pod>();
  pod->apiVersion = "v1";
  pod->kind = "Pod";
  auto& m = pod->metadata;
  m.generateName = "virt-launcher-" + vmi.metadata.name + "-";
  m.namespace_ = vmi.metadata.namespace_;
  m.labels = vmi.metadata.labels;
  m.labels.erase("kubevirt.io/nodeName");
  m.labels["kubevirt.io"] = "virt-launcher";
  m.labels["kubevirt.io/created-by"] = vmi.metadata.uid;
  m.labels["vm.kubevirt.io/name"] = vmi.metadata.name;
  m.labels["vmi.kubevirt.io/id"] = vmi.metadata.name;
  m.annotations["kubevirt.io/domain"] = vmi.metadata.name;
  m.annotations["kubectl.kubernetes.io/default-container"] = "compute";
  if (!multus.empty()) m.annotations[network::kNetworksAnnotation] = network::networks_annotation(multus);
  m.ownerReferences = {{"kubevirt.io/v1", "VirtualMachineInstance", vmi.metadata.name, vmi.metadata.uid, true, true}};
  auto& s = pod->spec;
  s.restartPolicy = "Never";
  s.hostname = vmi.spec.hostname.empty() ? vmi.metadata.name : vmi.spec.hostname;
  s.nodeSelector = vmi.spec.nodeSelector;
  s.nodeSelector["kubevirt.io/schedulable"] = "true";
  s.affinity = vmi.spec.affinity;
  s.tolerations = vmi.spec.tolerations;
  s.priorityClassName = vmi.spec.priorityClassName;
  s.terminationGracePeriodSeconds = vmi.spec.terminationGracePeriodSeconds.value_or(30) + 15 + 15;
  models::Container compute;
  compute.name = "compute";
  compute.image = kLauncherImage;
  compute.command = {"/usr/bin/virt-launcher-monitor"};
  // The pod asks for the guest's memory and CPU plus the launcher's overhead.
  compute.resources.requests = vmi.spec.domain.resources.requests;
  if (!compute.resources.requests.contains("cpu")) compute.resources.requests["cpu"] = *models::Quantity::parse("100m");
  // Without a memory request the guest's memory (domain.memory.guest) is what the pod must hold.
  if (!compute.resources.requests.contains("memory") && vmi.spec.domain.memory && vmi.spec.domain.memory->guest)
    compute.resources.requests["memory"] = *vmi.spec.domain.memory->guest;
  compute.resources.requests["memory"] += *models::Quantity::parse("250Mi");
  compute.resources.limits = vmi.spec.domain.resources.limits;
  // One unit of a network's device-plugin resource per interface on it (an
  // SR-IOV VF), in requests and limits as extended resources require.
  for (const auto& a : multus) {
    if (a.resource.empty()) continue;
    for (auto* list : {&compute.resources.requests, &compute.resources.limits}) {
      auto& q = (*list)[a.resource];
      q = models::Quantity::from_units(q.units_ceil() + 1);
    }
  }
  s.containers.push_back(std::move(compute));
  for (const auto& v : vmi.spec.volumes) {
    if (!v.containerDisk) continue;
    models::Container disk;
    disk.name = "volume" + v.name;
    disk.image = v.containerDisk->image;
    disk.resources.requests["cpu"] = *models::Quantity::parse("1m");
    disk.resources.requests["memory"] = *models::Quantity::parse("1M");
    s.containers.push_back(std::move(disk));
  }
  for (const auto& v : vmi.spec.volumes)
    if (const auto claim = storage::claim_of(v); !claim.empty())
      s.volumes.push_back({v.name, models::PVCVolumeSource{claim, {}}, {}, {}, {}, {}, {}, {}});
  return pod;
}

}  // namespace kvsim::sim::kubevirt
