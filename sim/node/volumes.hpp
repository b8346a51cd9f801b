#pragma once
// The kubelet's volume gate (volumemanager's WaitForAttachAndMount): a pod's
// containers start only once every PersistentVolumeClaim it names exists, is
// not being deleted, is Bound, and its PV, when attachable (CSI), is attached
// to this node (a VolumeAttachment with status.attached), and every ConfigMap
// and Secret it mounts (not marked optional) exists; until then each failed
// SetUp of one is a FailedMount event, retried with backoff. The kubelet polls
// (300 ms upstream); after 2m3s of waiting it records FailedMount and keeps
// waiting, as the real one does after its sync times out.
#include <functional>
#include <string>
#include <vector>

#include "sim/controllers/component.hpp"

namespace kvsim::sim::node {

struct VolumeWait {
  std::vector<std::string> unmounted;  // pod volume names not ready
  std::vector<std::string> unattached;  // of those, waiting for an attach
  std::vector<std::string> failed;      // of those, whose claim is missing, unbound or being deleted
  // kubelet's FailedMount text for each volume whose SetUp fails
  // ("MountVolume.SetUp failed for volume \"x\" : secret \"y\" not found").
  std::vector<std::string> setup_failures;
  bool ready() const { return unmounted.empty(); }
  // "Unable to attach or mount volumes: unmounted volumes=[data], ...": the FailedMount text.
  std::string timeout_message() const;
};

// What the pod still waits for on `node` (nothing for pods without claims).
VolumeWait pending_volumes(const api::Store& store, const models::Pod& pod, const std::string& node);

// Calls `ready` (on `reactor`) once the pod's volumes are ready on `node`:
// at once when they already are, else at the first poll that finds them so.
// Stops waiting when the pod is deleted or replaced. `component` names the
// kubelet in events.
void wait_for_volumes(controllers::Context& ctx, engine::Reactor& reactor, const std::string& component,
                      const std::string& node, const models::Pod& pod, std::function<void()> ready);

}  // namespace kvsim::sim::node
