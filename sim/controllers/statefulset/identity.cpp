#include "sim/controllers/statefulset/identity.hpp"

#include <algorithm>
#include <charconv>

#include "sim/controllers/deployment/template_hash.hpp"

namespace kvsim::sim::controllers::statefulset {
namespace {

models::PVCRetentionPolicy retention(const models::StatefulSet& set) {
  auto p = set.spec.persistentVolumeClaimRetentionPolicy.value_or(models::PVCRetentionPolicy{});
  if (p.whenDeleted.empty()) p.whenDeleted = "Retain";
  if (p.whenScaled.empty()) p.whenScaled = "Retain";
  return p;
}

models::OwnerReference set_ref(const models::StatefulSet& set) {
  return {"apps/v1", "StatefulSet", set.metadata.name, set.metadata.uid, true, true};
}

}  // namespace

std::string pod_name(const models::StatefulSet& set, int ordinal) {
  return set.metadata.name + "-" + std::to_string(ordinal);
}

int ordinal_of(const models::StatefulSet& set, const std::string& name) {
  const auto& prefix = set.metadata.name;
  if (name.size() <= prefix.size() + 1 || name.compare(0, prefix.size(), prefix) != 0 || name[prefix.size()] != '-')
    return -1;
  const char* first = name.data() + prefix.size() + 1;
  const char* last = name.data() + name.size();
  int ordinal = -1;
  auto [end, ec] = std::from_chars(first, last, ordinal);
  if (ec != std::errc() || end != last || ordinal < 0) return -1;
  return ordinal;
}

std::string claim_name(const models::StatefulSet& set, const models::PersistentVolumeClaimTemplate& t, int ordinal) {
  return t.metadata.name + "-" + pod_name(set, ordinal);
}

std::string revision_name(const models::StatefulSet& set, const models::PodTemplateSpec& t) {
  return set.metadata.name + "-" + deployment::template_hash(t);
}

std::string pod_revision(const models::Pod& pod) {
  auto it = pod.metadata.labels.find(kRevisionLabel);
  return it == pod.metadata.labels.end() ? std::string() : it->second;
}

std::shared_ptr<models::Pod> new_stateful_pod(const models::StatefulSet& set, const models::PodTemplateSpec& tmpl,
                                              int ordinal, const std::string& revision) {
  auto pod = std::make_shared<models::Pod>();
  pod->apiVersion = "v1";
  pod->kind = "Pod";
  pod->metadata.name = pod_name(set, ordinal);
  pod->metadata.namespace_ = set.metadata.namespace_;
  pod->metadata.labels = tmpl.metadata.labels;
  pod->metadata.annotations = tmpl.metadata.annotations;
  pod->metadata.labels[kPodNameLabel] = pod->metadata.name;
  pod->metadata.labels[kPodIndexLabel] = std::to_string(ordinal);
  pod->metadata.labels[kRevisionLabel] = revision;
  pod->metadata.ownerReferences = {set_ref(set)};
  pod->spec = tmpl.spec;
  pod->spec.hostname = pod->metadata.name;
  pod->spec.subdomain = set.spec.serviceName;
  // Claim volumes first, then the template's other volumes (a same-named one is replaced).
  std::vector<models::PodVolume> volumes;
  for (const auto& t : set.spec.volumeClaimTemplates) {
    models::PodVolume v;
    v.name = t.metadata.name;
    v.persistentVolumeClaim = models::PVCVolumeSource{claim_name(set, t, ordinal), false};
    volumes.push_back(std::move(v));
  }
  for (const auto& v : tmpl.spec.volumes) {
    const bool claimed = std::any_of(set.spec.volumeClaimTemplates.begin(), set.spec.volumeClaimTemplates.end(),
                                     [&](const auto& t) { return t.metadata.name == v.name; });
    if (!claimed) volumes.push_back(v);
  }
  pod->spec.volumes = std::move(volumes);
  return pod;
}

std::shared_ptr<models::PersistentVolumeClaim> new_claim(const models::StatefulSet& set,
                                                         const models::PersistentVolumeClaimTemplate& t, int ordinal) {
  auto claim = std::make_shared<models::PersistentVolumeClaim>();
  claim->apiVersion = "v1";
  claim->kind = "PersistentVolumeClaim";
  claim->metadata.name = claim_name(set, t, ordinal);
  claim->metadata.namespace_ = set.metadata.namespace_;
  claim->metadata.labels = t.metadata.labels;
  claim->metadata.annotations = t.metadata.annotations;
  if (set.spec.selector)
    for (const auto& [k, v] : set.spec.selector->matchLabels) claim->metadata.labels[k] = v;
  claim->spec = t.spec;
  claim->metadata.ownerReferences = desired_claim_owners(*claim, set, nullptr, false);
  return claim;
}

std::vector<models::OwnerReference> desired_claim_owners(const models::PersistentVolumeClaim& claim,
                                                         const models::StatefulSet& set, const models::Pod* pod,
                                                         bool condemned) {
  auto is_ours = [&](const models::OwnerReference& r) {
    return (r.kind == "StatefulSet" && r.name == set.metadata.name) || (pod && r.kind == "Pod" && r.name == pod->metadata.name);
  };
  std::vector<models::OwnerReference> refs;
  bool other_controller = false;
  for (const auto& r : claim.metadata.ownerReferences) {
    if (is_ours(r)) continue;
    refs.push_back(r);
    if (r.controller.value_or(false)) other_controller = true;
  }
  if (other_controller) return refs;
  const auto policy = retention(set);
  const bool delete_on_scale = policy.whenScaled == "Delete" && condemned && pod;
  if (delete_on_scale) refs.push_back({"v1", "Pod", pod->metadata.name, pod->metadata.uid, true, true});
  else if (policy.whenDeleted == "Delete") refs.push_back(set_ref(set));
  return refs;
}

}  // namespace kvsim::sim::controllers::statefulset
