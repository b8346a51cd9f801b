#include "sim/kubevirt/storage/storage_capabilities.hpp"

#include <algorithm>
#include <map>

namespace kvsim::sim::kubevirt::storage {
namespace {

const ClaimProperties kRwxBlock{"ReadWriteMany", "Block"};
const ClaimProperties kRwoBlock{"ReadWriteOnce", "Block"};
const ClaimProperties kRwoFile{"ReadWriteOnce", "Filesystem"};
const ClaimProperties kRwxFile{"ReadWriteMany", "Filesystem"};

// The provisioners an OpenShift Virtualization lab meets (ODF, Rook, LVMS, NFS, hostpath
// and the public clouds' block and file CSI drivers); CDI's table lists more.
const std::map<std::string, std::vector<ClaimProperties>>& table() {
  static const std::map<std::string, std::vector<ClaimProperties>> t = {
      {"kubevirt.io.hostpath-provisioner", {kRwoFile}},
      {"kubevirt.io/hostpath-provisioner", {kRwoFile}},
      {"nfs.csi.k8s.io", {kRwxFile}},
      {"kubernetes.io/rbd", {kRwxBlock, kRwoBlock, kRwoFile}},
      {"rbd.csi.ceph.com", {kRwxBlock, kRwoBlock, kRwoFile}},
      {"rook-ceph.rbd.csi.ceph.com", {kRwxBlock, kRwoBlock, kRwoFile}},
      {"openshift-storage.rbd.csi.ceph.com", {kRwxBlock, kRwoBlock, kRwoFile}},
      {"cephfs.csi.ceph.com", {kRwxFile}},
      {"openshift-storage.cephfs.csi.ceph.com", {kRwxFile}},
      {"topolvm.io", {kRwoBlock, kRwoFile}},
      {"topolvm.cybozu.com", {kRwoBlock, kRwoFile}},
      {"kubernetes.io/aws-ebs", {kRwoBlock}},
      {"ebs.csi.aws.com", {kRwoBlock}},
      {"efs.csi.aws.com", {kRwxFile, kRwoFile}},
      {"disk.csi.azure.com", {kRwoBlock}},
      {"file.csi.azure.com", {kRwxFile}},
      {"pd.csi.storage.gke.io", {kRwoBlock}},
      {"csi.vsphere.vmware.com", {kRwoBlock, kRwoFile}},
      {"cinder.csi.openstack.org", {kRwoBlock, kRwoFile}},
  };
  return t;
}

}  // namespace

std::vector<ClaimProperties> provisioner_capabilities(const std::string& provisioner) {
  auto it = table().find(provisioner);
  return it == table().end() ? std::vector<ClaimProperties>{} : it->second;
}

void complete_claim_modes(models::PersistentVolumeClaimSpec& spec, const std::vector<ClaimProperties>& capabilities) {
  const bool has_access = !spec.accessModes.empty();
  const bool has_volume = !spec.volumeMode.empty();
  if (has_access && has_volume) return;
  for (const auto& c : capabilities) {
    if (has_volume && c.volume_mode != spec.volumeMode) continue;
    if (has_access && std::find(spec.accessModes.begin(), spec.accessModes.end(), c.access_mode) == spec.accessModes.end())
      continue;
    if (!has_access) spec.accessModes = {c.access_mode};
    if (!has_volume) spec.volumeMode = c.volume_mode;
    return;
  }
}

}  // namespace kvsim::sim::kubevirt::storage
