#pragma once
// inferFromVolume (KubeVirt v1.5.0 pkg/instancetype/infer): a matcher that
// names a volume instead of an instance type or preference takes the name and
// kind from the labels instancetype.kubevirt.io/default-instancetype(-kind) or
// default-preference(-kind) of what backs the volume: a PVC, a DataVolume (or
// the dataVolumeTemplates entry of that name), the PVC a DataVolume clones, or
// a DataSource its sourceRef names (read generically, so that it works once the
// DataSource kind is served).
#include <string>

#include "models/kubevirt.hpp"
#include "sim/api/store.hpp"

namespace kvsim::sim::kubevirt::instancetype {

// Replaces each matcher with inferFromVolume by {name, kind}. A failure that
// upstream may ignore (no label, unsupported volume) clears the matcher when
// inferFromVolumeFailurePolicy is Ignore. Returns upstream's error, "" on success.
std::string infer_matchers(const api::Store& store, models::VirtualMachine& vm);

}  // namespace kvsim::sim::kubevirt::instancetype
