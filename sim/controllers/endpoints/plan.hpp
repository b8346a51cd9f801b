#pragma once
// The endpoints controller's decision (pkg/controller/endpoint), as a pure
// function: the subsets of a Service's Endpoints from the pods its selector
// matches. A pod with an IP that is not finished counts; a deleted one only
// with publishNotReadyAddresses. Ready pods (or every pod, with
// publishNotReadyAddresses) go to `addresses`, the rest to
// `notReadyAddresses`; each Service port resolves its targetPort against the
// pod (a named port must exist in a container); a headless Service without
// ports lists addresses alone. Addresses offering the same ports share a
// subset, sorted by IP as upstream's RepackSubsets leaves them.
#include <vector>

#include "models/discovery.hpp"

namespace kvsim::sim::controllers::endpoints {

std::vector<models::EndpointSubset> endpoint_subsets(const models::Service& svc,
                                                     const std::vector<const models::Pod*>& pods);

}  // namespace kvsim::sim::controllers::endpoints
