#include "sim/controllers/pvbinder/plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <regex>
#include <set>

namespace kvsim::sim::controllers::pvbinder {

using models::PersistentVolume;
using models::PersistentVolumeClaim;

namespace {

models::Quantity storage_of(const models::ResourceList& list) {
  auto it = list.find("storage");
  return it == list.end() ? models::Quantity() : it->second;
}

std::string mode_or_default(const std::string& mode) { return mode.empty() ? "Filesystem" : mode; }

bool has_annotation(const models::Object& o, const char* key) { return o.metadata.annotations.contains(key); }

// A node selector term as JSON (the PV's nodeAffinity is kept opaque).
bool term_matches(const models::Json& term, const models::Node& node) {
  bool any = false;
  auto requirements = [&](const char* key, bool fields) {
    auto it = term.find(key);
    if (it == term.end() || !it->is_array()) return true;
    for (const auto& e : *it) {
      any = true;
      if (!e.is_object()) return false;
      models::LabelSelectorRequirement r;
      r.key = e.value("key", "");
      r.op = e.value("operator", "");
      if (auto v = e.find("values"); v != e.end() && v->is_array())
        for (const auto& s : *v)
          if (s.is_string()) r.values.push_back(s.get<std::string>());
      const models::Labels subject =
          fields ? models::Labels{{"metadata.name", node.metadata.name}} : node.metadata.labels.get();
      if (!models::requirement_matches(r, subject)) return false;
    }
    return true;
  };
  const bool ok = requirements("matchExpressions", false) && requirements("matchFields", true);
  return ok && any;  // an empty term matches nothing
}

}  // namespace

bool volume_bound_to_claim(const PersistentVolume& pv, const PersistentVolumeClaim& pvc) {
  const auto& ref = pv.spec.claimRef;
  return ref && ref->name == pvc.metadata.name && ref->namespace_ == pvc.metadata.namespace_ &&
         (ref->uid.empty() || ref->uid == pvc.metadata.uid);
}

bool access_modes_satisfied(const PersistentVolumeClaim& pvc, const PersistentVolume& pv) {
  for (const auto& m : pvc.spec.accessModes)
    if (std::find(pv.spec.accessModes.begin(), pv.spec.accessModes.end(), m) == pv.spec.accessModes.end()) return false;
  return true;
}

bool node_affinity_allows(const PersistentVolume& pv, const models::Node& node) {
  const auto& affinity = pv.spec.nodeAffinity;
  if (!affinity.is_object()) return true;
  auto required = affinity.find("required");
  if (required == affinity.end() || !required->is_object()) return true;
  auto terms = required->find("nodeSelectorTerms");
  if (terms == required->end() || !terms->is_array()) return true;
  for (const auto& t : *terms)
    if (t.is_object() && term_matches(t, node)) return true;
  return false;
}

std::string volume_mismatch(const PersistentVolume& pv, const PersistentVolumeClaim& pvc) {
  if (pv.metadata.being_deleted()) return fmt::format("the volume is marked for deletion \"{}\"", pv.metadata.name);
  if (storage_of(pv.spec.capacity) < storage_of(pvc.spec.resources.requests)) return "requested PV is too small";
  if (models::volume_class(pv) != models::claim_class(pvc)) return "storageClassName does not match";
  if (mode_or_default(pv.spec.volumeMode) != mode_or_default(pvc.spec.volumeMode)) return "incompatible volumeMode";
  if (!access_modes_satisfied(pvc, pv)) return "incompatible accessMode";
  return {};
}

namespace {

// FindMatchingVolume over one group of volumes. `stop` is set when a
// pre-bound volume exists but does not suit the node (no match at all).
const PersistentVolume* match_in(const PersistentVolumeClaim& pvc, const std::vector<const PersistentVolume*>& volumes,
                                 const models::Node* node, bool delay_binding, bool& stop) {
  const PersistentVolume* smallest = nullptr;
  const auto requested = storage_of(pvc.spec.resources.requests);
  const auto requested_class = models::claim_class(pvc);
  for (const auto* pv : volumes) {
    if (pv->spec.claimRef && !volume_bound_to_claim(*pv, pvc)) continue;
    const auto size = storage_of(pv->spec.capacity);
    if (size < requested) continue;
    if (mode_or_default(pv->spec.volumeMode) != mode_or_default(pvc.spec.volumeMode)) continue;
    if (pv->metadata.being_deleted()) continue;
    const bool affinity_ok = !node || node_affinity_allows(*pv, *node);
    if (volume_bound_to_claim(*pv, pvc)) {
      if (!affinity_ok) stop = true;
      return affinity_ok ? pv : nullptr;
    }
    if (!node && delay_binding) continue;  // the scheduler binds these
    if (pv->status.phase != "Available") continue;
    if (pvc.spec.selector && !pvc.spec.selector->matches(pv->metadata.labels)) continue;
    if (models::volume_class(*pv) != requested_class) continue;
    if (!affinity_ok) continue;
    if (node && !access_modes_satisfied(pvc, *pv)) continue;
    if (!smallest || storage_of(smallest->spec.capacity) > size) smallest = pv;
  }
  return smallest;
}

}  // namespace

const PersistentVolume* find_matching_volume(const PersistentVolumeClaim& pvc,
                                             const std::vector<const PersistentVolume*>& volumes,
                                             const models::Node* node, bool delay_binding) {
  bool stop = false;
  if (node) return match_in(pvc, volumes, node, delay_binding, stop);
  // The PV controller's index: volumes grouped by their access-mode set; the
  // groups that offer every mode the claim asks for, fewest modes first.
  std::map<std::pair<std::size_t, std::string>, std::vector<const PersistentVolume*>> groups;
  for (const auto* pv : volumes) {
    if (!access_modes_satisfied(pvc, *pv)) continue;
    std::set<std::string> modes(pv->spec.accessModes.begin(), pv->spec.accessModes.end());
    std::string key;
    for (const auto& m : modes) key += m + ",";
    groups[{modes.size(), key}].push_back(pv);
  }
  for (const auto& [key, group] : groups) {
    if (const auto* pv = match_in(pvc, group, nullptr, delay_binding, stop)) return pv;
    if (stop) return nullptr;
  }
  return nullptr;
}

namespace {

ClaimPlan pending(std::optional<Event> event = std::nullopt) {
  ClaimPlan p;
  p.action = ClaimPlan::Action::Pending;
  p.event = std::move(event);
  return p;
}

ClaimPlan bind(const std::string& volume) {
  ClaimPlan p;
  p.action = ClaimPlan::Action::Bind;
  p.volume = volume;
  return p;
}

ClaimPlan lost(const char* reason, const char* message) {
  ClaimPlan p;
  p.action = ClaimPlan::Action::Lost;
  p.event = Event{"Warning", reason, message};
  return p;
}

// A claim with no matching PV: wait for its first consumer, ask a
// provisioner, or report that nothing can satisfy it.
ClaimPlan without_volume(const ClaimView& v, bool delay_binding) {
  const auto& pvc = *v.claim;
  if (delay_binding && !has_annotation(pvc, kSelectedNode)) {
    // The scheduler picks the node (and so the PV or the provisioning) when a pod uses the claim.
    Event e{"Normal", "WaitForFirstConsumer", "waiting for first consumer to be created before binding"};
    if (!v.unscheduled_pods.empty()) {
      e.reason = "WaitForPodScheduled";
      std::string names;
      for (const auto& n : v.unscheduled_pods) names += (names.empty() ? "" : ",") + n;
      e.message = fmt::format("waiting for {} {} to be scheduled", v.unscheduled_pods.size() > 1 ? "pods" : "pod", names);
    }
    return pending(e);
  }
  const auto class_name = models::claim_class(pvc);
  if (class_name.empty())
    return pending(Event{"Normal", "FailedBinding", "no persistent volumes available for this claim and no storage class is set"});
  if (!v.storage_class)
    return pending(Event{"Warning", "ProvisioningFailed",
                         fmt::format("storageclass.storage.k8s.io \"{}\" not found", class_name)});
  const auto& provisioner = v.storage_class->provisioner;
  // In-tree provisioners are gone (CSI migration): a kubernetes.io/ name has no plugin.
  if (provisioner.starts_with("kubernetes.io/"))
    return pending(Event{"Warning", "ProvisioningFailed", "no volume plugin matched name: " + provisioner});
  ClaimPlan p;
  p.action = ClaimPlan::Action::Provision;
  p.provisioner = provisioner;
  p.event = Event{"Normal", "ExternalProvisioning",
                  fmt::format("Waiting for a volume to be created either by the external provisioner '{}' or manually "
                              "by the system administrator. If volume creation is delayed, please verify that the "
                              "provisioner is running and correctly registered.",
                              provisioner)};
  return p;
}

}  // namespace

ClaimPlan plan_claim(const ClaimView& v) {
  const auto& pvc = *v.claim;
  if (pvc.metadata.being_deleted()) return {};
  if (has_annotation(pvc, kBindCompleted)) {
    // Bound before: keep it bound, or report the loss.
    if (pvc.spec.volumeName.empty())
      return lost("ClaimLost", "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!");
    if (!v.named_volume) return lost("ClaimLost", "Bound claim has lost its PersistentVolume. Data on the volume is lost!");
    const auto& ref = v.named_volume->spec.claimRef;
    if (!ref || ref->uid == pvc.metadata.uid) return bind(v.named_volume->metadata.name);
    return lost("ClaimMisbound", "Two claims are bound to the same volume, this one is bound incorrectly");
  }
  if (!pvc.spec.volumeName.empty()) {
    // The user asked for a specific PV.
    if (!v.named_volume) return pending();
    const auto& pv = *v.named_volume;
    if (!pv.spec.claimRef) {
      if (auto why = volume_mismatch(pv, pvc); !why.empty())
        return pending(Event{"Warning", "VolumeMismatch",
                             fmt::format("Cannot bind to requested volume \"{}\": {}", pv.metadata.name, why)});
      return bind(pv.metadata.name);
    }
    if (volume_bound_to_claim(pv, pvc)) return bind(pv.metadata.name);
    return pending();  // claimed by someone else: retried later
  }
  // Retroactive default class: a claim created before any default existed gets it now.
  if (!pvc.spec.storageClassName && !has_annotation(pvc, "volume.beta.kubernetes.io/storage-class") && v.default_class) {
    ClaimPlan p;
    p.action = ClaimPlan::Action::SetDefaultClass;
    p.storage_class = v.default_class->metadata.name;
    return p;
  }
  const bool delay_binding = v.storage_class && v.storage_class->wait_for_first_consumer();
  if (const auto* pv = find_matching_volume(pvc, v.volumes, nullptr, delay_binding)) return bind(pv->metadata.name);
  return without_volume(v, delay_binding);
}

namespace {

// What reclaimPolicy does to a volume whose claim is gone.
void reclaim(const PersistentVolume& pv, VolumePlan& plan) {
  const auto& policy = pv.spec.persistentVolumeReclaimPolicy;
  if (policy == "Retain" || policy.empty()) return;
  if (policy == "Recycle") {
    plan.phase = "Failed";
    plan.message = "Recycle is deprecated upstream and not simulated by kvsim";
    plan.event = Event{"Warning", "VolumeFailedRecycle", plan.message};
    return;
  }
  // Delete. A provisioned volume is deleted by its (external) provisioner.
  if (has_annotation(pv, kProvisionedBy) || !pv.spec.csi.is_null()) return;
  if (pv.spec.hostPath) {
    // The in-tree hostPath deleter only removes scratch directories.
    if (std::regex_match(pv.spec.hostPath->path, std::regex("/tmp/.+"))) {
      plan.delete_volume = true;
      return;
    }
    plan.phase = "Failed";
    plan.message = "host_path deleter only supports /tmp/.+ but received provided " + pv.spec.hostPath->path;
  } else {
    plan.phase = "Failed";
    plan.message = fmt::format("error getting deleter volume plugin for volume \"{}\": no deletable volume plugin matched",
                               pv.metadata.name);
  }
  plan.event = Event{"Warning", "VolumeFailedDelete", plan.message};
}

}  // namespace

VolumePlan plan_volume(const PersistentVolume& pv, const PersistentVolumeClaim* claim) {
  VolumePlan plan;
  const auto& phase = pv.status.phase;
  auto set_phase = [&](const char* p) {
    if (phase != p) plan.phase = p;
  };
  if (!pv.spec.claimRef || pv.spec.claimRef->uid.empty()) {
    // Unused, or pre-bound to a claim that has not bound yet.
    set_phase("Available");
    plan.sync_claim = pv.spec.claimRef.has_value();
    return plan;
  }
  if (!claim) {
    // The claim was deleted: released, then the reclaim policy applies.
    if (phase == "Failed") return plan;  // keep the failure visible
    set_phase("Released");
    reclaim(pv, plan);
    return plan;
  }
  if (claim->spec.volumeName.empty()) {
    plan.sync_claim = true;  // binding in progress (e.g. just provisioned)
    return plan;
  }
  if (claim->spec.volumeName == pv.metadata.name) {
    set_phase("Bound");
    return plan;
  }
  // The claim is bound to another volume.
  if (has_annotation(pv, kProvisionedBy) && pv.spec.persistentVolumeReclaimPolicy == "Delete") {
    set_phase("Released");
    return plan;
  }
  if (has_annotation(pv, kBoundByController)) {
    plan.unbind = true;
    plan.phase = "Available";
  }
  return plan;
}

}  // namespace kvsim::sim::controllers::pvbinder
