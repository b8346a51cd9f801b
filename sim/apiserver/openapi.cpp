#include "sim/apiserver/handler.hpp"

namespace kvsim::sim::apiserver {

// Placeholder until the OpenAPI documents land: not an openapi path.
Response openapi(const Request&) { return Response{0}; }

}  // namespace kvsim::sim::apiserver
