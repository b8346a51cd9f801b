// POST pods/{name}/eviction (policy/v1 Eviction), what `kubectl drain` sends
// for each pod: the cluster's eviction (disruption budgets, KubeVirt's
// live-migration webhook) answers; 429 makes kubectl retry.
#include <fmt/format.h>

#include "sim/api/eviction.hpp"
#include "sim/apiserver/status.hpp"
#include "sim/apiserver/write_request.hpp"

namespace kvsim::sim::apiserver {

using models::Json;

Response evict(WriteContext& w) {
  if (w.request.method != "POST")
    return status_response(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
  Json eviction;
  if (auto refused = read_object_body(w.request, eviction)) return *refused;
  if (!eviction.is_object() || eviction.value("kind", std::string("Eviction")) != "Eviction")
    return status_response(400, "BadRequest", "the body of an eviction must be a policy/v1 Eviction");
  const auto name = eviction.value("metadata", Json::object()).value("name", w.path.name);
  if (name != w.path.name)
    return status_response(400, "BadRequest",
                           fmt::format("name in URL does not match name in Eviction object: {} != {}", w.path.name, name));
  api::DeleteOptions options;
  const Json delete_options = eviction.value("deleteOptions", Json::object());
  if (auto grace = delete_options.value("gracePeriodSeconds", Json()); grace.is_number_integer())
    options.grace_seconds = grace.get<std::int64_t>();
  for (const auto& d : delete_options.value("dryRun", Json::array()))
    if (d == "All") options.dry_run = true;
  if (w.request.param("dryRun") == "All") options.dry_run = true;
  if (options.dry_run) {
    // A dry run only says whether the pod is there.
    if (!w.store().get(models::Pod::kind_info(), w.ns(), name)) return not_found("pods", "", name);
    return json_response({{"kind", "Status"}, {"apiVersion", "v1"}, {"metadata", Json::object()},
                          {"status", "Success"}, {"code", 201}},
                         201);
  }
  const auto r = api::evict_pod(w.store(), w.ns(), name, options, w.cause("evict"), w.cluster.eviction_webhooks());
  if (r.code == 404) return not_found("pods", "", name);
  if (!r.ok()) return status_response(r.code, reason_for_code(r.code), r.message);
  return json_response({{"kind", "Status"}, {"apiVersion", "v1"}, {"metadata", Json::object()},
                        {"status", "Success"}, {"code", 201}},
                       201);
}

}  // namespace kvsim::sim::apiserver
