#include "sim/apiserver/json_patch.hpp"

#include <fmt/format.h>

namespace kvsim::sim::apiserver {
namespace {

using models::Json;

// nlohmann's messages start with "[json.exception.out_of_range.403] ": the
// reason is what a person reads.
std::string reason_of(const std::exception& e) {
  std::string what = e.what();
  if (what.rfind("[json.exception.", 0) == 0)
    if (auto close = what.find("] "); close != std::string::npos) what = what.substr(close + 2);
  return what;
}

// The operation's own shape (RFC 6902 section 4): checked before anything is applied.
std::string malformed(const Json& op) {
  if (!op.is_object()) return "an operation must be an object";
  auto str = [&](const char* key) { return op.contains(key) && op[key].is_string(); };
  if (!str("op")) return "an operation needs \"op\" (add, remove, replace, move, copy or test)";
  const auto name = op["op"].get<std::string>();
  if (name != "add" && name != "remove" && name != "replace" && name != "move" && name != "copy" && name != "test")
    return fmt::format("unsupported op \"{}\" (expected add, remove, replace, move, copy or test)", name);
  if (!str("path")) return "an operation needs \"path\", a JSON pointer such as /metadata/labels/app";
  try {
    Json::json_pointer p(op["path"].get<std::string>());
    if (str("from")) Json::json_pointer f(op["from"].get<std::string>());
  } catch (const std::exception& e) {
    return reason_of(e);
  }
  if ((name == "add" || name == "replace" || name == "test") && !op.contains("value"))
    return fmt::format("\"{}\" needs a \"value\"", name);
  if ((name == "move" || name == "copy") && !str("from")) return fmt::format("\"{}\" needs \"from\"", name);
  return {};
}

std::string describe(const Json& op) {
  return fmt::format("{} {}", op["op"].get<std::string>(), op["path"].get<std::string>());
}

}  // namespace

PatchOutcome apply_json_patch(const Json& document, const Json& patch) {
  if (!patch.is_array())
    return PatchOutcome::failed(400, "a JSON patch must be a list of operations, such as "
                                     "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":3}]");
  if (patch.size() > kMaxJsonPatchOperations)
    return PatchOutcome::failed(413, fmt::format("The allowed maximum operations in a JSON patch is {}, got {}",
                                                 kMaxJsonPatchOperations, patch.size()));
  for (std::size_t i = 0; i < patch.size(); ++i)
    if (auto why = malformed(patch[i]); !why.empty())
      return PatchOutcome::failed(400, fmt::format("json patch operation {}: {}", i, why));
  Json doc = document;
  for (std::size_t i = 0; i < patch.size(); ++i) {
    const Json& op = patch[i];
    try {
      if (op["op"] == "test") {
        // Checked here to say what the value is (nlohmann only says "unsuccessful").
        const Json::json_pointer p(op["path"].get<std::string>());
        if (!doc.contains(p))
          return PatchOutcome::failed(422, fmt::format("json patch operation {} ({}): the path does not exist", i,
                                                       describe(op)));
        if (doc.at(p) != op["value"])
          return PatchOutcome::failed(422, fmt::format("json patch operation {} ({}): test failed: the value is {}, "
                                                       "not {}",
                                                       i, describe(op), doc.at(p).dump(), op["value"].dump()));
        continue;
      }
      doc = doc.patch(Json::array({op}));
    } catch (const std::exception& e) {
      return PatchOutcome::failed(422, fmt::format("json patch operation {} ({}): {}", i, describe(op), reason_of(e)));
    }
  }
  return PatchOutcome::of(std::move(doc));
}

PatchOutcome apply_merge_patch(const Json& document, const Json& patch) {
  if (!patch.is_object())
    return PatchOutcome::failed(400, "a merge patch must be a JSON object, such as {\"spec\":{\"replicas\":3}}");
  Json doc = document;
  doc.merge_patch(patch);
  return PatchOutcome::of(std::move(doc));
}

}  // namespace kvsim::sim::apiserver
