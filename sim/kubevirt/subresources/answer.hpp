#pragma once
// What virt-api (behind the API server's aggregator) answers one request of the
// subresources.kubevirt.io API: a success, with or without a JSON entity, or a
// refusal. Refusals come in the two shapes upstream sends: a metav1.Status
// (virt-api's writeError: reason, code, message) or a plain-text body
// (go-restful's WriteError in virt-api's GET handlers, and the aggregator's
// "service unavailable" when no virt-api pod serves). The endpoint turns an
// Answer into HTTP; kvsim's shell reads it in process. Pure data, no SimGrid.
#include <string>

#include "models/codec/decoder.hpp"

namespace kvsim::sim::kubevirt::subresources {

struct Answer {
  int code = 200;
  // A refusal (code >= 400): the Status's reason and message, or the plain text.
  std::string reason;
  std::string message;
  bool plain_text = false;
  // A success's entity (guestosinfo, version, ...); null: an empty body (202 of start).
  models::Json body;

  bool ok() const { return code >= 200 && code < 300; }
};

Answer accepted();                          // 202, empty: start, stop, restart, migrate
Answer ok_empty();                          // 200, empty: pause, unpause
Answer ok_json(models::Json body);          // 200 with an entity
// errors.NewConflict(v1.Resource(resource), name, why): 409
// `Operation cannot be fulfilled on virtualmachine.kubevirt.io "vm1": VM is already running`.
Answer conflict(const std::string& resource, const std::string& name, const std::string& why);
// errors.NewNotFound(v1.Resource(resource), name): 404 `virtualmachine.kubevirt.io "vm1" not found`.
Answer not_found(const std::string& resource, const std::string& name);
// errors.NewInternalError(err): 500 `Internal error occurred: ...`.
Answer internal_error(const std::string& why);
// errors.NewBadRequest(message): 400.
Answer bad_request(const std::string& message);
// errors.NewForbidden(v1.Resource(resource), name, why): 403 `virtualmachineinstance.kubevirt.io "vm1" is forbidden: ...`.
Answer forbidden(const std::string& resource, const std::string& name, const std::string& why);
// A plain-text refusal (`text` is the whole body).
Answer plain_error(int code, const std::string& text);

}  // namespace kvsim::sim::kubevirt::subresources
