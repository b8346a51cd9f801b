#pragma once
// What the API knows about a kind: its names (for `get vmis`, `get vmi`,
// `get virtualmachineinstance`), scope, and how to decode, validate and default it.
#include <memory>
#include <string_view>
#include <vector>

#include "models/meta.hpp"

namespace kvsim::models {

struct KindInfo {
  std::string_view kind;         // VirtualMachineInstance
  std::string_view api_version;  // kubevirt.io/v1
  std::string_view plural;       // virtualmachineinstances
  std::vector<std::string_view> short_names;
  bool namespaced = true;
  // Non-empty: a real kind the sim refuses, and why.
  std::string_view not_modelled;
  std::shared_ptr<Object> (*decode)(const YAML::Node&, DecodeContext&) = nullptr;
  // API-server checks beyond the schema; report with ctx.invalid(path, message).
  void (*validate)(const Object&, DecodeContext&) = nullptr;
  // Defaulting as admission applies it (the mutating webhooks included).
  void (*apply_defaults)(Object&) = nullptr;
  // True when the API server resets .status on create (status subresource).
  bool status_subresource = true;
  // Update checks: immutable fields (`old` is the stored object).
  void (*validate_update)(const Object& old, const Object& next, DecodeContext&) = nullptr;

  std::string_view group() const {
    auto slash = api_version.find('/');
    return slash == std::string_view::npos ? std::string_view() : api_version.substr(0, slash);
  }
};

template <class T>
std::shared_ptr<Object> decode_kind(const YAML::Node& node, DecodeContext& ctx) {
  auto obj = std::make_shared<T>();
  decode_document(node, ctx, *obj);
  return obj;
}

}  // namespace kvsim::models
