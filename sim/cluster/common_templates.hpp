#pragma once
// The common VM templates SSP installs in the `openshift` namespace
// (sim/cluster/common_templates.yaml, embedded): rhel8/rhel9/centos-stream9/fedora
// server-small and windows2k22-server-medium, each a VirtualMachine whose rootdisk is a
// dataVolumeTemplate cloning the DataSource DATA_SOURCE_NAME in DATA_SOURCE_NAMESPACE.
#include "sim/api/store.hpp"

namespace kvsim::sim::cluster {

void bootstrap_common_templates(api::Store& store);

}  // namespace kvsim::sim::cluster
