#include "sim/apiserver/write_request.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "models/codec/safe_yaml.hpp"
#include "models/manifest.hpp"
#include "sim/apiserver/patch_schema.hpp"
#include "sim/apiserver/protobuf_bodies.hpp"
#include "sim/apiserver/status.hpp"
#include "sim/apiserver/version_conversion.hpp"
#include "sim/kubevirt/virt_api.hpp"

namespace kvsim::sim::apiserver {
namespace {

using models::Json;

// Deeper than any API object (a VM's template is about 12 levels, managedFields
// about 15): a body past this is refused before anything walks it recursively.
constexpr int kMaxDepth = 100;
struct TooDeep {};

std::string strip_nlohmann_prefix(std::string what) {
  if (what.rfind("[json.exception.", 0) == 0)
    if (auto close = what.find("] "); close != std::string::npos) what = what.substr(close + 2);
  return what;
}

YAML::Node json_to_node(const Json& j) {
  switch (j.type()) {
    case Json::value_t::object: {
      YAML::Node n(YAML::NodeType::Map);
      for (const auto& [k, v] : j.items()) n[k] = json_to_node(v);
      return n;
    }
    case Json::value_t::array: {
      YAML::Node n(YAML::NodeType::Sequence);
      for (const auto& v : j) n.push_back(json_to_node(v));
      return n;
    }
    case Json::value_t::string: {
      YAML::Node n(j.get<std::string>());
      n.SetTag("!");  // quoted: a string even when it reads as a number
      return n;
    }
    case Json::value_t::boolean: return YAML::Node(j.get<bool>() ? "true" : "false");
    case Json::value_t::null: return YAML::Node(YAML::NodeType::Null);
    default: return YAML::Node(j.dump());
  }
}

// The body's own YAML nodes (with their lines and columns), brought in line
// with what the server filled in (namespace, apiVersion, status dropped...).
// nullopt when they do not read as `object`.
std::optional<YAML::Node> located_node(const Json& object, const std::string& text) {
  try {
    models::Problems problems;
    auto parsed = models::parse_yaml_document(text, "request body", problems);
    if (!parsed || !parsed->IsMap()) return std::nullopt;
    YAML::Node node = *parsed;
    for (const char* key : {"apiVersion", "kind", "status"}) {
      if (object.contains(key) && object[key].is_string()) node[key] = json_to_node(object[key]);
      else if (!object.contains(key)) node.remove(key);
    }
    if (object.contains("metadata") && object["metadata"].is_object()) {
      if (!node["metadata"] || !node["metadata"].IsMap()) node["metadata"] = YAML::Node(YAML::NodeType::Map);
      const Json& m = object["metadata"];
      for (const char* key : {"name", "namespace", "managedFields"}) {
        if (m.contains(key)) {
          if (!node["metadata"][key] || models::yaml_to_json(node["metadata"][key]) != m[key])
            node["metadata"][key] = json_to_node(m[key]);
        } else {
          node["metadata"].remove(key);
        }
      }
    }
    if (models::yaml_to_json(node) != object) return std::nullopt;
    return node;
  } catch (const YAML::Exception&) {
    return std::nullopt;
  }
}

bool printable(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return c >= 0x20 && c != 0x7f; });
}

}  // namespace

Json WriteContext::requested_json(const models::Object& o) const { return in_version(o.to_json(), kind, api_version()); }

Json WriteContext::now() const { return models::to_rfc3339(models::Timestamp{cluster.now()}); }

api::Cause WriteContext::cause(const std::string& verb) const {
  return api::Cause{"user", "", fmt::format("{} {} (Kubernetes API{})", manager, verb, dry_run ? ", dry run" : "")};
}

