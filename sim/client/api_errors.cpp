#include "sim/client/api_errors.hpp"

#include <fmt/format.h>

#include "models/codec/decoder.hpp"
#include "sim/client/json_fields.hpp"

namespace kvsim::sim::client {

std::string go_quote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7f) out += fmt::format("\\x{:02x}", c);
        else out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string generic_server_error(int code, const std::string& server_message, const RequestTarget& target) {
  std::string message = fmt::format("the server responded with the status code {} but did not return more information", code);
  switch (code) {
    case 409: message = "the server reported a conflict"; break;
    case 404: message = "the server could not find the requested resource"; break;
    case 400: message = "the server rejected our request for an unknown reason"; break;
    case 401: message = "the server has asked for the client to provide credentials"; break;
    case 403:
    case 406:
    case 415: message = server_message; break;  // the server's own words say who may do what
    case 405: message = "the server does not allow this method on the requested resource"; break;
    case 422: message = "the server rejected our request due to an error in our request"; break;
    case 503: message = "the server is currently unable to handle the request"; break;
    case 504:
      message = "the server was unable to return a response in the time allotted, but may still be processing the request";
      break;
    case 429: message = "the server has received too many requests and has asked us to try again later"; break;
    default:
      if (code >= 500)
        message = fmt::format("an error on the server ({}) has prevented the request from succeeding", go_quote(server_message));
  }
  if (!target.resource.empty() && !target.name.empty())
    return fmt::format("{} ({} {} {})", message, target.verb, target.resource, target.name);
  if (!target.resource.empty()) return fmt::format("{} ({} {})", message, target.verb, target.resource);
  return message;
}

std::string client_error_text(int code, const std::string& content_type, const std::string& body,
                              const RequestTarget& target) {
  if (content_type.find("json") != std::string::npos) {
    const auto j = models::Json::parse(body, nullptr, false);
    if (json_string(j, "kind") == "Status" && json_string(j, "status") != "Success") {
      const std::string message = json_string(j, "message");
      if (!message.empty()) return message;
    }
  }
  // Text bodies are trimmed; anything else is "unknown" to client-go.
  std::string text = "unknown";
  if (content_type.starts_with("text/")) {
    const auto b = body.find_first_not_of(" \t\r\n");
    const auto e = body.find_last_not_of(" \t\r\n");
    text = b == std::string::npos ? std::string() : body.substr(b, e - b + 1);
  }
  return generic_server_error(code, text, target);
}

}  // namespace kvsim::sim::client
