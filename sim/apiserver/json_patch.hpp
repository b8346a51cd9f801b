#pragma once
// The two patch formats defined outside Kubernetes, applied to an object's
// JSON: JSON Patch (RFC 6902, `application/json-patch+json`, `kubectl patch
// --type=json`) and JSON Merge Patch (RFC 7386, `application/merge-patch+json`,
// `--type=merge`, and what `kubectl label|annotate|scale` send).
#include <string>

#include "models/codec/decoder.hpp"

namespace kvsim::sim::apiserver {

// A patched document, or why the patch does not apply: `code` is the HTTP
// status upstream answers with (400 a malformed patch, 422 one that does not
// apply to this object, 413 too many operations).
struct PatchOutcome {
  models::Json result;
  int code = 0;
  std::string error;
  bool ok() const { return code == 0; }
  static PatchOutcome failed(int code, std::string error) { return {nullptr, code, std::move(error)}; }
  static PatchOutcome of(models::Json result) { return {std::move(result), 0, {}}; }
};

// Upstream's cap on the operations of one JSON patch.
inline constexpr std::size_t kMaxJsonPatchOperations = 10000;

// Applies the operations in order; the first that fails names itself
// ("json patch operation 2 (replace /spec/foo): ...") and nothing is applied.
PatchOutcome apply_json_patch(const models::Json& document, const models::Json& patch);

// RFC 7386: objects merge key by key, null deletes, anything else replaces.
// The patch must be an object (upstream refuses anything else as BadRequest).
PatchOutcome apply_merge_patch(const models::Json& document, const models::Json& patch);

}  // namespace kvsim::sim::apiserver
