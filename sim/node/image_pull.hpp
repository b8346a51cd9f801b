#pragma once
// What a pull of one image gives, and kubelet's back-off after failed pulls. Pure.
//
// The registry answers from the profile's catalogue (registryImages: empty means every
// image exists); the "unreachable registry" fault (`registry fail`) makes every pull time
// out. The error texts are CRI-O's (containers/image) as kubelet passes them on in its
// events and container statuses (UNCONFIRMED wording: read from clusters, not code).
// Kubelet (pkg/kubelet/images/image_manager.go, Kubernetes 1.32): a failed pull records
// `Failed to pull image "X": ERR` and moves the pod's back-off (flowcontrol.Backoff keyed by
// pod UID and image: 10 s, doubling, at most 300 s); while in back-off, the pod worker's
// retries answer ImagePullBackOff `Back-off pulling image "X"` without pulling.
#include <optional>
#include <string>

#include "sim/engine/profile.hpp"

namespace kvsim::sim::node {

struct ImageRef {
  std::string registry;    // quay.io, docker.io (for a short name)...
  std::string repository;  // the name without registry, tag or digest
  std::string tag;         // "latest" when none; empty with a digest
  std::string digest;
};
ImageRef parse_image(const std::string& image);

struct PullFailure {
  std::string error;  // the runtime's error text
  double after = 0;   // seconds until the runtime gives up
};

// nullopt when the image can be pulled.
std::optional<PullFailure> pull_failure(const engine::TimingProfile& profile, const std::string& image,
                                        bool registry_reachable);

// The back-off after one more failure, from the current one (0: none yet).
double next_pull_backoff(const engine::TimingProfile& profile, double current);

// The cluster-wide "unreachable registry" fault (engine state: one registry per simulation).
void set_registry_reachable(bool reachable);
bool registry_reachable();

}  // namespace kvsim::sim::node
