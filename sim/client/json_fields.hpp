#pragma once
// Reading fields of JSON a server sent, without trusting its shape: a field
// of the wrong type reads as absent (nlohmann's value() would throw).
#include <string>

#include "models/codec/decoder.hpp"

namespace kvsim::sim::client {

inline std::string json_string(const models::Json& j, const char* key, const std::string& fallback = {}) {
  if (!j.is_object()) return fallback;
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : fallback;
}

inline models::Json json_object(const models::Json& j, const char* key) {
  if (!j.is_object()) return models::Json::object();
  auto it = j.find(key);
  return it != j.end() && it->is_object() ? *it : models::Json::object();
}

inline models::Json json_array(const models::Json& j, const char* key) {
  if (!j.is_object()) return models::Json::array();
  auto it = j.find(key);
  return it != j.end() && it->is_array() ? *it : models::Json::array();
}

}  // namespace kvsim::sim::client
