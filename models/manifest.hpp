#pragma once
// Reading manifests: one or more YAML documents (or JSON), each decoded
// strictly, defaulted and validated as the API server's admission does.
// A file with any bad document yields problems and no objects.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "models/kind_info.hpp"

namespace kvsim::models {

struct LoadResult {
  std::vector<std::shared_ptr<Object>> objects;
  // Each object's document as written (no defaults): what `kubectl apply`
  // records as last-applied and merges with. (A scenario's generated copy,
  // created and never applied, has none: sim/scenario/scenario.hpp.)
  std::vector<Json> documents;
  Problems problems;
  bool ok() const { return problems.empty(); }
};

LoadResult load_manifests(std::string_view text, const std::string& file);
LoadResult load_manifest_file(const std::string& path);

// Decodes one document (apiVersion/kind dispatch); problems land in ctx.
std::shared_ptr<Object> decode_object(const YAML::Node& node, DecodeContext& ctx);
// One parsed document as `apply -f` takes it: decoded, then admitted when it decoded cleanly.
// Its problems are added to `problems`; the object is returned even when it has some.
std::shared_ptr<Object> load_document(const YAML::Node& doc, const std::string& file, Problems& problems);

// Admission: defaulting then validation. Problems land in ctx.
void admit(Object& obj, DecodeContext& ctx);
// Admission of a spec update: as admit(), plus the kind's immutable-field checks against `old`.
void admit_update(const Object& old, Object& next, DecodeContext& ctx);

}  // namespace kvsim::models