std::optional<Response> read_write_options(WriteContext& w, const std::string& options_kind) {
  const auto& r = w.request;
  if (r.has("dryRun")) {
    if (r.param("dryRun") != "All")
      return invalid_options(options_kind, "dryRun",
                             fmt::format("Unsupported value: \"{}\": supported values: \"All\"", r.param("dryRun")));
    w.dry_run = true;
  }
  const auto validation = r.param("fieldValidation");
  if (validation != "" && validation != "Ignore" && validation != "Warn" && validation != "Strict")
    return invalid_options(options_kind, "fieldValidation",
                           fmt::format("Unsupported value: \"{}\": supported values: \"\", \"Ignore\", \"Strict\", "
                                       "\"Warn\"",
                                       validation));
  if (r.has("fieldManager")) {
    const auto m = r.param("fieldManager");
    if (m.size() > 128) return invalid_options(options_kind, "fieldManager", "Too long: may not be more than 128 bytes");
    if (!printable(m))
      return invalid_options(options_kind, "fieldManager",
                             fmt::format("Invalid value: {}: FieldManager must only contain printable characters",
                                         Json(m).dump()));
  }
  return std::nullopt;
}

std::string media_type(const std::string& content_type) {
  std::string t = content_type.substr(0, content_type.find(';'));
  t.erase(std::remove_if(t.begin(), t.end(), [](unsigned char c) { return std::isspace(c); }), t.end());
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return t;
}

Response protobuf_refused() {
  return status_response(
      415, "UnsupportedMediaType",
      "kvsim's API server reads JSON and YAML, and protobuf only for Secrets and ConfigMaps; `kubectl create "
      "namespace|deployment` sends protobuf. Write the object as a manifest and use `kubectl apply -f FILE` (or "
      "`kubectl create -f FILE`); for example `kubectl create deployment web --image=nginx --dry-run=client -o yaml "
      "| kubectl apply -f -`");
}

Response unsupported_media_type(const std::vector<std::string>& accepted) {
  std::string list;
  for (const auto& a : accepted) list += (list.empty() ? "" : ", ") + a;
  return status_response(415, "UnsupportedMediaType",
                         "the body of the request was in an unknown format - accepted media types include: " + list);
}

std::optional<Response> parse_body(const std::string& text, bool yaml, Json& out) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    return status_response(400, "BadRequest", "the request body is empty: send the object as JSON or YAML");
  if (!yaml) {
    try {
      out = Json::parse(text, [](int depth, Json::parse_event_t, Json&) {
        if (depth > kMaxDepth) throw TooDeep{};
        return true;
      });
      return std::nullopt;
    } catch (const TooDeep&) {
      return status_response(400, "BadRequest",
                             fmt::format("the request body nests deeper than {} levels, more than any API object",
                                         kMaxDepth));
    } catch (const Json::exception& e) {
      return status_response(400, "BadRequest",
                             "the request body is not valid JSON: " + strip_nlohmann_prefix(e.what()));
    }
  }
  models::Problems problems;
  auto parsed = models::parse_yaml_documents(text, "request body", problems);
  if (!parsed) {
    // "request body:LINE:COL: YAML: what": kvsim's located message, as for a file.
    return status_response(400, "BadRequest",
                           "the request body is not valid YAML: " + (problems.empty() ? "" : problems.front().str()));
  }
  std::vector<YAML::Node> docs;
  for (auto& d : *parsed)
    if (!d.IsNull()) docs.push_back(d);
  if (docs.size() != 1)
    return status_response(400, "BadRequest",
                           fmt::format("the request body holds {} YAML documents; send exactly one object",
                                       docs.size()));
  out = models::yaml_to_json(docs[0]);
  return std::nullopt;
}

std::optional<Response> read_object_body(const Request& request, Json& out) {
  const auto type = media_type(request.content_type);
  if (type == "application/vnd.kubernetes.protobuf") {
    // `kubectl create secret|configmap` is read; other typed creates are refused with the way round.
    std::string error;
    auto decoded = decode_protobuf_body(request.body, error);
    if (!decoded || (decoded->value("kind", "") != "Secret" && decoded->value("kind", "") != "ConfigMap"))
      return protobuf_refused();
    out = std::move(*decoded);
    return std::nullopt;
  }
  // No Content-Type at all is what `kubectl create|replace --raw -f FILE` sends:
  // the file as written, JSON or YAML.
  const auto first = request.body.find_first_not_of(" \t\r\n");
  const bool sniffed_yaml = type.empty() && first != std::string::npos && request.body[first] != '{';
  const bool json = type.empty() || type == "application/json" || type == "*/*";
  const bool yaml = sniffed_yaml || type == "application/yaml" || type == "application/x-yaml" || type == "text/yaml";
  if (!json && !yaml) return unsupported_media_type({"application/json", "application/yaml"});
  return parse_body(request.body, yaml, out);
}

