#pragma once
// Whether CDI's importer can reach a DataVolume's source (FIDELITY.md §10, issue 20 item 3). Pure.
// A `registry` source (docker://IMAGE) is looked up like an image pull: the profile's
// registry catalogue and the unreachable-registry fault. An `http` source whose host can
// never resolve (the reserved .invalid and .test domains, RFC 6761) fails to connect.
// The texts are the importer's termination messages (UNCONFIRMED wording).
#include <optional>
#include <string>

#include "models/cdi.hpp"
#include "sim/engine/profile.hpp"

namespace kvsim::sim::kubevirt::storage {

// The importer's error, or nullopt when the import can run.
std::optional<std::string> import_failure(const models::DataVolume& dv, const engine::TimingProfile& profile,
                                          bool registry_reachable);

// How long the importer runs before it fails on an unreachable source (UNCONFIRMED).
inline constexpr double kImportAttempt = 2;

// kubelet's crash-loop back-off before the importer's `restarts`-th restart (restartPolicy
// OnFailure): 10 s doubling, at most 300 s (the profile's kubelet back-off).
double importer_restart_backoff(const engine::TimingProfile& profile, int restarts);

}  // namespace kvsim::sim::kubevirt::storage
