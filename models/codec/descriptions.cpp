// kvsim's descriptions for /openapi/v3, read from models/descriptions.yaml,
// which the build embeds (models/CMakeLists.txt, embed_text.cmake).
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <stdexcept>

#include "models/codec/safe_yaml.hpp"
#include "models/codec/schema.hpp"

namespace kvsim::models {

extern const char kDescriptionsYaml[];  // generated from models/descriptions.yaml

namespace {

[[noreturn]] void malformed(const YAML::Node& at, const std::string& what) {
  const auto mark = at.Mark();
  throw std::runtime_error(fmt::format("descriptions.yaml:{}:{}: {}", mark.line + 1, mark.column + 1, what));
}

}  // namespace

Descriptions parse_descriptions(const std::string& yaml) {
  Problems problems;
  auto parsed = parse_yaml_document(yaml, "descriptions.yaml", problems);
  if (!parsed) throw std::runtime_error(problems.empty() ? "descriptions.yaml: not YAML" : problems.front().str());
  const YAML::Node root = *parsed;
  Descriptions out;
  if (root.IsNull()) return out;
  if (!root.IsMap()) malformed(root, "expected a mapping of schema names");
  for (auto type = root.begin(); type != root.end(); ++type) {
    const std::string name = type->first.Scalar();
    if (!type->second.IsMap()) malformed(type->second, name + ": expected a mapping of field names to texts");
    auto& fields = out[name];
    for (auto f = type->second.begin(); f != type->second.end(); ++f) {
      if (!f->second.IsScalar() || f->second.Scalar().empty())
        malformed(f->second, name + "." + f->first.Scalar() + ": expected a non-empty text");
      if (!fields.emplace(f->first.Scalar(), f->second.Scalar()).second)
        malformed(f->first, name + "." + f->first.Scalar() + ": described twice");
    }
  }
  return out;
}

const Descriptions& kvsim_descriptions() {
  static const Descriptions descriptions = parse_descriptions(kDescriptionsYaml);
  return descriptions;
}

}  // namespace kvsim::models