std::shared_ptr<models::Object> decode_object_json(const Json& object, const std::string& text,
                                                   models::DecodeContext& ctx) {
  // A one-line body (what kubectl sends) has no lines to point at; the field path says where.
  const auto first = text.find_first_not_of(" \t\r\n");
  const auto newline = first == std::string::npos ? std::string::npos : text.find('\n', first);
  const bool lines = newline != std::string::npos && text.find_first_not_of(" \t\r\n", newline) != std::string::npos;
  std::optional<YAML::Node> node;
  if (lines) node = located_node(object, text);
  if (!node) node = json_to_node(object);
  return models::decode_object(*node, ctx);
}

std::optional<Response> check_identity(const WriteContext& w, Json& object, bool name_from_url) {
  if (!object.is_object())
    return status_response(400, "BadRequest",
                           fmt::format("the request body must be an object (a {}), not {}", w.kind.kind,
                                       object.type_name()));
  auto text_of = [&](const char* key) -> std::optional<std::string> {
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) return std::string();
    if (!it->is_string()) return std::nullopt;
    return it->get<std::string>();
  };
  const auto api_version = text_of("apiVersion"), kind = text_of("kind");
  if (!api_version || !kind)
    return status_response(400, "BadRequest", "apiVersion and kind must be strings, such as \"apps/v1\" and \"Deployment\"");
  if (!kind->empty() && *kind != w.kind.kind)
    return status_response(400, "BadRequest",
                           fmt::format("the object provided is unrecognized (must be of type {}): the body is a {}{}",
                                       w.kind.kind, *kind, api_version->empty() ? "" : " of " + *api_version));
  if (!api_version->empty() && *api_version != w.api_version())
    return status_response(400, "BadRequest",
                           fmt::format("the API version in the data ({}) does not match the expected API version ({})",
                                       *api_version, w.api_version()));
  // Decoding converts it to the version it is stored in (the same schema).
  object["apiVersion"] = w.api_version();
  object["kind"] = std::string(w.kind.kind);
  if (!object.contains("metadata") || object["metadata"].is_null()) object["metadata"] = Json::object();
  Json& metadata = object["metadata"];
  if (!metadata.is_object()) return status_response(400, "BadRequest", "metadata must be an object");
  auto field = [&](const char* key) {
    auto it = metadata.find(key);
    return it != metadata.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  if (w.kind.namespaced) {
    const auto ns = field("namespace");
    if (ns.empty()) metadata["namespace"] = w.path.ns;
    else if (ns != w.path.ns)
      return status_response(400, "BadRequest",
                             "the namespace of the provided object does not match the namespace sent on the request");
  } else {
    metadata.erase("namespace");  // upstream clears it on cluster-scoped kinds
  }
  if (name_from_url) {
    const auto name = field("name");
    if (name.empty()) metadata["name"] = w.path.name;
    else if (name != w.path.name)
      return status_response(400, "BadRequest",
                             fmt::format("the name of the object ({}) does not match the name on the URL ({})", name,
                                         w.path.name));
  }
  return std::nullopt;
}

std::optional<Response> check_preconditions(const WriteContext& w, const Json& object, const models::Object& current,
                                            bool require_version) {
  const Json metadata = object.value("metadata", Json::object());
  const auto rv = metadata.value("resourceVersion", Json());
  const auto uid = metadata.value("uid", Json());
  const std::string name = current.metadata.name;
  if (uid.is_string() && !uid.get<std::string>().empty() && uid.get<std::string>() != current.metadata.uid)
    return conflict(w.resource(), w.group(), name,
                    fmt::format("Precondition failed: UID in precondition: {}, UID in object meta: {}",
                                uid.get<std::string>(), current.metadata.uid));
  const bool has_rv = rv.is_string() && !rv.get<std::string>().empty();
  if ((has_rv && rv.get<std::string>() != current.metadata.resourceVersion) || (!has_rv && require_version))
    return conflict(w.resource(), w.group(), name, kObjectModified);
  return std::nullopt;
}

