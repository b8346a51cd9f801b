#pragma once
// What an OpenShift Virtualization cluster has before any user object, beyond
// namespaces and nodes:
//  - the default StorageClass of OpenShift Data Foundation,
//    `ocs-storagecluster-ceph-rbd` (provisioner openshift-storage.rbd.csi.ceph.com,
//    Immediate binding, reclaimPolicy Delete, expansion allowed), so claims
//    without a class are provisioned (a scenario may delete it or add others);
//  - the `kubernetes` Service in `default` (ClusterIP 172.30.0.1, port 443)
//    with Endpoints on the control-plane nodes' port 6443.
#include "sim/api/store.hpp"

namespace kvsim::sim::cluster {

void bootstrap_platform_services(api::Store& store);

}  // namespace kvsim::sim::cluster
