#include "sim/kubevirt/launcher_pod.hpp"

#include <fmt/format.h>

#include <utility>

#include "models/codec/safe_yaml.hpp"
#include "sim/kubevirt/access_credentials.hpp"
#include "sim/kubevirt/kubevirt_admission.hpp"
#include "sim/kubevirt/launcher_resources.hpp"
#include "sim/kubevirt/storage/vmi_volumes.hpp"

namespace kvsim::sim::kubevirt {

namespace {

// The image virt-operator configures for hook sidecars that bring no image of
// their own (a ConfigMap or PVC script run by the shim).
constexpr const char* kSidecarShimImage =
    "registry.redhat.io/container-native-virtualization/sidecar-shim-rhel9:v4.19";

// Dedicated CPUs (spec.domain.cpu.dedicatedCpuPlacement): the pod goes to a node
// whose kubelet runs the static CPU manager (virt-handler labels it
// cpumanager=true) and asks for whole CPUs in Guaranteed QoS: the guest's vCPUs,
// plus one for the emulator thread when isolateEmulatorThread is set, with
// limits equal to requests.
void dedicate_cpus(const models::VMISpec& spec, models::PodSpec& pod, models::Container& compute) {
  const auto& cpu = spec.domain.cpu;
  if (!cpu || !cpu->dedicatedCpuPlacement.value_or(false)) return;
  pod.nodeSelector["cpumanager"] = "true";
  std::int64_t vcpus = std::int64_t{cpu->sockets.value_or(1)} * cpu->cores.value_or(1) * cpu->threads.value_or(1);
  if (cpu->isolateEmulatorThread.value_or(false)) ++vcpus;
  compute.resources.requests["cpu"] = compute.resources.limits["cpu"] = models::Quantity::from_units(vcpus);
  compute.resources.limits["memory"] = compute.resources.requests["memory"];
}

// One container per hook sidecar the annotation lists (hook-sidecar-0, -1...);
// a sidecar given as a ConfigMap script runs in the shim image with that
// ConfigMap mounted, so the pod also gets the ConfigMap as a volume.
void add_hook_sidecars(const models::VirtualMachineInstance& vmi, models::PodSpec& pod) {
  auto it = vmi.metadata.annotations.find(kHookSidecarsAnnotation);
  if (it == vmi.metadata.annotations.end()) return;
  models::JsonError error;
  const auto parsed = models::parse_json_value(it->second, error);
  // An unreadable list makes upstream's rendering fail (event "failed to render launch
  // manifest"); not modelled: the pod gets no sidecar.
  if (!parsed || !parsed->is_array()) return;
  const auto& list = *parsed;
  // The user wrote the annotation: a field of another type reads as absent (value() would throw).
  auto text = [](const models::Json& object, const char* key) {
    const auto v = object.find(key);
    return v != object.end() && v->is_string() ? v->get<std::string>() : std::string();
  };
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto& entry = list[i];
    if (!entry.is_object()) continue;
    models::Container c;
    c.name = "hook-sidecar-" + std::to_string(i);
    c.image = text(entry, "image");
    if (c.image.empty()) c.image = kSidecarShimImage;
    if (entry.contains("args") && entry["args"].is_array())
      for (const auto& a : entry["args"])
        if (a.is_string()) c.args.push_back(a.get<std::string>());
    if (auto cm = entry.find("configMap"); cm != entry.end() && cm->is_object()) {
      const auto name = text(*cm, "name");
      c.volumeMounts.push_back({name, text(*cm, "hookPath"), true, text(*cm, "key")});
      pod.volumes.push_back({name, std::nullopt, std::nullopt, {}, models::Json{{"name", name}}, {}, {}, {}});
    }
    pod.containers.push_back(std::move(c));
  }
}

// Direct kernel boot from a container (spec.domain.firmware.kernelBoot.container):
// the image is served like a containerDisk, by a container of its own, named
// after upstream's volume kernel-boot-volume.
void add_kernel_boot(const models::VMISpec& spec, models::PodSpec& pod) {
  const auto& fw = spec.domain.firmware;
  if (!fw.is_object() || !fw.contains("kernelBoot") || !fw["kernelBoot"].is_object()) return;
  const auto& boot = fw["kernelBoot"];
  if (!boot.contains("container") || !boot["container"].is_object()) return;
  models::Container c;
  c.name = "volumekernel-boot-volume";
  c.image = boot["container"].value("image", std::string());
  c.resources = container_disk_resources();
  pod.containers.push_back(std::move(c));
}

// A hostDisk's image file lives in a host directory the pod mounts (created if
// missing). The hostPath type for `type: Disk` (image must exist) is UNCONFIRMED:
// DirectoryOrCreate is used for both types.
void add_host_disks(const models::VMISpec& spec, models::PodSpec& pod) {
  for (const auto& v : spec.volumes) {
    if (!v.hostDisk) continue;
    const auto slash = v.hostDisk->path.rfind('/');
    const auto dir = slash == std::string::npos || slash == 0 ? std::string("/") : v.hostDisk->path.substr(0, slash);
    pod.volumes.push_back(
        {v.name, std::nullopt, models::HostPathVolumeSource{dir, "DirectoryOrCreate"}, {}, {}, {}, {}, {}});
  }
}

// The VMI's Secrets and ConfigMaps reach virt-launcher as pod volumes
// (upstream's VolumeRenderer): a `secret` or `configMap` volume under its own
// name, the Secrets of cloud-init's userDataSecretRef / networkDataSecretRef as
// "<volume>-udata" / "<volume>-ndata", an accessCredential's Secret as
// "<secret>-access-cred". The kubelet mounts them before the pod
// starts, so a missing one holds the pod in ContainerCreating. A
// serviceAccount volume runs the pod as that ServiceAccount.
void add_config_volumes(const models::VMISpec& spec, models::PodSpec& pod) {
  auto name_of = [](const models::Json& ref, const char* key) {
    const auto v = ref.is_object() ? ref.find(key) : ref.end();
    return ref.is_object() && v != ref.end() && v->is_string() ? v->get<std::string>() : std::string();
  };
  auto secret_volume = [&pod](const std::string& volume, const std::string& secret, const models::Json& optional) {
    models::PodVolume pv{volume, std::nullopt, std::nullopt, {}, {}, models::Json{{"secretName", secret}}, {}, {}};
    if (optional.is_boolean()) pv.secret["optional"] = optional;
    pod.volumes.push_back(std::move(pv));
  };
  for (const auto& v : spec.volumes) {
    if (v.secret.is_object()) secret_volume(v.name, name_of(v.secret, "secretName"), v.secret.value("optional", models::Json()));
    if (v.configMap.is_object()) {
      models::PodVolume pv{v.name, std::nullopt, std::nullopt, {}, models::Json{{"name", name_of(v.configMap, "name")}},
                           {}, {}, {}};
      if (auto o = v.configMap.find("optional"); o != v.configMap.end() && o->is_boolean()) pv.configMap["optional"] = *o;
      pod.volumes.push_back(std::move(pv));
    }
    if (v.serviceAccount.is_object()) pod.serviceAccountName = name_of(v.serviceAccount, "serviceAccountName");
    for (const auto* ci : {v.cloudInitNoCloud ? &*v.cloudInitNoCloud : nullptr,
                           v.cloudInitConfigDrive ? &*v.cloudInitConfigDrive : nullptr}) {
      if (!ci) continue;
      if (ci->secretRef.is_object()) secret_volume(v.name + "-udata", name_of(ci->secretRef, "name"), {});
      if (ci->networkDataSecretRef.is_object())
        secret_volume(v.name + "-ndata", name_of(ci->networkDataSecretRef, "name"), {});
    }
  }
  // withAccessCredentials: each credential's Secret as "<secret>-access-cred", which
  // virt-launcher reads its keys or passwords from.
  for (const auto& c : spec.accessCredentials)
    if (const auto secret = c.secret_name(); !secret.empty()) secret_volume(access_credential_volume(secret), secret, {});
}

}  // namespace

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
  // generatePodAnnotations (KubeVirt v1.5 template.go): the domain's name, the VMI's own
  // annotations but kubectl's and the observed API versions, the default container, the unix
  // socket migration transport, the descheduler's evict-only request, then the generators':
  // Multus networks, and Velero's backup hooks that freeze and thaw the guest's filesystems.
  for (const auto& [k, v] : vmi.metadata.annotations)
    if (!k.starts_with("kubectl.kubernetes.io") && !k.starts_with("kubevirt.io/storage-observed-api-version") &&
        !k.starts_with("kubevirt.io/latest-observed-api-version"))
      m.annotations[k] = v;
  m.annotations["kubevirt.io/domain"] = vmi.metadata.name;
  m.annotations["kubectl.kubernetes.io/default-container"] = "compute";
  m.annotations["kubevirt.io/migrationTransportUnix"] = "true";
  m.annotations["descheduler.alpha.kubernetes.io/request-evict-only"] = "";
  if (!multus.empty()) m.annotations[network::kNetworksAnnotation] = network::networks_annotation(multus);
  const auto freezer = [&](const char* action) {
    return fmt::format(R"(["/usr/bin/virt-freezer", "{}", "--name", {}, "--namespace", {}])", action,
                       models::Json(vmi.metadata.name).dump(), models::Json(vmi.metadata.namespace_).dump());
  };
  m.annotations["pre.hook.backup.velero.io/container"] = "compute";
  m.annotations["pre.hook.backup.velero.io/command"] = freezer("--freeze");
  m.annotations["post.hook.backup.velero.io/container"] = "compute";
  m.annotations["post.hook.backup.velero.io/command"] = freezer("--unfreeze");
  m.ownerReferences = {{"kubevirt.io/v1", "VirtualMachineInstance", vmi.metadata.name, vmi.metadata.uid, true, true}};
  auto& s = pod->spec;
  s.restartPolicy = "Never";
  s.hostname = vmi.spec.hostname.empty() ? vmi.metadata.name : vmi.spec.hostname;
  // Upstream's order: schedulable and the VMI's architecture first, the VMI's own selectors over them.
  s.nodeSelector["kubevirt.io/schedulable"] = "true";
  if (!vmi.spec.architecture.empty()) s.nodeSelector["kubernetes.io/arch"] = vmi.spec.architecture;
  for (const auto& [k, v] : vmi.spec.nodeSelector) s.nodeSelector[k] = v;
  s.affinity = vmi.spec.affinity;
  s.tolerations = vmi.spec.tolerations;
  s.priorityClassName = vmi.spec.priorityClassName;
  s.terminationGracePeriodSeconds = vmi.spec.terminationGracePeriodSeconds.value_or(30) + 15 + 15;
  // A paused VMI makes its pod not Ready (template.go readinessGates; virt-controller sets the condition).
  s.readinessGates = models::Json::array({models::Json{{"conditionType", kUnpausedCondition}}});
  models::Container compute;
  compute.name = "compute";
  compute.image = kLauncherImage;
  compute.command = {"/usr/bin/virt-launcher-monitor"};
  // The guest's memory and vCPUs / cpuAllocationRatio, plus the launcher's overhead (renderresources.go).
  compute.resources = compute_resources(vmi.spec);
  // One unit of a network's device-plugin resource per interface on it (an
  // SR-IOV VF), in requests and limits as extended resources require.
  for (const auto& a : multus) {
    if (a.resource.empty()) continue;
    for (auto* list : {&compute.resources.requests, &compute.resources.limits}) {
      auto& q = (*list)[a.resource];
      q = models::Quantity::from_units(q.units_ceil() + 1);
    }
  }
  dedicate_cpus(vmi.spec, s, compute);
  s.containers.push_back(std::move(compute));
  // containerDisks (upstream's template service): a container serving each disk from its image,
  // after an init container that runs it once, so the image is pulled before virt-launcher
  // starts; the first init container copies the container-disk binary out of the launcher image.
  bool copied_binary = false;
  for (const auto& v : vmi.spec.volumes) {
    if (!v.containerDisk) continue;
    if (!std::exchange(copied_binary, true)) {
      models::Container binary;
      binary.name = "container-disk-binary";
      binary.image = kLauncherImage;
      binary.command = {"/usr/bin/cp", "/usr/bin/container-disk", "/init/usr/bin/container-disk"};
      binary.resources = init_container_resources();
      s.initContainers.push_back(std::move(binary));
    }
    models::Container disk;
    disk.name = "volume" + v.name;
    disk.image = v.containerDisk->image;
    disk.resources = container_disk_resources();
    models::Container init = disk;
    init.name += "-init";
    s.initContainers.push_back(std::move(init));
    s.containers.push_back(std::move(disk));
  }
  add_kernel_boot(vmi.spec, s);
  add_hook_sidecars(vmi, s);
  add_host_disks(vmi.spec, s);
  add_config_volumes(vmi.spec, s);
  for (const auto& v : vmi.spec.volumes)
    if (const auto claim = storage::claim_of(v); !claim.empty())
      s.volumes.push_back({v.name, models::PVCVolumeSource{claim, {}}, {}, {}, {}, {}, {}, {}});
  return pod;
}

}  // namespace kvsim::sim::kubevirt
