#include "sim/apiserver/openapi_document.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cstdint>
#include <set>
#include <utility>
#include <vector>

#include "models/codec/schema.hpp"
#include "models/registry.hpp"

namespace kvsim::sim::apiserver {
namespace {

using models::Json;
using models::KindInfo;
using models::SchemaSet;

const std::string kMetaPackage = "io.k8s.apimachinery.pkg.apis.meta.v1";
const std::string kStatusId = kMetaPackage + ".Status";
const std::string kListMetaId = kMetaPackage + ".ListMeta";
const std::string kDeleteOptionsId = kMetaPackage + ".DeleteOptions";
const std::string kPatchId = kMetaPackage + ".Patch";

Json ref(const std::string& id) { return Json{{"$ref", SchemaSet::ref_to(id)}}; }
Json string_schema() { return Json{{"type", "string"}}; }

std::string discovery_key(std::string_view group, std::string_view version) {
  return group.empty() ? fmt::format("api/{}", version) : fmt::format("apis/{}/{}", group, version);
}

// "kubevirt.io", "v1" -> "KubevirtIoV1"; the core group is "Core", as in upstream's operation ids.
std::string group_version_word(std::string_view group, std::string_view version) {
  std::string word;
  bool upper = true;
  for (char c : (group.empty() ? std::string("core") : std::string(group)) + "." + std::string(version)) {
    if (c == '.' || c == '-') {
      upper = true;
      continue;
    }
    word += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return word;
}

Json query_param(const char* name, const char* description, Json schema = string_schema()) {
  return Json{{"name", name}, {"in", "query"}, {"description", description}, {"schema", std::move(schema)}};
}

Json path_param(const char* name, const char* description) {
  return Json{{"name", name}, {"in", "path"}, {"required", true}, {"description", description},
              {"schema", string_schema()}};
}

Json integer(const char* format) { return Json{{"type", "integer"}, {"format", format}}; }

// ---- the query parameters kvsim's API server reads ----

Json dry_run() {
  return query_param("dryRun",
                     "All: check the request and answer as if it were carried out, without storing anything.");
}

Json field_manager() {
  return query_param("fieldManager",
                     "Who makes this change (kubectl sends kubectl-client-side-apply, kubectl-edit, ...). Server-side "
                     "apply uses it to know which fields each manager owns.");
}

// The parameter kubectl looks for before it leaves validation to the server.
Json field_validation() {
  Json schema = string_schema();
  schema["enum"] = {"Ignore", "Warn", "Strict"};
  return query_param("fieldValidation",
                     "What the server does with a field it does not know. Upstream, Strict refuses the request, "
                     "Warn accepts it with a warning per field, and Ignore drops such fields. kvsim accepts the "
                     "three values but always checks as Strict: its decoder has no lenient mode, and refuses an "
                     "unknown field with its path (and the field it probably meant). kubectl sends Strict unless told "
                     "otherwise with --validate.",
                     std::move(schema));
}

Json write_params() { return Json::array({dry_run(), field_manager(), field_validation()}); }

Json patch_params() {
  Json params = write_params();
  params.push_back(query_param("force",
                               "Server-side apply only: take over fields that another manager owns instead of "
                               "failing with a conflict.",
                               Json{{"type", "boolean"}}));
  return params;
}

Json list_params() {
  return Json::array({
      query_param("labelSelector", "Only objects whose labels match, as in `kubectl get -l app=web,tier!=db`."),
      query_param("fieldSelector",
                  "Only objects whose fields match, for example metadata.name=vm1 or status.phase=Running."),
      query_param("limit", "At most this many objects; the rest follow with `continue`.", integer("int32")),
      query_param("continue", "The token a previous, limited list returned, to read the next objects."),
      query_param("resourceVersion", "With watch: send only the changes after this version of the list."),
      query_param("watch", "Keep the connection open and stream every change as a JSON line.",
                  Json{{"type", "boolean"}}),
      query_param("allowWatchBookmarks", "With watch: the client accepts BOOKMARK events.", Json{{"type", "boolean"}}),
      query_param("timeoutSeconds", "Close a watch after this many seconds.", integer("int32")),
  });
}

Json delete_params() {
  Json propagation = string_schema();
  propagation["enum"] = {"Orphan", "Background", "Foreground"};
  return Json::array({
      dry_run(),
      query_param("gracePeriodSeconds",
                  "How long the object may take to go away (a pod's or instance's shutdown); 0 deletes at once.",
                  integer("int64")),
      query_param("propagationPolicy",
                  "What happens to the objects this one owns. Background: they are deleted after it. Foreground: "
                  "they are deleted first. Orphan: they are left in place.",
                  std::move(propagation)),
  });
}

// ---- operations ----

Json content(const Json& schema, std::initializer_list<const char*> media_types = {"application/json"}) {
  Json out = Json::object();
  for (const char* m : media_types) out[m] = Json{{"schema", schema}};
  return out;
}

Json responses(std::initializer_list<std::pair<const char*, Json>> by_code) {
  Json out = Json::object();
  for (const auto& [code, schema] : by_code) out[code] = Json{{"description", "OK"}, {"content", content(schema)}};
  return out;
}

struct KindDoc {
  const KindInfo* info;
  std::string group, version;
  Json gvk;  // {"group","version","kind"}: one object on operations, a list of them on schemas
  std::string schema_id, list_id;
};

Json operation(const KindDoc& k, const std::string& id_verb, const std::string& id_suffix, const char* action,
               std::string description, Json params, Json response_codes) {
  Json op{{"operationId", id_verb + group_version_word(k.group, k.version) + id_suffix},
          {"description", std::move(description)},
          {"tags", Json::array({discovery_key(k.group, k.version)})},
          {"responses", std::move(response_codes)},
          {"x-kubernetes-action", action},
          {"x-kubernetes-group-version-kind", k.gvk}};
  if (!params.empty()) op["parameters"] = std::move(params);
  return op;
}

Json with_body(Json op, Json body_content) {
  op["requestBody"] = Json{{"required", true}, {"content", std::move(body_content)}};
  return op;
}

// PATCH bodies kvsim accepts. application/strategic-merge-patch+json is
// accepted too but not declared, on purpose: declared, kubectl apply would
// compute strategic patches from these schemas, which carry no list merge
// keys; undeclared, kubectl computes them from its own compiled-in types for
// built-in kinds (and sends merge patches for KubeVirt's, as against a real
// cluster). cli-runtime's apply patcher, gvkSupportsPatchOpenAPIV3.
Json patch_body() {
  return content(ref(kPatchId),
                 {"application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"});
}

void add_kind_paths(Json& paths, const KindDoc& k) {
  const KindInfo& info = *k.info;
  const std::string kind(info.kind), plural(info.plural);
  const std::string root = "/" + discovery_key(k.group, k.version);
  const std::string scope = info.namespaced ? "/namespaces/{namespace}" : "";
  const std::string collection = root + scope + "/" + plural;
  const std::string item = collection + "/{name}";
  const std::string namespaced = info.namespaced ? "Namespaced" : "";
  const std::string where = info.namespaced ? " of a namespace" : "";

  Json scope_params = Json::array();
  if (info.namespaced) scope_params.push_back(path_param("namespace", "The namespace of the objects."));
  Json item_params = scope_params;
  item_params.push_back(path_param("name", ("The name of the " + kind + ".").c_str()));

  const Json kind_ref = ref(k.schema_id);
  const Json status = ref(kStatusId);

  Json& c = paths[collection];
  c["parameters"] = scope_params;
  c["get"] = operation(k, "list", namespaced + kind, "list", "List the " + plural + where + ".", list_params(),
                       responses({{"200", ref(k.list_id)}}));
  c["post"] = with_body(operation(k, "create", namespaced + kind, "post", "Create a " + kind + ".", write_params(),
                                  responses({{"200", kind_ref}, {"201", kind_ref}, {"202", kind_ref}})),
                        content(kind_ref));
  c["delete"] = with_body(operation(k, "deleteCollection", namespaced + kind, "deletecollection",
                                    "Delete every " + kind + where + " that the selectors match.",
                                    [] {
                                      Json p = delete_params();
                                      p.push_back(list_params()[0]);
                                      p.push_back(list_params()[1]);
                                      return p;
                                    }(),
                                    responses({{"200", status}})),
                          content(ref(kDeleteOptionsId)));

  Json& i = paths[item];
  i["parameters"] = item_params;
  i["get"] = operation(k, "read", namespaced + kind, "get", "Read one " + kind + ".", Json::array(),
                       responses({{"200", kind_ref}}));
  i["put"] = with_body(operation(k, "replace", namespaced + kind, "put",
                                 "Replace one " + kind + " with the object sent (its resourceVersion must be current).",
                                 write_params(), responses({{"200", kind_ref}, {"201", kind_ref}})),
                       content(kind_ref));
  i["patch"] = with_body(operation(k, "patch", namespaced + kind, "patch",
                                   "Change part of one " + kind + ": JSON patch, merge patch or server-side apply.",
                                   patch_params(), responses({{"200", kind_ref}, {"201", kind_ref}})),
                         patch_body());
  i["delete"] = with_body(operation(k, "delete", namespaced + kind, "delete", "Delete one " + kind + ".",
                                    delete_params(), responses({{"200", status}, {"202", status}})),
                          content(ref(kDeleteOptionsId)));

  if (info.status_subresource) {
    Json& s = paths[item + "/status"];
    s["parameters"] = item_params;
    s["get"] = operation(k, "read", namespaced + kind + "Status", "get", "Read the status of one " + kind + ".",
                         Json::array(), responses({{"200", kind_ref}}));
    s["put"] = with_body(operation(k, "replace", namespaced + kind + "Status", "put",
                                   "Replace the status of one " + kind + "; changes to anything else are ignored.",
                                   write_params(), responses({{"200", kind_ref}, {"201", kind_ref}})),
                         content(kind_ref));
    s["patch"] = with_body(operation(k, "patch", namespaced + kind + "Status", "patch",
                                     "Change part of the status of one " + kind + ".", patch_params(),
                                     responses({{"200", kind_ref}, {"201", kind_ref}})),
                           patch_body());
  }

  if (info.namespaced) {
    paths[root + "/" + plural]["get"] =
        operation(k, "list", kind + "ForAllNamespaces", "list", "List the " + plural + " of every namespace.",
                  list_params(), responses({{"200", ref(k.list_id)}}));
  }
}

// ---- schemas every document shares ----

Json list_schema(const KindDoc& k) {
  Json gvk = k.gvk;
  gvk["kind"] = std::string(k.info->kind) + "List";
  return Json{{"type", "object"},
              {"description", fmt::format("A list of {} objects, as a list or a watch returns them.", k.info->kind)},
              {"properties",
               {{"apiVersion", string_schema()},
                {"kind", string_schema()},
                {"metadata", ref(kListMetaId)},
                {"items", {{"type", "array"}, {"items", ref(k.schema_id)}}}}},
              {"required", {"items"}},
              {"x-kubernetes-group-version-kind", Json::array({gvk})}};
}

void add_shared_components(std::map<std::string, Json>& components) {
  components[kListMetaId] = Json{
      {"type", "object"},
      {"description", "What the server says about a list: its version, and how to read the rest of it."},
      {"properties",
       {{"resourceVersion", {{"type", "string"}, {"description", "The version to watch the list from."}}},
        {"continue", {{"type", "string"}, {"description", "Set when the list was cut by limit: pass it back as "
                                                            "the continue parameter to read on."}}},
        {"remainingItemCount", {{"type", "integer"}, {"format", "int64"}}}}}};
  components[kStatusId] = Json{
      {"type", "object"},
      {"description", "The server's answer when it returns no object: a refusal (reason, code, message, and the "
                      "fields at fault in details.causes) or the success of a delete."},
      {"properties",
       {{"apiVersion", string_schema()},
        {"kind", string_schema()},
        {"status", {{"type", "string"}, {"description", "Success or Failure."}}},
        {"message", {{"type", "string"}, {"description", "What happened, for a person to read."}}},
        {"reason", {{"type", "string"}, {"description", "NotFound, AlreadyExists, Conflict, Invalid, ..."}}},
        {"code", {{"type", "integer"}, {"format", "int32"}, {"description", "The HTTP status code."}}},
        {"details", {{"x-kubernetes-preserve-unknown-fields", true},
                     {"description", "The object concerned, and for Invalid the causes: one per field at fault."}}}}}};
  components[kDeleteOptionsId] = Json{
      {"type", "object"},
      {"description", "How to delete: the same choices as the query parameters, as a request body."},
      {"properties",
       {{"apiVersion", string_schema()},
        {"kind", string_schema()},
        {"gracePeriodSeconds", {{"type", "integer"}, {"format", "int64"}}},
        {"propagationPolicy", {{"type", "string"}, {"enum", {"Orphan", "Background", "Foreground"}}}},
        {"preconditions",
         {{"type", "object"},
          {"description", "Delete only if the object still has this uid and resourceVersion."},
          {"properties", {{"uid", string_schema()}, {"resourceVersion", string_schema()}}}}},
        {"dryRun", {{"type", "array"}, {"items", string_schema()}}}}}};
  components[kPatchId] = Json{
      {"type", "object"},
      {"description", "A patch, in the format its Content-Type names: a JSON patch (a list of operations), a merge "
                      "patch, or a server-side apply configuration."},
      {"x-kubernetes-preserve-unknown-fields", true}};
}

void collect_refs(const Json& j, std::set<std::string>& out) {
  if (j.is_object()) {
    if (auto id = SchemaSet::id_from_ref(j); !id.empty()) out.insert(id);
    for (const auto& [key, value] : j.items()) collect_refs(value, out);
  } else if (j.is_array()) {
    for (const auto& value : j) collect_refs(value, out);
  }
}

// The schemas a document needs: those its paths refer to, and theirs, in turn.
Json components_for(const Json& paths, const std::map<std::string, Json>& all) {
  std::set<std::string> wanted, done;
  collect_refs(paths, wanted);
  Json schemas = Json::object();
  while (!wanted.empty()) {
    const std::string id = *wanted.begin();
    wanted.erase(wanted.begin());
    if (!done.insert(id).second) continue;
    const Json& schema = all.at(id);
    schemas[id] = schema;
    std::set<std::string> more;
    collect_refs(schema, more);
    for (const auto& m : more)
      if (!done.contains(m)) wanted.insert(m);
  }
  return schemas;
}

OpenApiDocument finish(Json json) {
  OpenApiDocument doc;
  doc.body = json.dump();
  doc.hash = content_hash(doc.body);
  doc.json = std::move(json);
  return doc;
}

}  // namespace

std::string content_hash(std::string_view bytes) {
  // FNV-1a, 64 bits: a cache key, not a security measure.
  std::uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return fmt::format("{:016X}", h);
}

OpenApiDocuments build_openapi_documents(const std::vector<const KindInfo*>& kinds) {
  SchemaSet set;
  std::vector<KindDoc> docs;
  std::vector<std::pair<KindDoc, std::string>> same_schema_as;  // a version's kind, and the schema id it shares
  for (const KindInfo* info : kinds) {
    if (!info->not_modelled.empty() || !info->schema) continue;
    KindDoc k{info, std::string(info->group()), std::string(info->version()), nullptr, {}, {}};
    k.gvk = Json{{"group", k.group}, {"version", k.version}, {"kind", std::string(info->kind)}};
    set.set_package(models::schema_package(info->api_version));
    k.schema_id = info->schema(set);
    k.list_id = k.schema_id + "List";
    Json& schema = set.component(k.schema_id);
    schema["x-kubernetes-group-version-kind"] = Json::array({k.gvk});
    if (!schema.contains("description"))
      schema["description"] = fmt::format("A {} ({}), as kvsim models it.", info->kind, info->api_version);
    // The kind's other served versions (kubevirt.io/v1alpha3): the same schema under their own name and GVK.
    for (const auto& served : models::served_versions(*info)) {
      if (served.version == k.version) continue;
      KindDoc other{info, k.group, std::string(served.version), nullptr, {}, {}};
      other.gvk = Json{{"group", k.group}, {"version", other.version}, {"kind", std::string(info->kind)}};
      other.schema_id = models::schema_package(k.group + "/" + other.version) + "." + std::string(info->kind);
      other.list_id = other.schema_id + "List";
      same_schema_as.emplace_back(std::move(other), k.schema_id);
    }
    docs.push_back(std::move(k));
  }

  std::map<std::string, Json> components = set.components();
  add_shared_components(components);
  for (auto& [k, source] : same_schema_as) {
    Json schema = components.at(source);
    schema["x-kubernetes-group-version-kind"] = Json::array({k.gvk});
    components[k.schema_id] = std::move(schema);
    docs.push_back(std::move(k));
  }
  std::map<std::string, Json> paths_by_key;
  for (const auto& k : docs) {
    components[k.list_id] = list_schema(k);
    add_kind_paths(paths_by_key[discovery_key(k.group, k.version)], k);
  }

  OpenApiDocuments out;
  Json discovery_paths = Json::object();
  for (auto& [key, paths] : paths_by_key) {
    Json doc{{"openapi", "3.0.0"},
             {"info", {{"title", "kvsim"}, {"version", key}}},
             {"paths", paths},
             {"components", {{"schemas", components_for(paths, components)}}}};
    auto& stored = out.group_versions[key] = finish(std::move(doc));
    discovery_paths[key] = Json{{"serverRelativeURL", "/openapi/v3/" + key + "?hash=" + stored.hash}};
  }
  out.discovery = finish(Json{{"paths", std::move(discovery_paths)}});
  return out;
}

const OpenApiDocuments& openapi_documents() {
  static const OpenApiDocuments documents = build_openapi_documents(models::all_kinds());
  return documents;
}

}  // namespace kvsim::sim::apiserver
