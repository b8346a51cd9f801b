#pragma once
// The attach/detach controller's driver (attachdetach-controller in kube-
// controller-manager, with the CSI external-attacher folded in): keeps which
// pods use which claims from watches, and per PV creates a VolumeAttachment
// for each node whose pods need it (attached after the profile's attach
// delay), deletes the ones no pod needs (after the detach delay), and reports
// a Multi-Attach error once to each pod that must wait for a volume held on
// another node. The kubelet's volume gate (sim/node/volumes) reads the
// VolumeAttachments.
#include <map>
#include <set>

#include "sim/controllers/component.hpp"

namespace kvsim::sim::controllers::attachdetach {

class AttachDetachController : public Component {
 public:
  AttachDetachController(Context& ctx, std::string host);
  void start() override;

 private:
  void reconcile(const std::string& pv_name) override;
  void on_pod(const api::WatchEvent& e);
  void enqueue_claim_volume(const std::string& ns, const std::string& claim);
  void attach(const models::PersistentVolume& pv, const std::string& node);
  void detach(const std::string& pv_name, const std::string& va_name);

  std::map<std::string, std::set<std::string>> claim_pods_;  // "ns/claim" -> pod keys
  std::map<std::string, std::set<std::string>> pv_nodes_;    // PV -> nodes with a VolumeAttachment (from watches)
  std::set<std::string> detaching_;                          // VolumeAttachment names
  std::set<std::string> reported_;                           // "pv|node|pod uid": Multi-Attach already told
  bool watching_ = false;
};

}  // namespace kvsim::sim::controllers::attachdetach
