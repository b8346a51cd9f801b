#include "sim/apiserver/handler.hpp"
#include "sim/apiserver/status.hpp"

namespace kvsim::sim::apiserver {

// Placeholder until virt-api's subresources land.
Reply kubevirt_subresource(cluster::Cluster&, const Request&, const ResourcePath&) {
  return {status_response(404, "NotFound", "the server could not find the requested resource")};
}

}  // namespace kvsim::sim::apiserver
