// PATCH of an object (or its status): the four patch types kubectl sends.
#include <fmt/format.h>

#include "sim/apiserver/json_patch.hpp"
#include "sim/apiserver/patch_schema.hpp"
#include "sim/apiserver/server_side_apply.hpp"
#include "sim/apiserver/status.hpp"
#include "sim/apiserver/strategic_merge_patch.hpp"
#include "sim/apiserver/write_request.hpp"

namespace kvsim::sim::apiserver {
namespace {

using models::Json;

constexpr const char* kJsonPatch = "application/json-patch+json";
constexpr const char* kMergePatch = "application/merge-patch+json";
constexpr const char* kStrategicPatch = "application/strategic-merge-patch+json";
constexpr const char* kApplyPatch = "application/apply-patch+yaml";

Response patch_refused(const PatchOutcome& outcome) {
  return status_response(outcome.code, reason_for_code(outcome.code), outcome.error,
                         outcome.code == 422 ? Json::object() : Json());
}

Response conflict_refused(const WriteContext& w, const std::string& name, const ApplySettlement& s) {
  Json causes = Json::array();
  for (const auto& c : s.conflicts)
    causes.push_back({{"reason", "FieldManagerConflict"},
                      {"message", "conflict with " + c.manager},
                      {"field", path_string(c.path)}});
  return status_response(409, "Conflict", s.conflict_message(),
                         {{"name", name}, {"group", w.group()}, {"kind", w.resource()}, {"causes", causes}});
}

// Server-side apply: creates the object when it is absent.
Response server_side_apply(WriteContext& w) {
  if (w.path.subresource == "status")
    return status_response(415, "UnsupportedMediaType",
                           "kvsim does not serve server-side apply of the status subresource; send a merge patch "
                           "(application/merge-patch+json) instead");
  Json config;
  if (auto refused = parse_body(w.request.body, true, config)) return *refused;
  if (!config.is_object())
    return status_response(400, "BadRequest", "error decoding YAML: an apply configuration must be an object");
  const auto api_version = config.value("apiVersion", Json());
  if (api_version != Json(w.api_version()))
    return status_response(400, "BadRequest",
                           fmt::format("Incorrect version specified in apply patch. Specified patch version: {}, "
                                       "expected: {}",
                                       api_version.is_string() ? api_version.get<std::string>() : std::string(),
                                       w.api_version()));
  if (config.value("kind", Json()) != Json(std::string(w.kind.kind)))
    return status_response(400, "BadRequest",
                           fmt::format("Incorrect kind specified in apply patch: expected {}", w.kind.kind));
  if (config.contains("metadata") && config["metadata"].is_object() && config["metadata"].contains("managedFields") &&
      !config["metadata"]["managedFields"].is_null())
    return status_response(400, "BadRequest", "metadata.managedFields must be nil");
  if (auto refused = check_identity(w, config, true)) return *refused;
  const auto& schema = schema_for(w.kind);
  auto current = w.store().get(w.kind, w.ns(), w.path.name);
  if (current)
    if (auto refused = check_preconditions(w, config, *current, false)) return *refused;
  const Json live = current ? w.requested_json(*current) : Json::object();
  auto plan = plan_apply(live, config, w.manager, schema);
  if (!current && w.kind.status_subresource) plan.merged.erase("status");
  models::DecodeContext ctx;
  auto merged = decode_object_json(plan.merged, {}, ctx);
  if (!merged || !ctx.problems.empty()) return invalid(w.kind, w.path.name, ctx.problems);
  const bool force = w.request.param("force") == "true";
  const auto settled = settle_apply(plan, live, merged->to_json(), config, w.manager, w.api_version(),
                                    force, schema, w.now());
  if (!settled.conflicts.empty()) return conflict_refused(w, w.path.name, settled);
  merged->metadata.managedFields = settled.managed_fields;
  if (!settled.last_applied.empty())
    merged->metadata.annotations[models::kLastAppliedAnnotation] = settled.last_applied;
  if (!current) return finish_create(w, std::move(merged));
  return finish_update(w, current, std::move(merged));
}

}  // namespace

Response patch_object(WriteContext& w) {
  if (w.path.name.empty())
    return status_response(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
  const auto type = media_type(w.request.content_type);
  // A custom resource has no strategic merge patch: its lists have no merge keys.
  std::vector<std::string> accepted = {kJsonPatch, kMergePatch, kApplyPatch};
  if (builtin_kind(w.kind)) accepted.insert(accepted.begin() + 2, kStrategicPatch);
  if (std::find(accepted.begin(), accepted.end(), type) == accepted.end()) return unsupported_media_type(accepted);
  if (auto refused = read_write_options(w, "PatchOptions")) return *refused;
  const bool apply = type == kApplyPatch;
  if (apply && w.request.param("fieldManager").empty())
    return invalid_options("PatchOptions", "fieldManager", "Required value: is required for apply patch");
  if (!apply && w.request.has("force"))
    return invalid_options("PatchOptions", "force", "Forbidden: may not be specified for non-apply patch");
  if (apply) return server_side_apply(w);

  auto current = w.store().get(w.kind, w.ns(), w.path.name);
  if (!current) return not_found(w.resource(), w.group(), w.path.name);
  Json patch;
  if (auto refused = parse_body(w.request.body, false, patch)) return *refused;
  // Patched as the request's version shows the object (apiVersion differs, nothing else).
  const Json document = w.requested_json(*current);
  PatchOutcome outcome = type == kJsonPatch    ? apply_json_patch(document, patch)
                         : type == kMergePatch ? apply_merge_patch(document, patch)
                                               : apply_strategic_merge_patch(document, patch, schema_for(w.kind));
  if (!outcome.ok()) return patch_refused(outcome);
  const auto part = w.path.subresource == "status" ? ObjectPart::Status : ObjectPart::Main;
  return update_from_json(w, current, std::move(outcome.result), part, {}, false);
}

}  // namespace kvsim::sim::apiserver
