#include "sim/controllers/scheduler/volume_binding.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "models/storage.hpp"
#include "sim/controllers/pvbinder/plan.hpp"

namespace kvsim::sim::controllers::scheduler {

using models::PersistentVolume;
using models::PersistentVolumeClaim;
using models::StorageClass;

namespace {

constexpr const char* kNodeConflict = "node(s) had volume node affinity conflict";
constexpr const char* kBindConflict = "node(s) didn't find available persistent volumes to bind";
constexpr const char* kReadWriteOncePodConflict =
    "node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode";

// What the filter reads, kept alive for as long as the filter lives.
struct PodVolumes {
  std::vector<models::ObjectPtr> keep;
  std::vector<const PersistentVolume*> bound;          // PVs of bound claims
  std::vector<const PersistentVolumeClaim*> delayed;   // unbound WaitForFirstConsumer claims
  std::vector<bool> provisionable;                     // per delayed claim: its class has a provisioner
  std::vector<const PersistentVolume*> volumes;        // every PV (only read when claims are delayed)
  bool rwop_conflict = false;
};

bool fully_bound(const api::Store& store, const PersistentVolumeClaim& pvc, models::ObjectPtr& pv) {
  if (pvc.spec.volumeName.empty()) return false;
  pv = store.get(PersistentVolume::kind_info(), "", pvc.spec.volumeName);
  return pv && pvc.metadata.annotations.contains(pvbinder::kBindCompleted);
}

// Another unfinished pod on some node already uses this ReadWriteOncePod claim.
bool read_write_once_pod_taken(const api::Store& store, const models::Pod& pod, const PersistentVolumeClaim& pvc) {
  const auto& modes = pvc.spec.accessModes;
  if (std::find(modes.begin(), modes.end(), "ReadWriteOncePod") == modes.end()) return false;
  for (const auto& o : store.list(models::Pod::kind_info(), pod.metadata.namespace_)) {
    const auto& other = static_cast<const models::Pod&>(*o);
    if (other.metadata.uid == pod.metadata.uid || other.spec.nodeName.empty()) continue;
    if (other.status.phase == "Succeeded" || other.status.phase == "Failed") continue;
    for (const auto& v : other.spec.volumes)
      if (v.persistentVolumeClaim && v.persistentVolumeClaim->claimName == pvc.metadata.name) return true;
  }
  return false;
}

// For each unbound WaitForFirstConsumer claim, the PV it would get on `node`
// (null when it would be provisioned instead). Claims do not share a PV.
std::vector<const PersistentVolume*> choose_volumes(const PodVolumes& pv, const models::Node& node, bool& fits) {
  std::vector<const PersistentVolume*> chosen, pool = pv.volumes;
  fits = true;
  for (std::size_t i = 0; i < pv.delayed.size(); ++i) {
    const auto* match = pvbinder::find_matching_volume(*pv.delayed[i], pool, &node, true);
    if (match) std::erase(pool, match);
    else if (!pv.provisionable[i]) fits = false;
    chosen.push_back(match);
  }
  return chosen;
}

std::shared_ptr<PodVolumes> gather(const api::Store& store, const models::Pod& pod, std::string& rejected) {
  auto out = std::make_shared<PodVolumes>();
  bool any = false;
  for (const auto& v : pod.spec.volumes) {
    if (!v.persistentVolumeClaim) continue;
    any = true;
    const auto& claim = v.persistentVolumeClaim->claimName;
    auto pvc = store.get<PersistentVolumeClaim>(pod.metadata.namespace_, claim);
    if (!pvc) {
      rejected = fmt::format("persistentvolumeclaim \"{}\" not found", claim);
      return nullptr;
    }
    if (pvc->metadata.being_deleted()) {
      rejected = fmt::format("persistentvolumeclaim \"{}\" is being deleted", claim);
      return nullptr;
    }
    out->keep.push_back(pvc);
    if (read_write_once_pod_taken(store, pod, *pvc)) out->rwop_conflict = true;
    models::ObjectPtr pv;
    if (fully_bound(store, *pvc, pv)) {
      out->keep.push_back(pv);
      out->bound.push_back(static_cast<const PersistentVolume*>(pv.get()));
      continue;
    }
    auto sc = store.get<StorageClass>("", models::claim_class(*pvc));
    if (!sc || !sc->wait_for_first_consumer() || !pvc->spec.volumeName.empty()) {
      // Immediate binding: the PV controller should have bound it already.
      rejected = "pod has unbound immediate PersistentVolumeClaims";
      return nullptr;
    }
    out->keep.push_back(sc);
    out->delayed.push_back(pvc.get());
    out->provisionable.push_back(!sc->provisioner.starts_with("kubernetes.io/"));
  }
  if (!any) return nullptr;
  if (!out->delayed.empty())
    for (const auto& o : store.list(PersistentVolume::kind_info())) {
      out->keep.push_back(o);
      out->volumes.push_back(static_cast<const PersistentVolume*>(o.get()));
    }
  return out;
}

}  // namespace

VolumeCheck check_volumes(const api::Store& store, const models::Pod& pod) {
  VolumeCheck check;
  auto volumes = gather(store, pod, check.rejected);
  if (!volumes) return check;
  // VolumeRestrictions' conflict is Unschedulable (preempting the claim's user
  // could free it); VolumeBinding's reasons are UnschedulableAndUnresolvable.
  check.filter = [volumes](const models::Node& node) -> NodeStatus {
    if (volumes->rwop_conflict) return {{kReadWriteOncePodConflict}, true};
    for (const auto* pv : volumes->bound)
      if (!pvbinder::node_affinity_allows(*pv, node)) return {{kNodeConflict}, false};
    if (volumes->delayed.empty()) return {};
    bool fits = true;
    choose_volumes(*volumes, node, fits);
    if (fits) return {};
    return {{kBindConflict}, false};
  };
  return check;
}

void bind_pod_volumes(api::Store& store, const models::Pod& pod, const std::string& node_name,
                      const std::string& component) {
  std::string rejected;
  auto volumes = gather(store, pod, rejected);
  auto node = store.get<models::Node>("", node_name);
  if (!volumes || volumes->delayed.empty() || !node) return;
  bool fits = true;
  const auto chosen = choose_volumes(*volumes, *node, fits);
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    const auto& pvc = *volumes->delayed[i];
    if (const auto* pv = chosen[i]) {
      // A static PV: the scheduler writes the binding's first half; the PV controller completes it.
      if (pvbinder::volume_bound_to_claim(*pv, pvc) && pv->spec.claimRef->uid == pvc.metadata.uid) continue;
      auto next = std::static_pointer_cast<PersistentVolume>(pv->clone());
      next->spec.claimRef = models::ObjectReference{"v1", "PersistentVolumeClaim", pvc.metadata.namespace_,
                                                    pvc.metadata.name, pvc.metadata.uid, {}, pvc.metadata.resourceVersion};
      next->metadata.annotations[pvbinder::kBoundByController] = "yes";
      store.update(next, api::Cause{component, "claimRef -> " + pvc.metadata.namespace_ + "/" + pvc.metadata.name,
                                    "pod " + pod.metadata.name + " scheduled to " + node_name});
      continue;
    }
    if (auto it = pvc.metadata.annotations.find(pvbinder::kSelectedNode);
        it != pvc.metadata.annotations.end() && it->second == node_name)
      continue;
    auto next = std::static_pointer_cast<PersistentVolumeClaim>(pvc.clone());
    next->metadata.annotations[pvbinder::kSelectedNode] = node_name;
    store.update(next, api::Cause{component, "selected-node " + node_name,
                                  "first consumer " + pod.metadata.name + " scheduled; provision there"});
  }
}

}  // namespace kvsim::sim::controllers::scheduler