Json written_part(const Json& current, Json next, ObjectPart part) {
  if (part == ObjectPart::Status) {
    Json out = current;
    if (next.contains("status") && !next["status"].is_null()) out["status"] = next["status"];
    else out.erase("status");
    return out;
  }
  if (current.contains("status")) next["status"] = current["status"];
  else next.erase("status");
  Json& m = next["metadata"];
  const Json cm = current.value("metadata", Json::object());
  for (const char* key : {"uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation",
                          "resourceVersion"}) {
    if (cm.contains(key)) m[key] = cm[key];
    else m.erase(key);
  }
  // managedFields written by the client replace the stored ones (how kubectl
  // moves an object's fields from client-side to server-side apply); absent or
  // empty, the stored ones stay (clients that do not know them lose nothing).
  const bool set_by_client = m.contains("managedFields") && m["managedFields"].is_array() && !m["managedFields"].empty();
  if (!set_by_client) {
    if (cm.contains("managedFields")) m["managedFields"] = cm["managedFields"];
    else m.erase("managedFields");
  }
  return next;
}

Response finish_create(WriteContext& w, std::shared_ptr<models::Object> object) {
  auto& store = w.store();
  if (const auto refused = kubevirt::virt_api_webhook_error(store, w.kind); !refused.empty())
    return status_response(500, "InternalError", refused);
  auto r = store.create(std::move(object), w.cause("create"), w.dry_run);
  if (!r.ok()) return write_refused(r, w.resource(), w.group());
  return json_response(r.object->to_json(), 201);
}

Response finish_update(WriteContext& w, const models::ObjectPtr& current, std::shared_ptr<models::Object> next) {
  auto& store = w.store();
  const Json before = current->to_json(), after = next->to_json();
  auto unversioned = [](Json j) {
    j["metadata"].erase("resourceVersion");
    return j;
  };
  // Nothing changes: no write, no new resourceVersion (etcd skips it too).
  if (unversioned(before) == unversioned(after)) return json_response(before, 200);
  if (const auto refused = kubevirt::virt_api_webhook_error(store, w.kind); !refused.empty())
    return status_response(500, "InternalError", refused);
  const bool spec_change = before.value("spec", Json()) != after.value("spec", Json());
  if (!spec_change) {
    // The store admits spec changes; the rest (labels, status) is validated here.
    models::DecodeContext ctx;
    auto probe = next->clone();
    models::admit_update(*current, *probe, ctx);
    if (!ctx.problems.empty()) return invalid(w.kind, current->metadata.name, ctx.problems);
  }
  auto r = store.update(std::move(next), w.cause("update"), spec_change, w.dry_run);
  if (!r.ok()) return write_refused(r, w.resource(), w.group());
  // The last finalizer removed from a terminating object: it is gone.
  return json_response(r.object ? r.object->to_json() : after, 200);
}

Response update_from_json(WriteContext& w, const models::ObjectPtr& current, Json next, ObjectPart part,
                          const std::string& text, bool require_version, const std::string& subresource) {
  if (auto refused = check_identity(w, next, true)) return *refused;
  if (auto refused = check_preconditions(w, next, *current, require_version)) return *refused;
  const Json current_json = current->to_json();
  next = written_part(current_json, std::move(next), part);
  models::DecodeContext ctx;
  auto object = decode_object_json(next, text, ctx);
  if (!object || !ctx.problems.empty()) return invalid(w.kind, current->metadata.name, ctx.problems);
  // What this write changed now belongs to its manager.
  auto entries = parse_managed_fields(object->metadata.managedFields);
  const std::string writer_subresource = !subresource.empty() ? subresource : part == ObjectPart::Status ? "status" : "";
  record_update(entries, current_json, object->to_json(), w.writer(writer_subresource), schema_for(w.kind), part,
                w.now());
  object->metadata.managedFields = entries.empty() ? Json() : encode_managed_fields(std::move(entries));
  return finish_update(w, current, std::move(object));
}

}  // namespace kvsim::sim::apiserver
