// The scale subresource: an autoscaling/v1 Scale over a workload's
// spec.replicas, as `kubectl scale` reads and patches it (GET, PUT, PATCH).
#include <fmt/format.h>

#include "sim/apiserver/json_patch.hpp"
#include "sim/apiserver/patch_schema.hpp"
#include "sim/apiserver/status.hpp"
#include "sim/apiserver/strategic_merge_patch.hpp"
#include "sim/apiserver/write_request.hpp"

namespace kvsim::sim::apiserver {
namespace {

using models::Json;

bool scalable(const models::KindInfo& kind) {
  return kind.kind == "Deployment" || kind.kind == "ReplicaSet" || kind.kind == "StatefulSet" ||
         kind.kind == "VirtualMachineInstanceReplicaSet";
}

// A LabelSelector's JSON in kubectl's string form ("app=web,tier in (a,b)").
std::string selector_string(const Json& selector) {
  models::LabelSelector s;
  const Json match_labels = selector.value("matchLabels", Json::object());
  for (const auto& [k, v] : match_labels.items())
    if (v.is_string()) s.matchLabels[k] = v.get<std::string>();
  for (const auto& e : selector.value("matchExpressions", Json::array())) {
    if (!e.is_object()) continue;
    models::LabelSelectorRequirement r{e.value("key", std::string()), e.value("operator", std::string()), {}};
    for (const auto& v : e.value("values", Json::array()))
      if (v.is_string()) r.values.push_back(v.get<std::string>());
    s.matchExpressions.push_back(std::move(r));
  }
  return models::to_string(s);
}

// The Scale of a workload, from its JSON (upstream: spec.replicas, status.replicas,
// and the selector: the spec's for apps, status.labelSelector for a VMIRS as its CRD declares).
Json scale_of(const Json& object) {
  const Json metadata = object.value("metadata", Json::object());
  Json meta = Json::object();
  for (const char* key : {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"})
    if (metadata.contains(key)) meta[key] = metadata[key];
  const Json spec = object.value("spec", Json::object()), status = object.value("status", Json::object());
  Json scale = {{"kind", "Scale"},
                {"apiVersion", "autoscaling/v1"},
                {"metadata", meta},
                {"spec", Json::object()},
                {"status", {{"replicas", status.value("replicas", 0)}}}};
  if (spec.value("replicas", 0) != 0) scale["spec"]["replicas"] = spec["replicas"];
  std::string selector = object.value("kind", std::string()) == "VirtualMachineInstanceReplicaSet"
                             ? status.value("labelSelector", std::string())
                             : std::string();
  if (selector.empty() && spec.contains("selector") && spec["selector"].is_object())
    selector = selector_string(spec["selector"]);
  if (!selector.empty()) scale["status"]["selector"] = selector;
  return scale;
}

// Writes the Scale's spec.replicas into the workload.
Response write_scale(WriteContext& w, const models::ObjectPtr& current, const Json& scale) {
  const auto& name = current->metadata.name;
  if (!scale.is_object()) return status_response(400, "BadRequest", "a Scale must be an object");
  if (scale.contains("kind") && scale["kind"] != "Scale")
    return status_response(400, "BadRequest",
                           fmt::format("the object provided is unrecognized (must be of type Scale): {}",
                                       scale["kind"].dump()));
  const Json metadata = scale.value("metadata", Json::object());
  if (!metadata.is_object() || !scale.value("spec", Json::object()).is_object())
    return status_response(400, "BadRequest", "a Scale's metadata and spec must be objects");
  if (metadata.contains("name") && metadata["name"] != name)
    return status_response(400, "BadRequest",
                           fmt::format("the name of the object ({}) does not match the name on the URL ({})",
                                       metadata["name"].is_string() ? metadata["name"].get<std::string>()
                                                                    : metadata["name"].dump(),
                                       name));
  if (auto rv = metadata.value("resourceVersion", Json()); rv.is_string() && !rv.get<std::string>().empty() &&
                                                           rv.get<std::string>() != current->metadata.resourceVersion)
    return conflict(w.resource(), w.group(), name, kObjectModified);
  const Json replicas = scale.value("spec", Json::object()).value("replicas", Json(0));
  auto invalid_scale = [&](const std::string& why) {
    return status_response(422, "Invalid", fmt::format("Scale.autoscaling \"{}\" is invalid: spec.replicas: {}", name, why),
                           {{"name", name},
                            {"group", "autoscaling"},
                            {"kind", "Scale"},
                            {"causes", Json::array({Json{{"reason", cause_type(why)},
                                                         {"message", why},
                                                         {"field", "spec.replicas"}}})}});
  };
  if (!replicas.is_number_integer()) return invalid_scale("Invalid value: " + replicas.dump() + ": must be an integer");
  const auto n = replicas.get<std::int64_t>();
  if (n < 0) return invalid_scale(fmt::format("Invalid value: {}: must be greater than or equal to 0", n));
  if (n > INT32_MAX) return invalid_scale(fmt::format("Invalid value: {}: must fit in a 32-bit integer", n));
  Json next = w.requested_json(*current);
  next["spec"]["replicas"] = n;
  auto answer = update_from_json(w, current, std::move(next), ObjectPart::Main, {}, false, "scale");
  if (answer.status != 200) return answer;
  return json_response(scale_of(Json::parse(answer.body)));
}

}  // namespace

Response scale_subresource(WriteContext& w) {
  if (!scalable(w.kind) || w.path.name.empty())
    return status_response(404, "NotFound", "the server could not find the requested resource");
  auto current = w.store().get(w.kind, w.ns(), w.path.name);
  if (!current) return not_found(w.resource(), w.group(), w.path.name);
  const auto& method = w.request.method;
  if (method == "GET") return json_response(scale_of(current->to_json()));
  if (method == "PUT") {
    if (auto refused = read_write_options(w, "UpdateOptions")) return *refused;
    Json scale;
    if (auto refused = read_object_body(w.request, scale)) return *refused;
    return write_scale(w, current, scale);
  }
  if (method == "PATCH") {
    const auto type = media_type(w.request.content_type);
    const std::vector<std::string> accepted = {"application/json-patch+json", "application/merge-patch+json",
                                               "application/strategic-merge-patch+json"};
    if (std::find(accepted.begin(), accepted.end(), type) == accepted.end()) return unsupported_media_type(accepted);
    if (auto refused = read_write_options(w, "PatchOptions")) return *refused;
    Json patch;
    if (auto refused = parse_body(w.request.body, false, patch)) return *refused;
    const Json scale = scale_of(current->to_json());
    static const TypeSchema kScale;
    auto outcome = type == accepted[0]   ? apply_json_patch(scale, patch)
                   : type == accepted[1] ? apply_merge_patch(scale, patch)
                                         : apply_strategic_merge_patch(scale, patch, kScale);
    if (!outcome.ok()) return status_response(outcome.code, reason_for_code(outcome.code), outcome.error);
    return write_scale(w, current, outcome.result);
  }
  return status_response(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
}

}  // namespace kvsim::sim::apiserver
