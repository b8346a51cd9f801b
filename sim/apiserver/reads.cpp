#include "sim/apiserver/handler.hpp"
#include "sim/apiserver/status.hpp"

namespace kvsim::sim::apiserver {

Reply read_resource(cluster::Cluster&, const Request&, const ResourcePath&) {
  return {status_response(404, "NotFound", "the server could not find the requested resource")};
}

}  // namespace kvsim::sim::apiserver
