#pragma once
// metav1.Status: how the API server answers a refusal, and how kubectl prints
// it ("Error from server (NotFound): ..."). Reasons and codes as upstream's
// apimachinery/pkg/api/errors builds them.
#include <string>
#include <vector>

#include "models/codec/decoder.hpp"
#include "sim/api/store.hpp"
#include "sim/apiserver/http_message.hpp"

namespace kvsim::sim::apiserver {

struct StatusCause {
  std::string type;     // FieldValueInvalid, FieldValueNotSupported, FieldValueRequired, ...
  std::string message;
  std::string field;    // spec.runStrategy
};

// {kind: Status, apiVersion: v1, status: Failure, reason, code, message, details}.
Response status_response(int code, const std::string& reason, const std::string& message,
                         const models::Json& details = nullptr);
// The reason upstream gives each code: 400 BadRequest, 401 Unauthorized, 404 NotFound, 409 Conflict, ...
std::string reason_for_code(int code);
// 404: `virtualmachines.kubevirt.io "vm9" not found`.
Response not_found(const std::string& resource, const std::string& group, const std::string& name);
// A store refusal (WriteResult) as upstream words it: 422 Invalid with causes and
// details {name, group, kind, causes}, 409 AlreadyExists/Conflict, 404, 403.
Response write_refused(const api::WriteResult& refused, const std::string& resource, const std::string& group);
// 422 Invalid from decode/admission problems, kind and name known: one cause
// per problem (its field path, its message, and its line and column in the
// request body when the body has lines to point at), as kubectl lists them
// ("The Deployment \"web\" is invalid: spec.replicas: ...").
Response invalid(const models::KindInfo& kind, const std::string& name, const models::Problems& problems);
// 422 Invalid for a request option (CreateOptions, PatchOptions, DeleteOptions):
// `PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: ...`.
Response invalid_options(const std::string& options_kind, const std::string& field, const std::string& message);
// The cause type upstream gives a field error, from its message ("Required
// value" -> FieldValueRequired, "Unsupported value" -> FieldValueNotSupported, ...).
std::string cause_type(const std::string& message);
// 409 Conflict: `Operation cannot be fulfilled on deployments.apps "web": <why>`.
Response conflict(const std::string& resource, const std::string& group, const std::string& name,
                  const std::string& why);
// The optimistic-concurrency refusal of a stale resourceVersion.
inline constexpr const char* kObjectModified =
    "the object has been modified; please apply your changes to the latest version and try again";
// {"kind":"Status","status":"Success"} as DELETE of a non-object-returning path answers.
Response success_status(const models::Json& details = nullptr);
// A JSON body (status 200 unless given).
Response json_response(const models::Json& body, int status = 200);
// JSON as it goes on the wire: bytes that are not UTF-8 (a path or a YAML
// body can carry them) become U+FFFD, as Go's encoding/json writes them.
std::string wire_json(const models::Json& body);

}  // namespace kvsim::sim::apiserver
