#pragma once
// virt-operator's common instance types and preferences
// (models/common_instancetypes.hpp), created cluster-wide at bootstrap as a
// cluster with OpenShift Virtualization installed has them.
#include "sim/api/store.hpp"

namespace kvsim::sim::cluster {

void install_common_instancetypes(api::Store& store);

}  // namespace kvsim::sim::cluster
