#include "models/registry.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include "models/apps.hpp"
#include "models/discovery.hpp"
#include "models/cdi.hpp"
#include "models/controller_revision.hpp"
#include "models/instancetype.hpp"
#include "models/cdi_sources.hpp"
#include "models/template.hpp"
#include "models/volume_snapshot.hpp"
#include "models/kubevirt.hpp"
#include "models/sriov.hpp"
#include "models/policy.hpp"
#include "models/storage.hpp"

namespace kvsim::models {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Real kinds found in upstream manifests that the sim does not simulate: they
// are recognised so the refusal is honest rather than "unknown kind".
const KindInfo kRefused[] = {
    {"VirtualMachinePool", "pool.kubevirt.io/v1alpha1", "virtualmachinepools", {"vmpool", "vmpools"}, true,
     "VM pools are not simulated yet"},
    {"MigrationPolicy", "migrations.kubevirt.io/v1alpha1", "migrationpolicies", {}, false,
     "migration policies are not simulated yet"},
    {"VirtualMachineInstancePreset", "kubevirt.io/v1", "virtualmachineinstancepresets", {"vmipreset", "vmipresets"},
     true, "VMI presets (deprecated upstream) are not simulated"},
    {"ResourceClaimTemplate", "resource.k8s.io/v1", "resourceclaimtemplates", {}, true,
     "dynamic resource allocation (DRA) is not simulated"},
};

}  // namespace

const std::vector<const KindInfo*>& all_kinds() {
  static const std::vector<const KindInfo*> kinds = [] {
    std::vector<const KindInfo*> k = {
        &Namespace::kind_info(),  &Node::kind_info(),       &Pod::kind_info(),
        &Service::kind_info(),    &Event::kind_info(),      &PersistentVolume::kind_info(),
        &PersistentVolumeClaim::kind_info(), &PriorityClass::kind_info(), &ReplicaSet::kind_info(),
        &Deployment::kind_info(), &DaemonSet::kind_info(),  &StatefulSet::kind_info(),
        &VirtualMachine::kind_info(), &VirtualMachineInstance::kind_info(),
        &VirtualMachineInstanceMigration::kind_info(), &VirtualMachineInstanceReplicaSet::kind_info(),
        &NetworkAttachmentDefinition::kind_info(), &StorageClass::kind_info(), &VolumeAttachment::kind_info(),
        &SriovNetworkNodePolicy::kind_info(), &SriovNetwork::kind_info(), &DataVolume::kind_info(),
        &Endpoints::kind_info(),
        &PodDisruptionBudget::kind_info(), &ConfigMap::kind_info(), &Secret::kind_info(),
        &ControllerRevision::kind_info(), &VirtualMachineInstancetype::kind_info(),
        &VirtualMachineClusterInstancetype::kind_info(), &VirtualMachinePreference::kind_info(),
        &VirtualMachineClusterPreference::kind_info(),
        &DataSource::kind_info(), &DataImportCron::kind_info(), &Template::kind_info(),
        &VolumeSnapshot::kind_info(), &VolumeSnapshotClass::kind_info()};
    for (const auto& r : kRefused) k.push_back(&r);
    return k;
  }();
  return kinds;
}

const KindInfo* find_kind(std::string_view name) {
  std::string n = lower(name);
  std::string group;
  if (auto dot = n.find('.'); dot != std::string::npos) {
    group = n.substr(dot + 1);
    n.resize(dot);
  }
  for (const KindInfo* k : all_kinds()) {
    if (!group.empty() && lower(k->group()) != group) continue;
    if (lower(k->kind) == n || k->plural == n) return k;
    for (auto s : k->short_names)
      if (s == n) return k;
  }
  return nullptr;
}

const KindInfo* find_kind(std::string_view api_version, std::string_view kind) {
  const KindInfo* same_kind = nullptr;
  for (const KindInfo* k : all_kinds()) {
    if (k->kind != kind) continue;
    if (k->api_version == api_version) return k;
    // Refused kinds are matched on kind alone: their versions move upstream.
    if (!k->not_modelled.empty()) return k;
    same_kind = k;
  }
  (void)same_kind;
  return nullptr;
}

}  // namespace kvsim::models
