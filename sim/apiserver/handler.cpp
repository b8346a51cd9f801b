#include "sim/apiserver/handler.hpp"

#include "sim/apiserver/status.hpp"
#include "sim/apiserver/version_conversion.hpp"
#include "sim/apiserver/watch_hub.hpp"

namespace kvsim::sim::apiserver {

Handler::Handler(cluster::Cluster& cluster, ServeOptions options)
    : cluster_(cluster), options_(std::move(options)), hub_(std::make_unique<WatchHub>(cluster.store())) {}

Handler::~Handler() = default;

Reply Handler::handle(const Request& request) {
  if (auto d = discovery(request, options_); d.response.status != 0) return d;
  if (auto o = openapi(request); o.status != 0) return {o};
  auto path = parse_resource_path(request.path);
  if (!path) return {status_response(404, "NotFound", "the server could not find the requested resource")};
  if (path->group == "subresources.kubevirt.io") return kubevirt_subresource(cluster_, request, *path);
  if (!path->kind || !path->kind->not_modelled.empty()) {
    const std::string why = path->kind ? " (not modelled in kvsim: " + std::string(path->kind->not_modelled) + ")" : "";
    return {status_response(404, "NotFound", "the server could not find the requested resource" + why)};
  }
  // The scale subresource (autoscaling/v1 Scale) is answered whole by writes.cpp, its GET included.
  if (request.method == "GET" && path->subresource != "scale")
    return in_requested_version(read_resource(cluster_, *hub_, request, *path), *path);
  return in_requested_version({write_resource(cluster_, request, *path)}, *path);
}

}  // namespace kvsim::sim::apiserver
