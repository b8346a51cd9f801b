// POST (create) and PUT (replace) of an object, and PUT of its status.
#include "models/manifest.hpp"
#include "sim/apiserver/patch_schema.hpp"
#include "sim/apiserver/status.hpp"
#include "sim/apiserver/write_request.hpp"

namespace kvsim::sim::apiserver {

using models::Json;

Response create_object(WriteContext& w) {
  if (!w.path.name.empty() || (w.kind.namespaced && w.path.ns.empty()))
    return status_response(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
  if (auto refused = read_write_options(w, "CreateOptions")) return *refused;
  Json object;
  if (auto refused = read_object_body(w.request, object)) return *refused;
  if (auto refused = check_identity(w, object, false)) return *refused;
  Json& metadata = object["metadata"];
  if (metadata.contains("resourceVersion") && metadata["resourceVersion"].is_string() &&
      !metadata["resourceVersion"].get<std::string>().empty())
    return status_response(400, "BadRequest", "resourceVersion should not be set on objects to be created");
  // Set by the server, whatever the client sent (a copy of `get -o yaml` carries them).
  for (const char* key : {"uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"})
    metadata.erase(key);
  // A kind with a status subresource starts with an empty status.
  if (w.kind.status_subresource) object.erase("status");
  const auto name = metadata.value("name", Json()), generate = metadata.value("generateName", Json());
  if ((!name.is_string() || name.get<std::string>().empty()) &&
      (!generate.is_string() || generate.get<std::string>().empty()))
    return invalid(w.kind, "", {models::Problem{{}, {}, "metadata.name", "Required value: name or generateName is required"}});
  models::DecodeContext ctx;
  auto created = decode_object_json(object, w.request.body, ctx);
  if (!created || !ctx.problems.empty())
    return invalid(w.kind, name.is_string() ? name.get<std::string>() : std::string(), ctx.problems);
  // The creator owns every field the object is created with, its defaults
  // included (upstream defaults while decoding, before it records owners).
  auto defaulted = created->clone();
  models::DecodeContext preview;
  models::admit(*defaulted, preview);
  auto entries = parse_managed_fields(created->metadata.managedFields);
  record_update(entries, Json::object(), defaulted->to_json(), w.writer(), schema_for(w.kind), ObjectPart::Main,
                w.now());
  created->metadata.managedFields = entries.empty() ? Json() : encode_managed_fields(std::move(entries));
  return finish_create(w, std::move(created));
}

Response replace_object(WriteContext& w) {
  if (w.path.name.empty())
    return status_response(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
  if (auto refused = read_write_options(w, "UpdateOptions")) return *refused;
  Json object;
  if (auto refused = read_object_body(w.request, object)) return *refused;
  // Upstream checks the body names the URL's object before it looks the object up.
  if (auto refused = check_identity(w, object, true)) return *refused;
  auto current = w.store().get(w.kind, w.ns(), w.path.name);
  if (!current) return not_found(w.resource(), w.group(), w.path.name);
  const auto part = w.path.subresource == "status" ? ObjectPart::Status : ObjectPart::Main;
  // A custom resource refuses an update that does not say which version it replaces.
  return update_from_json(w, current, std::move(object), part, w.request.body, !builtin_kind(w.kind));
}

}  // namespace kvsim::sim::apiserver
