#pragma once
// The pod-template-hash that names a Deployment's ReplicaSets
// (`<deployment>-<hash>`) and labels their selector, template and pods.
#include <cstdint>
#include <optional>
#include <string>

#include "models/pod.hpp"

namespace kvsim::sim::controllers::deployment {

inline constexpr const char* kPodTemplateHashLabel = "pod-template-hash";

// FNV-32a over the template encoded as JSON (sorted keys, so deterministic),
// then the collision count, if any, as upstream adds it; the decimal digits of
// the sum are mapped through upstream's rand.SafeEncodeString alphabet
// "bcdfghjklmnpqrstvwxz2456789" (so a hash reads like "5d59d67564").
// Upstream hashes its Go object dump rather than JSON: values differ from a
// real cluster's, the shape and the properties (same template, same hash) do not.
std::string template_hash(const models::PodTemplateSpec& t, std::optional<std::int32_t> collision_count = {});

// Two templates equal apart from the pod-template-hash label (upstream EqualIgnoreHash).
bool equal_ignore_hash(const models::PodTemplateSpec& a, const models::PodTemplateSpec& b);

}  // namespace kvsim::sim::controllers::deployment
