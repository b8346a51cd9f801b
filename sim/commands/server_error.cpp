#include "sim/commands/server_error.hpp"

#include <fmt/format.h>

namespace kvsim::sim::commands {

namespace {

std::string reason_for(const api::WriteResult& r) {
  switch (r.code) {
    case 400: return "BadRequest";
    case 403: return "Forbidden";
    case 404: return "NotFound";
    case 409: return r.error.ends_with("already exists") ? "AlreadyExists" : "Conflict";
    case 422: return "Invalid";
    default: return {};
  }
}

}  // namespace

std::string server_error(const api::WriteResult& refused) {
  if (refused.code == 422 && !refused.invalid_kind.empty() && !refused.causes.empty()) {
    std::string text = fmt::format("The {} \"{}\" is invalid:", refused.invalid_kind, refused.invalid_name);
    if (refused.causes.size() == 1) return text + " " + refused.causes.front();
    for (const auto& cause : refused.causes) text += "\n* " + cause;
    return text;
  }
  // A webhook's denial: kubectl has no kind or name to show, only the causes.
  if (refused.code == 422 && refused.invalid_kind.empty() && !refused.causes.empty()) {
    std::string text = "The request is invalid:";
    if (refused.causes.size() == 1) return text + " " + refused.causes.front();
    for (const auto& cause : refused.causes) text += "\n* " + cause;
    return text;
  }
  const std::string reason = reason_for(refused);
  return reason.empty() ? "Error from server: " + refused.error
                        : fmt::format("Error from server ({}): {}", reason, refused.error);
}

}  // namespace kvsim::sim::commands
