#pragma once
// What discovery serves, for the other parts that need it: the /version
// document, and a fingerprint of the discovery documents (kubectl caches
// discovery for 6 hours per host:port, so the kubectl cache folder kvsim
// suggests is named after it: a kvsim that serves other kinds gets a fresh one).
#include <string>

#include "models/codec/decoder.hpp"

namespace kvsim::sim::apiserver {

struct ServeOptions;

inline constexpr const char* kAggregatedDiscoveryContentType =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

models::Json version_document(const ServeOptions& options);
std::string discovery_fingerprint();

}  // namespace kvsim::sim::apiserver
