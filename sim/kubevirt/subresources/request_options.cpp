#include "sim/kubevirt/subresources/request_options.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "models/codec/decoder.hpp"
#include "models/codec/safe_yaml.hpp"

namespace kvsim::sim::kubevirt::subresources {
namespace {

using models::Json;

// encoding/json's words for a value of the wrong type.
std::string json_kind(const Json& v) {
  if (v.is_string()) return "string";
  if (v.is_boolean()) return "bool";
  if (v.is_number()) return "number";
  if (v.is_array()) return "array";
  if (v.is_object()) return "object";
  return "null";
}

std::string mismatch(const std::string& type, const std::string& field, const Json& v, const char* go_type) {
  return fmt::format("Can not unmarshal Request body to struct, error: json: cannot unmarshal {} into Go struct field "
                     "{}.{} of type {}",
                     json_kind(v), type, field, go_type);
}

}  // namespace

std::optional<RequestOptions> decode_options(const std::string& type, const std::string& body, std::string& error) {
  RequestOptions out;
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) return out;  // io.EOF: the defaults
  Json j = Json::parse(body, nullptr, false);
  if (j.is_discarded()) {
    // Not JSON: the decoder reads YAML too (through kvsim's bounded YAML parser).
    models::Problems problems;
    auto node = models::parse_yaml_document(body, "request body", problems);
    if (!node) {
      error = fmt::format("Can not unmarshal Request body to struct, error: {}",
                          problems.empty() ? std::string("not YAML") : problems.front().message);
      return std::nullopt;
    }
    j = models::yaml_to_json(*node);
  }
  if (j.is_null()) return out;
  if (!j.is_object()) {
    error = fmt::format("Can not unmarshal Request body to struct, error: json: cannot unmarshal {} into Go value of "
                        "type v1.{}",
                        json_kind(j), type);
    return std::nullopt;
  }
  if (type == "StartOptions" && j.contains("paused") && !j["paused"].is_null()) {
    if (!j["paused"].is_boolean()) {
      error = mismatch(type, "paused", j["paused"], "bool");
      return std::nullopt;
    }
    out.paused = j["paused"].get<bool>();
  }
  const char* grace_field = type == "StopOptions" ? "gracePeriod" : type == "RestartOptions" ? "gracePeriodSeconds" : nullptr;
  if (grace_field && j.contains(grace_field) && !j[grace_field].is_null()) {
    const auto& g = j[grace_field];
    if (!g.is_number_integer()) {
      error = mismatch(type, grace_field, g, "int64");
      return std::nullopt;
    }
    out.grace_period = g.get<std::int64_t>();
  }
  if (j.contains("dryRun") && !j["dryRun"].is_null()) {
    const auto& d = j["dryRun"];
    if (!d.is_array()) {
      error = mismatch(type, "dryRun", d, "[]string");
      return std::nullopt;
    }
    for (const auto& v : d) {
      if (!v.is_string()) {
        error = mismatch(type, "dryRun", v, "string");
        return std::nullopt;
      }
      if (v.get<std::string>() == "All") out.dry_run = true;
    }
  }
  return out;
}

}  // namespace kvsim::sim::kubevirt::subresources
