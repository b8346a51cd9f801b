#include "sim/kubevirt/subresources/answer.hpp"

#include <fmt/format.h>

namespace kvsim::sim::kubevirt::subresources {
namespace {

Answer refusal(int code, std::string reason, std::string message) {
  Answer a;
  a.code = code;
  a.reason = std::move(reason);
  a.message = std::move(message);
  return a;
}

}  // namespace

Answer accepted() {
  Answer a;
  a.code = 202;
  return a;
}

Answer ok_empty() { return Answer{}; }

Answer ok_json(models::Json body) {
  Answer a;
  a.body = std::move(body);
  return a;
}

Answer conflict(const std::string& resource, const std::string& name, const std::string& why) {
  return refusal(409, "Conflict", fmt::format("Operation cannot be fulfilled on {}.kubevirt.io \"{}\": {}", resource, name, why));
}

Answer not_found(const std::string& resource, const std::string& name) {
  return refusal(404, "NotFound", fmt::format("{}.kubevirt.io \"{}\" not found", resource, name));
}

Answer internal_error(const std::string& why) {
  return refusal(500, "InternalError", "Internal error occurred: " + why);
}

Answer bad_request(const std::string& message) { return refusal(400, "BadRequest", message); }

Answer forbidden(const std::string& resource, const std::string& name, const std::string& why) {
  return refusal(403, "Forbidden", fmt::format("{}.kubevirt.io \"{}\" is forbidden: {}", resource, name, why));
}

Answer plain_error(int code, const std::string& text) {
  Answer a = refusal(code, "", text);
  a.plain_text = true;
  return a;
}

}  // namespace kvsim::sim::kubevirt::subresources
