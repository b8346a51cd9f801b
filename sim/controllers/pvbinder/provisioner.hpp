#pragma once
// The external (CSI) provisioners, simulated as one component that answers
// for every provisioner name a StorageClass uses (except the in-tree
// kubernetes.io/ names, which have no plugin). A claim the PV controller
// hands over (volume.kubernetes.io/storage-provisioner) gets, after the
// profile's provisioning delay, a PV "pvc-<claim uid>" with the claim's size,
// access modes and volume mode, the class's reclaim policy and mount options,
// and a claimRef to the claim; the PV controller then binds the two. A
// WaitForFirstConsumer claim is provisioned only once the scheduler has
// chosen its node (volume.kubernetes.io/selected-node), and its PV is pinned
// to that node (node affinity on kubernetes.io/hostname), as a node-local
// driver such as LVMS or the hostpath provisioner does. A released PV it
// provisioned with reclaimPolicy Delete is deleted after the deletion delay.
#include <set>

#include "models/storage.hpp"
#include "sim/controllers/component.hpp"

namespace kvsim::sim::controllers::pvbinder {

class Provisioner : public Component {
 public:
  Provisioner(Context& ctx, std::string host);
  void start() override;

 private:
  void reconcile(const std::string& key) override;
  void consider_claim(const models::PersistentVolumeClaim& pvc);
  void provision(const std::string& ns, const std::string& name, const std::string& uid);
  void consider_volume(const models::PersistentVolume& pv);

  std::set<std::string> provisioning_;  // claim UIDs in flight (no double creation)
  std::set<std::string> deleting_;      // PV names being deleted
  bool watching_ = false;
};

// The PV a provisioner makes for `pvc` of class `sc` (pinned to `node` when non-empty).
std::shared_ptr<models::PersistentVolume> provisioned_volume(const models::PersistentVolumeClaim& pvc,
                                                             const models::StorageClass& sc, const std::string& node);

}  // namespace kvsim::sim::controllers::pvbinder
