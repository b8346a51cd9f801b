#include "sim/apiserver/handler.hpp"
#include "sim/apiserver/status.hpp"

namespace kvsim::sim::apiserver {

// Placeholder until writes land.
Response write_resource(cluster::Cluster&, const Request& request, const ResourcePath&) {
  return status_response(405, "MethodNotAllowed", request.method + " is not served yet");
}

}  // namespace kvsim::sim::apiserver
