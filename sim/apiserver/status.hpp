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
// 422 Invalid from decode/admission problems (located messages), kind and name known.
Response invalid(const models::KindInfo& kind, const std::string& name, const models::Problems& problems);
// {"kind":"Status","status":"Success"} as DELETE of a non-object-returning path answers.
Response success_status(const models::Json& details = nullptr);
// A JSON body (status 200 unless given).
Response json_response(const models::Json& body, int status = 200);

}  // namespace kvsim::sim::apiserver
