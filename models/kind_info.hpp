#pragma once
// What the API knows about a kind: its names (for `get vmis`, `get vmi`,
// `get virtualmachineinstance`), scope, and how to decode, validate and default it.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "models/meta.hpp"

namespace kvsim::models {

// models/codec/schema.hpp defines these; only the files that register kinds
// include it, so that editing the schema code rebuilds those files alone.
class SchemaSet;
template <class T>
std::string kind_schema(SchemaSet& set);
// models/codec/not_simulated.hpp defines it (schema.hpp includes that).
template <class T>
std::vector<std::string> kind_not_simulated(const Object& obj);

struct KindInfo {
  std::string_view kind;         // VirtualMachineInstance
  std::string_view api_version;  // kubevirt.io/v1: the stored (and preferred) version
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
  // Registers the kind's OpenAPI schema, and those of the types it is made
  // of, in a set (/openapi/v3); returns the kind's schema id. Set by
  // with_schema<T>; null for refused kinds, which have no schema.
  std::string (*schema)(SchemaSet&) = nullptr;
  // The paths of the fields declared `not_simulated` that an object of this
  // kind sets (kept, without effect): what describe notes. Set by with_schema<T>.
  std::vector<std::string> (*not_simulated)(const Object&) = nullptr;

  std::string_view group() const {
    auto slash = api_version.find('/');
    return slash == std::string_view::npos ? std::string_view() : api_version.substr(0, slash);
  }
  // The version objects are stored in, also the one served first (registry.hpp
  // served_versions lists the others).
  std::string_view version() const {
    auto slash = api_version.find('/');
    return slash == std::string_view::npos ? api_version : api_version.substr(slash + 1);
  }
};

// A kind's KindInfo completed with what its type alone determines (the
// schema), so each kind's registration names its type once more and no more:
//   static const KindInfo info = with_schema<Pod>({"Pod", "v1", ...});
// The file that does so includes models/codec/schema.hpp, where kind_schema
// is defined (without it, the link fails on kind_schema<Pod>), and through it
// models/codec/not_simulated.hpp, where kind_not_simulated is.
template <class T>
KindInfo with_schema(KindInfo info) {
  info.schema = &kind_schema<T>;
  info.not_simulated = &kind_not_simulated<T>;
  return info;
}

template <class T>
std::shared_ptr<Object> decode_kind(const YAML::Node& node, DecodeContext& ctx) {
  auto obj = std::make_shared<T>();
  decode_document(node, ctx, *obj);
  return obj;
}

}  // namespace kvsim::models
