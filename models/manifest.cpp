#include "models/manifest.hpp"

#include <fmt/format.h>

#include "models/codec/input_file.hpp"
#include "models/codec/safe_yaml.hpp"
#include "models/registry.hpp"

namespace kvsim::models {

std::shared_ptr<Object> decode_object(const YAML::Node& node, DecodeContext& ctx) {
  ctx.document_start = location_of(node);
  if (!node.IsMap()) {
    ctx.fail(location_of(node), "", "expected an object with apiVersion and kind");
    return nullptr;
  }
  const auto api_version = node["apiVersion"];
  const auto kind = node["kind"];
  if (!kind || !kind.IsScalar()) {
    ctx.fail(location_of(node), "kind", "Required value: every object needs a kind");
    return nullptr;
  }
  if (!api_version || !api_version.IsScalar()) {
    ctx.fail(location_of(node), "apiVersion", "Required value: every object needs an apiVersion");
    return nullptr;
  }
  const KindInfo* info = find_kind(api_version.Scalar(), kind.Scalar());
  if (!info) {
    const KindInfo* by_kind = find_kind(kind.Scalar());
    if (by_kind && by_kind->kind == kind.Scalar())
      ctx.fail(location_of(api_version), "apiVersion",
               fmt::format("no matches for kind \"{}\" in version \"{}\" (it is served in {})", kind.Scalar(),
                           api_version.Scalar(), served_api_versions(*by_kind)));
    else
      ctx.fail(location_of(kind), "kind",
               fmt::format("unknown kind \"{}\" in {} (see `kvsim api-resources` for the kinds kvsim knows)",
                           kind.Scalar(), api_version.Scalar()));
    return nullptr;
  }
  if (!info->not_modelled.empty()) {
    ctx.fail(location_of(kind), "", fmt::format("not modelled yet: kind {} ({})", info->kind, info->not_modelled));
    return nullptr;
  }
  auto obj = info->decode(node, ctx);
  // Converted to the version it is stored in: the same schema, another apiVersion.
  if (obj) obj->apiVersion = std::string(info->api_version);
  return obj;
}

void admit(Object& obj, DecodeContext& ctx) {
  const KindInfo& info = obj.info();
  if (info.apply_defaults) info.apply_defaults(obj);
  if (info.validate) info.validate(obj, ctx);
}

void admit_update(const Object& old, Object& next, DecodeContext& ctx) {
  admit(next, ctx);
  if (auto check = next.info().validate_update) check(old, next, ctx);
}

std::shared_ptr<Object> load_document(const YAML::Node& doc, const std::string& file, Problems& problems) {
  DecodeContext ctx;
  ctx.file = file;
  auto obj = decode_object(doc, ctx);
  if (obj && ctx.problems.empty()) admit(*obj, ctx);
  problems.insert(problems.end(), ctx.problems.begin(), ctx.problems.end());
  return obj;
}

LoadResult load_manifests(std::string_view text, const std::string& file) {
  LoadResult result;
  const auto docs = parse_yaml_documents(text, file, result.problems);
  if (!docs) return result;
  // A `kind: List` (what `get -o yaml` and `oc process` print) stands for its items, as
  // kubectl's resource builder expands it.
  std::vector<YAML::Node> nodes;
  for (const auto& doc : *docs) {
    const bool list = doc.IsMap() && doc["kind"] && doc["kind"].IsScalar() && doc["kind"].Scalar() == "List" &&
                      doc["items"] && doc["items"].IsSequence();
    if (!list) nodes.push_back(doc);
    else for (const auto& item : doc["items"]) nodes.push_back(item);
  }
  for (const auto& doc : nodes) {
    if (doc.IsNull()) continue;
    auto obj = load_document(doc, file, result.problems);
    if (!obj) continue;
    result.objects.push_back(std::move(obj));
    result.documents.push_back(yaml_to_json(doc));
  }
  if (!result.problems.empty()) result.objects.clear(), result.documents.clear();
  return result;
}

LoadResult load_manifest_file(const std::string& path) {
  std::string error;
  const auto text = read_input_file(path, InputLimits{}.max_bytes, error);
  if (!text) {
    LoadResult r;
    r.problems.push_back(Problem{path, {}, "", "cannot read the file: " + error});
    return r;
  }
  return load_manifests(*text, path);
}

}  // namespace kvsim::models
