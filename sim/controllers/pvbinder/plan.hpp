#pragma once
// The PV controller's decisions (kube-controller-manager's
// persistentvolume-binder, pkg/controller/volume/persistentvolume), as pure
// functions of what it sees: which PV a claim binds, when a claim waits, is
// provisioned or lost, and what becomes of a PV whose claim is gone.
#include <optional>
#include <string>
#include <vector>

#include "models/storage.hpp"

namespace kvsim::sim::controllers::pvbinder {

// Annotations the binder and the provisioners write.
inline constexpr const char* kBindCompleted = "pv.kubernetes.io/bind-completed";
inline constexpr const char* kBoundByController = "pv.kubernetes.io/bound-by-controller";
inline constexpr const char* kProvisionedBy = "pv.kubernetes.io/provisioned-by";
inline constexpr const char* kStorageProvisioner = "volume.kubernetes.io/storage-provisioner";
inline constexpr const char* kBetaStorageProvisioner = "volume.beta.kubernetes.io/storage-provisioner";
inline constexpr const char* kSelectedNode = "volume.kubernetes.io/selected-node";

struct Event {
  std::string type, reason, message;
  friend bool operator==(const Event&, const Event&) = default;
};

// pv.spec.claimRef names this claim (and its UID, when the ref has one).
bool volume_bound_to_claim(const models::PersistentVolume& pv, const models::PersistentVolumeClaim& pvc);
// Every mode the claim asks for is among the volume's.
bool access_modes_satisfied(const models::PersistentVolumeClaim& pvc, const models::PersistentVolume& pv);
// The PV's required node affinity (nodeSelectorTerms ORed, expressions ANDed) admits the node.
bool node_affinity_allows(const models::PersistentVolume& pv, const models::Node& node);
// Why a named PV cannot serve the claim ("" when it can): checkVolumeSatisfyClaim's words.
std::string volume_mismatch(const models::PersistentVolume& pv, const models::PersistentVolumeClaim& pvc);

// The PV an unbound claim gets, or null. A PV pre-bound to the claim wins;
// otherwise the smallest Available PV of the claim's class that is big
// enough, has the claim's volume mode, matches its selector and offers its
// access modes. Without a node (the PV controller) volumes are searched by
// access-mode set, the sets with fewest modes first, and a WaitForFirstConsumer
// claim (`delay_binding`) only takes a pre-bound PV; with a node (the
// scheduler) the PV's node affinity must admit the node.
const models::PersistentVolume* find_matching_volume(const models::PersistentVolumeClaim& pvc,
                                                     const std::vector<const models::PersistentVolume*>& volumes,
                                                     const models::Node* node, bool delay_binding);

// What the controller sees of one claim.
struct ClaimView {
  const models::PersistentVolumeClaim* claim = nullptr;
  std::vector<const models::PersistentVolume*> volumes;  // every PV
  const models::PersistentVolume* named_volume = nullptr;  // the PV spec.volumeName names, if it exists
  const models::StorageClass* storage_class = nullptr;   // the claim's class, null when unset or missing
  const models::StorageClass* default_class = nullptr;   // the cluster's default class, if any
  std::vector<std::string> unscheduled_pods;             // pods using the claim not yet on a node
};

struct ClaimPlan {
  enum class Action { Nothing, Bind, Provision, Pending, Lost, SetDefaultClass };
  Action action = Action::Nothing;
  std::string volume;       // Bind: the PV
  std::string provisioner;  // Provision: the external provisioner asked to create the volume
  std::string storage_class;  // SetDefaultClass
  std::optional<Event> event;
};
ClaimPlan plan_claim(const ClaimView& view);

struct VolumePlan {
  std::string phase;     // the phase to write; "" keeps it
  std::string message;   // status.message with it
  bool unbind = false;   // clear claimRef: the controller's binding lost its claim to another PV
  bool delete_volume = false;  // reclaim Delete done in-tree: remove the PV object
  bool sync_claim = false;     // binding half done: the claim's sync finishes it
  std::optional<Event> event;
};
// `claim` is the PVC spec.claimRef names (null when missing or not that UID).
VolumePlan plan_volume(const models::PersistentVolume& pv, const models::PersistentVolumeClaim* claim);

}  // namespace kvsim::sim::controllers::pvbinder
