#pragma once
// The PV controller's driver (persistentvolume-binder in kube-controller-
// manager): syncs claims and volumes from watches, binds both ways, asks
// external provisioners for volumes, releases volumes whose claim is gone and
// applies their reclaim policy. Pending claims are retried every
// --pvclaimbinder-sync-period (15 s), as upstream: a PV that becomes
// Available does not wake the claims waiting for one.
#include <map>
#include <set>

#include "sim/controllers/component.hpp"
#include "sim/controllers/pvbinder/plan.hpp"

namespace kvsim::sim::controllers::pvbinder {

class PersistentVolumeController : public Component {
 public:
  PersistentVolumeController(Context& ctx, std::string host);
  void start() override;

 private:
  void reconcile(const std::string& key) override;
  void sync_claim(const std::string& ns, const std::string& name);
  void sync_volume(const std::string& name);
  void bind(const models::PersistentVolume& pv, const models::PersistentVolumeClaim& pvc);
  void write_claim_phase(const models::PersistentVolumeClaim& pvc, const std::string& phase, const std::string& why);
  void ask_provisioner(const models::PersistentVolumeClaim& pvc, const std::string& provisioner);
  void index_volume(const models::PersistentVolume* before, const models::PersistentVolume* after);
  std::vector<const models::PersistentVolume*> candidates(const models::PersistentVolumeClaim& pvc,
                                                          std::vector<models::ObjectPtr>& keep) const;
  const models::StorageClass* default_class(std::vector<models::ObjectPtr>& keep) const;
  std::vector<std::string> unscheduled_pods(const models::PersistentVolumeClaim& pvc) const;
  void resync();

  // Volumes by what can claim them: unclaimed ones by class, the rest by the claim they name.
  std::map<std::string, std::set<std::string>> unclaimed_by_class_;
  std::map<std::string, std::set<std::string>> by_claim_;  // "ns/name" -> PV names
  std::set<std::string> pending_claims_;                   // "ns/name": retried on resync
  bool watching_ = false;
};

// Work queue keys: claims and volumes share the component's queue.
std::string claim_key(const std::string& ns, const std::string& name);
std::string volume_key(const std::string& name);

}  // namespace kvsim::sim::controllers::pvbinder
