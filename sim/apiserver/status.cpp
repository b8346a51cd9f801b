#include "sim/apiserver/status.hpp"

#include <fmt/format.h>

namespace kvsim::sim::apiserver {

std::string reason_for_code(int code) {
  switch (code) {
    case 400: return "BadRequest";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "NotFound";
    case 405: return "MethodNotAllowed";
    case 406: return "NotAcceptable";
    case 409: return "Conflict";
    case 410: return "Expired";
    case 413: return "RequestEntityTooLarge";
    case 415: return "UnsupportedMediaType";
    case 422: return "Invalid";
    case 429: return "TooManyRequests";
    case 500: return "InternalError";
    case 501: return "NotImplemented";
    case 503: return "ServiceUnavailable";
    default: return "";
  }
}

std::string wire_json(const models::Json& body) {
  return body.dump(-1, ' ', false, models::Json::error_handler_t::replace);
}

Response json_response(const models::Json& body, int status) {
  Response r;
  r.status = status;
  r.body = wire_json(body);
  return r;
}

Response status_response(int code, const std::string& reason, const std::string& message, const models::Json& details) {
  models::Json s = {{"kind", "Status"}, {"apiVersion", "v1"}, {"metadata", models::Json::object()},
                    {"status", "Failure"}, {"message", message}, {"reason", reason.empty() ? reason_for_code(code) : reason},
                    {"code", code}};
  if (!details.is_null()) s["details"] = details;
  return json_response(s, code);
}

Response success_status(const models::Json& details) {
  models::Json s = {{"kind", "Status"}, {"apiVersion", "v1"}, {"metadata", models::Json::object()}, {"status", "Success"}};
  if (!details.is_null()) s["details"] = details;
  return json_response(s, 200);
}

Response not_found(const std::string& resource, const std::string& group, const std::string& name) {
  const std::string qualified = group.empty() ? resource : resource + "." + group;
  return status_response(404, "NotFound", fmt::format("{} \"{}\" not found", qualified, name),
                         {{"name", name}, {"group", group}, {"kind", resource}});
}

Response write_refused(const api::WriteResult& refused, const std::string& resource, const std::string& group) {
  models::Json details = {{"group", group}, {"kind", resource}};
  if (refused.object) details["name"] = refused.object->metadata.name;
  if (refused.code == 422) {
    // The store's causes read "field: message" (as kubectl prints them); Status carries them apart.
    models::Json causes = models::Json::array();
    for (const auto& c : refused.causes) {
      const auto colon = c.find(": ");
      if (colon == std::string::npos) causes.push_back({{"reason", cause_type(c)}, {"message", c}});
      else
        causes.push_back(
            {{"reason", cause_type(c.substr(colon + 2))}, {"message", c.substr(colon + 2)}, {"field", c.substr(0, colon)}});
    }
    if (!refused.invalid_kind.empty()) details["kind"] = refused.invalid_kind, details["name"] = refused.invalid_name;
    // A webhook's denial carries only its causes (KubeVirt's webhooks.ToAdmissionResponse),
    // so kubectl prints "The request is invalid: FIELD: MESSAGE", not a kind and an empty name.
    else details = models::Json::object();
    details["causes"] = causes;
    std::string message = refused.error;
    if (!refused.invalid_kind.empty() && !refused.causes.empty()) {
      message = fmt::format("{} \"{}\" is invalid: ", refused.invalid_kind, refused.invalid_name);
      for (std::size_t i = 0; i < refused.causes.size(); ++i) message += (i ? ", " : "") + refused.causes[i];
    }
    return status_response(422, "Invalid", message, details);
  }
  std::string reason = reason_for_code(refused.code);
  if (refused.code == 409 && refused.error.ends_with("already exists")) reason = "AlreadyExists";
  return status_response(refused.code ? refused.code : 500, reason, refused.error, details);
}

std::string cause_type(const std::string& message) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {"Required value", "FieldValueRequired"},     {"Unsupported value", "FieldValueNotSupported"},
      {"Duplicate value", "FieldValueDuplicate"},   {"Forbidden", "FieldValueForbidden"},
      {"Too long", "FieldValueTooLong"},            {"Too many", "FieldValueTooMany"},
      {"Not found", "FieldValueNotFound"},          {"Invalid value", "FieldValueInvalid"},
  };
  for (const auto& [prefix, type] : kTypes)
    if (message.rfind(prefix, 0) == 0) return type;
  return "FieldValueInvalid";
}

Response invalid(const models::KindInfo& kind, const std::string& name, const models::Problems& problems) {
  models::Json causes = models::Json::array();
  const std::string group(kind.group());
  std::string message = fmt::format("{}{}{} \"{}\" is invalid: ", kind.kind, group.empty() ? "" : ".", group, name);
  for (std::size_t i = 0; i < problems.size(); ++i) {
    const auto& p = problems[i];
    std::string text = p.message;
    if (p.at.line > 0) text += fmt::format(" (line {}, column {})", p.at.line, p.at.column);
    causes.push_back({{"reason", cause_type(p.message)}, {"message", text}, {"field", p.path}});
    message += (i ? ", " : "") + (p.path.empty() ? text : p.path + ": " + text);
  }
  return status_response(422, "Invalid", message,
                         {{"name", name}, {"group", group}, {"kind", std::string(kind.kind)}, {"causes", causes}});
}

Response invalid_options(const std::string& options_kind, const std::string& field, const std::string& message) {
  return status_response(422, "Invalid",
                         fmt::format("{}.meta.k8s.io \"\" is invalid: {}: {}", options_kind, field, message),
                         {{"group", "meta.k8s.io"},
                          {"kind", options_kind},
                          {"causes", models::Json::array({models::Json{
                                         {"reason", cause_type(message)}, {"message", message}, {"field", field}}})}});
}

Response conflict(const std::string& resource, const std::string& group, const std::string& name,
                  const std::string& why) {
  const std::string qualified = group.empty() ? resource : resource + "." + group;
  return status_response(409, "Conflict", fmt::format("Operation cannot be fulfilled on {} \"{}\": {}", qualified, name, why),
                         {{"name", name}, {"group", group}, {"kind", resource}});
}

}  // namespace kvsim::sim::apiserver
