#pragma once
// The attach/detach controller's decision for one PV (kube-controller-
// manager's attachdetach reconciler), as a pure function: detach where no pod
// uses the volume any more, attach where pods wait for it, and refuse a second
// node for a volume that cannot be attached to several (Multi-Attach error).
#include <map>
#include <string>
#include <vector>

#include "models/storage.hpp"

namespace kvsim::sim::controllers::attachdetach {

// Only CSI volumes go through attach (hostPath, local and NFS are mounted directly).
bool attachable(const models::PersistentVolume& pv);
// Upstream isMultiAttachAllowed: a PV offering ReadWriteMany or ReadOnlyMany.
bool multi_attach_allowed(const models::PersistentVolume& pv);

struct AttachView {
  const models::PersistentVolume* pv = nullptr;
  // Desired: the nodes with pods using the volume, in the order they asked
  // (earliest pod first), with those pods.
  std::vector<std::pair<std::string, std::vector<const models::Pod*>>> wanted;
  // Actual: nodes with a VolumeAttachment for it (attached or attaching).
  std::vector<std::string> attached;
};

struct MultiAttachError {
  std::string node;
  const models::Pod* pod = nullptr;
  std::string message;  // FailedAttachVolume event text for that pod
};

struct AttachPlan {
  std::vector<std::string> detach;  // nodes whose attachment goes (detaches first, as upstream)
  std::vector<std::string> attach;  // nodes to attach to
  std::vector<MultiAttachError> refused;
};
AttachPlan plan_attachments(const AttachView& view);

}  // namespace kvsim::sim::controllers::attachdetach
