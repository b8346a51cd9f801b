#pragma once
// What every write of the API shares (writes.cpp dispatches; create_replace,
// patch, delete and scale answer): the request's options, its body read as
// JSON or YAML, the object decoded strictly, and the last steps into the store
// through the same admission as `kvsim apply`.
#include <memory>
#include <optional>
#include <string>

#include "sim/api/store.hpp"
#include "sim/apiserver/handler.hpp"
#include "sim/apiserver/managed_fields.hpp"

namespace kvsim::sim::apiserver {

struct WriteContext {
  cluster::Cluster& cluster;
  const Request& request;
  const ResourcePath& path;
  const models::KindInfo& kind;
  bool dry_run = false;  // dryRun=All
  std::string manager;   // fieldManager, or the product of the User-Agent ("kubectl")

  api::Store& store() const { return cluster.store(); }
  std::string ns() const { return kind.namespaced ? path.ns : std::string(); }
  std::string group() const { return std::string(kind.group()); }
  std::string resource() const { return std::string(kind.plural); }
  // The sim's time as managedFields and deletionTimestamp write it.
  models::Json now() const;
  // The trace record of the write: the user's, naming the manager and the verb.
  api::Cause cause(const std::string& verb) const;
  // The version the request reads and writes in (the URL's): managedFields
  // record it, and bodies must name it. Objects are stored in kind.api_version.
  std::string api_version() const { return path.api_version(); }
  // The stored object's JSON as this request's version shows it.
  models::Json requested_json(const models::Object& o) const;
  Writer writer(const std::string& subresource = {}) const { return {manager, api_version(), subresource}; }
};

// Reads dryRun, fieldValidation (kvsim always decodes strictly) and
// fieldManager. `options_kind` names the options in a refusal (CreateOptions,
// UpdateOptions, PatchOptions). nullopt when they are valid.
std::optional<Response> read_write_options(WriteContext& w, const std::string& options_kind);

// The media type of a Content-Type, lower case, without parameters.
std::string media_type(const std::string& content_type);
// 415 for protobuf kvsim does not read (what `kubectl create deployment|namespace`
// send), with the command to use instead.
Response protobuf_refused();
// 415 for any other media type, listing those accepted.
Response unsupported_media_type(const std::vector<std::string>& accepted);

// Parses a body as JSON (or YAML when `yaml`): 400 with the line and column
// of a malformed one, or of one nested deeper than any object.
std::optional<Response> parse_body(const std::string& text, bool yaml, models::Json& out);
// POST and PUT bodies: JSON, YAML, or no Content-Type at all (`kubectl create
// --raw` sends none); protobuf only for a Secret or ConfigMap; others are refused.
std::optional<Response> read_object_body(const Request& request, models::Json& out);

// Decodes an object strictly. When `text` (the body) has more than one line,
// problems carry their line and column in it.
std::shared_ptr<models::Object> decode_object_json(const models::Json& object, const std::string& text,
                                                   models::DecodeContext& ctx);

// Makes the written JSON name the URL's object: apiVersion (the URL's version)
// and kind of the endpoint (filled when absent), the URL's namespace and name (filled when
// absent; another one is refused 400, as upstream refuses it).
std::optional<Response> check_identity(const WriteContext& w, models::Json& object, bool name_from_url);

// The resourceVersion and uid a write carries must be the stored object's (409).
// `require_version`: a PUT of a custom resource must carry one (upstream's
// CRDs refuse unconditional updates).
std::optional<Response> check_preconditions(const WriteContext& w, const models::Json& object,
                                            const models::Object& current, bool require_version);

// The object a write of `part` stores: status from the stored object for the
// main resource; for the status subresource, everything but status from it.
// Server-set metadata always comes from the stored object.
models::Json written_part(const models::Json& current, models::Json next, ObjectPart part);

// The handlers, one file each.
Response create_object(WriteContext& w);      // POST                 create_replace.cpp
Response replace_object(WriteContext& w);     // PUT (status too)     create_replace.cpp
Response patch_object(WriteContext& w);       // PATCH (status too)   patch.cpp
Response delete_object(WriteContext& w);      // DELETE of one        delete.cpp
Response delete_collection(WriteContext& w);  // DELETE of a list     delete.cpp
Response scale_subresource(WriteContext& w);  // any method           scale.cpp
Response evict(WriteContext& w);              // POST pods/x/eviction pod_eviction.cpp

// The last steps of a create: KubeVirt's webhooks, the store's admission, 201
// with the created object.
Response finish_create(WriteContext& w, std::shared_ptr<models::Object> object);
// The last steps of an update: a change the write does not make is no write
// (200 with the stored object, resourceVersion kept); a spec change goes through
// admission and bumps generation (as `kvsim apply` decides it), any other change
// is validated; 200 with the stored object.
Response finish_update(WriteContext& w, const models::ObjectPtr& current, std::shared_ptr<models::Object> next);

// Decodes `next` (the whole object after a PUT or a patch), records the
// writer's fields (an Update, under `subresource` when given: scale) and
// finishes the update. `text` locates problems.
Response update_from_json(WriteContext& w, const models::ObjectPtr& current, models::Json next, ObjectPart part,
                          const std::string& text, bool require_version, const std::string& subresource = {});

}  // namespace kvsim::sim::apiserver
