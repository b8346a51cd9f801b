// Every write of a modelled kind's resource, and the scale subresource: which
// handler answers which method (write_request.hpp lists them).
#include "sim/apiserver/handler.hpp"
#include "sim/apiserver/status.hpp"
#include "sim/apiserver/write_request.hpp"

namespace kvsim::sim::apiserver {
namespace {

// Upstream records an unnamed writer by its User-Agent's product:
// "kubectl/v1.32.4 (linux/amd64) kubernetes/..." writes as "kubectl".
std::string manager_of(const Request& request) {
  if (auto m = request.param("fieldManager"); !m.empty()) return m;
  const auto product = request.user_agent.substr(0, request.user_agent.find('/'));
  return product.empty() ? "unknown" : product.substr(0, 128);
}

Response method_not_allowed() {
  return status_response(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
}

}  // namespace

Response write_resource(cluster::Cluster& cluster, const Request& request, const ResourcePath& path) {
  if (!path.kind) return status_response(404, "NotFound", "the server could not find the requested resource");
  WriteContext w{cluster, request, path, *path.kind, false, manager_of(request)};
  if (path.subresource == "scale") return scale_subresource(w);
  if (path.subresource == "eviction" && path.kind->kind == "Pod") return evict(w);
  if (!path.subresource.empty() && path.subresource != "status")
    return status_response(404, "NotFound", "the server could not find the requested resource");
  const auto& m = request.method;
  if (path.subresource == "status") {
    if (m == "PUT") return replace_object(w);
    if (m == "PATCH") return patch_object(w);
    return method_not_allowed();
  }
  if (m == "POST") return create_object(w);
  if (m == "PUT") return replace_object(w);
  if (m == "PATCH") return patch_object(w);
  if (m == "DELETE") return path.name.empty() ? delete_collection(w) : delete_object(w);
  return method_not_allowed();
}

}  // namespace kvsim::sim::apiserver
