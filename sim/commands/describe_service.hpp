#pragma once
// `oc describe` for Services and Endpoints (kubectl's ServiceDescriber and
// EndpointsDescriber). The Service's "Endpoints:" line per port comes from its
// Endpoints object (kubectl reads the EndpointSlices mirroring it: a Service
// with no such object shows "<none>", one with no ready address shows nothing).
#include <optional>
#include <string>
#include <vector>

#include "models/discovery.hpp"

namespace kvsim::sim::commands {

// The text for a Service or Endpoints (`related` may hold the Service's
// Endpoints); nullopt for other kinds.
std::optional<std::string> describe_service(const models::Object& obj,
                                            const std::vector<std::shared_ptr<const models::Event>>& events,
                                            double now, const std::vector<models::ObjectPtr>* related);

}  // namespace kvsim::sim::commands
