#pragma once
// `oc describe` for Secrets and ConfigMaps (kubectl's SecretDescriber and
// ConfigMapDescriber). A Secret's values are never printed, only their sizes
// ("password:  11 bytes"); a ConfigMap's are printed in full.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/core.hpp"

namespace kvsim::sim::commands {

// The text for a Secret or ConfigMap; nullopt for other kinds.
std::optional<std::string> describe_config(const models::Object& obj,
                                           const std::vector<std::shared_ptr<const models::Event>>& events,
                                           double now);

}  // namespace kvsim::sim::commands
