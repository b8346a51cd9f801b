#pragma once
// The cluster-wide KubeVirt configuration: what upstream's KubeVirt CR holds in
// spec.configuration (developerConfiguration.featureGates,
// architectureConfiguration.defaultArchitecture), and OpenShift's
// HyperConverged CR renders into it. A scenario sets it under `kubevirt:`.
#include <set>
#include <string>

namespace kvsim::sim::kubevirt {

// The architectures KubeVirt builds for (Go's names, as kubernetes.io/arch carries them).
inline constexpr const char* kArchitectures = "amd64, arm64, ppc64le, s390x";
inline bool is_architecture(const std::string& arch) {
  return arch == "amd64" || arch == "arm64" || arch == "ppc64le" || arch == "s390x";
}

struct KubeVirtConfig {
  // Feature gates switched on (e.g. HostDisk, Sidecar). None is on by default upstream.
  std::set<std::string> feature_gates;
  // Given to a VMI that names no spec.architecture. Upstream's default is the
  // architecture virt-operator runs on: amd64 on an x86 control plane.
  std::string default_architecture = "amd64";

  bool enabled(const std::string& gate) const { return feature_gates.contains(gate); }
};

}  // namespace kvsim::sim::kubevirt
