#include "models/registry.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <utility>

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

namespace {

// The versions a group's kinds are served in, preferred (and storage) first,
// for the groups that serve more than their kinds' own version. KubeVirt
// v1.5.0: staging/src/kubevirt.io/api/core/v1/register.go ApiSupportedVersions,
// which the CRDs of VirtualMachine, VirtualMachineInstance, VMIRS, VMIM and
// KubeVirt copy whole (pkg/virt-operator/resource/generate/components/crds.go,
// newCRDVersions). Every other group serves its kinds' api_version alone.
struct GroupVersions {
  std::string_view group;
  std::vector<ServedVersion> versions;
};
const GroupVersions kServed[] = {
    {"kubevirt.io",
     {{"v1", ""},
      {"v1alpha3", "kubevirt.io/v1alpha3 is now deprecated and will be removed in a future release."}}},
};

std::pair<std::string_view, std::string_view> split_api_version(std::string_view api_version) {
  const auto slash = api_version.find('/');
  if (slash == std::string_view::npos) return {{}, api_version};
  return {api_version.substr(0, slash), api_version.substr(slash + 1)};
}

bool named(const KindInfo& k, const std::string& n) {
  if (lower(k.kind) == n || k.plural == n) return true;
  for (auto s : k.short_names)
    if (s == n) return true;
  return false;
}

const KindInfo* find_in_group(const std::string& n, const std::string& group, bool any_group) {
  for (const KindInfo* k : all_kinds())
    if ((any_group || lower(k->group()) == group) && named(*k, n)) return k;
  return nullptr;
}

}  // namespace

std::vector<ServedVersion> served_versions(const KindInfo& kind) {
  for (const auto& g : kServed)
    if (g.group == kind.group()) return g.versions;
  return {{kind.version(), ""}};
}

std::optional<ServedVersion> served_version(const KindInfo& kind, std::string_view version) {
  for (const auto& v : served_versions(kind))
    if (v.version == version) return v;
  return std::nullopt;
}

std::string served_api_versions(const KindInfo& kind) {
  const auto versions = served_versions(kind);
  std::string out;
  for (std::size_t i = 0; i < versions.size(); ++i) {
    if (i > 0) out += i + 1 == versions.size() ? " and " : ", ";
    out += kind.group().empty() ? std::string(versions[i].version)
                                : std::string(kind.group()) + "/" + std::string(versions[i].version);
  }
  return out;
}

Json in_served_version(Json object, const KindInfo& kind, std::string_view api_version) {
  if (object.is_object() && object.value("apiVersion", std::string()) == kind.api_version)
    object["apiVersion"] = std::string(api_version);
  return object;
}

std::string_view deprecation_warning(const KindInfo& kind, std::string_view api_version) {
  const auto [group, version] = split_api_version(api_version);
  if (group != kind.group()) return {};
  const auto served = served_version(kind, version);
  return served ? served->deprecation_warning : std::string_view();
}

KindWord find_kind_word(std::string_view name) {
  std::string n = lower(name);
  const auto dot = n.find('.');
  if (dot == std::string::npos) return {find_in_group(n, {}, true), {}};
  const std::string resource = n.substr(0, dot), rest = n.substr(dot + 1);
  // resource.group first, then resource.version.group (kubectl tries both).
  if (const KindInfo* k = find_in_group(resource, rest, false)) return {k, {}};
  const auto second = rest.find('.');
  if (second == std::string::npos) return {};
  const std::string version = rest.substr(0, second);
  const KindInfo* k = find_in_group(resource, rest.substr(second + 1), false);
  if (!k || !served_version(*k, version)) return {};
  return {k, version};
}

const KindInfo* find_kind(std::string_view name) { return find_kind_word(name).kind; }

const KindInfo* find_kind(std::string_view api_version, std::string_view kind) {
  const auto [group, version] = split_api_version(api_version);
  for (const KindInfo* k : all_kinds()) {
    if (k->kind != kind) continue;
    // Refused kinds are matched on kind alone: their versions move upstream.
    if (!k->not_modelled.empty()) return k;
    if (k->group() == group && served_version(*k, version)) return k;
  }
  return nullptr;
}

}  // namespace kvsim::models
