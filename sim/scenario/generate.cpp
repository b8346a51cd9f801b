#include "sim/scenario/generate.hpp"

#include <fmt/format.h>

#include "models/codec/safe_yaml.hpp"
#include "models/manifest.hpp"

namespace kvsim::sim::scenario {

namespace {

// The index as "{i}" becomes: padded to the digits of `copies - 1`.
std::string index_text(std::size_t index, std::size_t copies) {
  const std::size_t width = std::to_string(copies > 0 ? copies - 1 : 0).size();
  return fmt::format("{:0{}}", index, width);
}

std::string replace_index(std::string text, const std::string& value) {
  for (auto at = text.find("{i}"); at != std::string::npos; at = text.find("{i}", at + value.size()))
    text.replace(at, 3, value);
  return text;
}

// The scalars of a tree that hold "{i}", keys included, each with its text.
void find_indexed(const YAML::Node& node, std::vector<std::pair<YAML::Node, std::string>>& out) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      if (node.Scalar().find("{i}") != std::string::npos) out.emplace_back(node, node.Scalar());
      break;
    case YAML::NodeType::Sequence:
      for (const auto& child : node) find_indexed(child, out);
      break;
    case YAML::NodeType::Map:
      for (const auto& entry : node) {
        find_indexed(entry.first, out);
        find_indexed(entry.second, out);
      }
      break;
    default:
      break;
  }
}

// Writes the copy's index into the template's scalars while it lives, then their text back. A
// scalar written keeps its tag (plain or quoted), as the same scalar in replaced text would.
class IndexedScalars {
 public:
  IndexedScalars(const std::vector<std::pair<YAML::Node, std::string>>& scalars, const std::string& value)
      : scalars_(scalars) {
    for (const auto& [node, text] : scalars_) {
      YAML::Node scalar = node;  // a handle on the template's own scalar
      scalar = replace_index(text, value);
    }
  }
  ~IndexedScalars() {
    for (const auto& [node, text] : scalars_) {
      YAML::Node scalar = node;
      scalar = text;
    }
  }
  IndexedScalars(const IndexedScalars&) = delete;
  IndexedScalars& operator=(const IndexedScalars&) = delete;

 private:
  const std::vector<std::pair<YAML::Node, std::string>>& scalars_;
};

}  // namespace

std::string with_index(std::string text, std::size_t index, std::size_t copies) {
  return replace_index(std::move(text), index_text(index, copies));
}

std::string GeneratedCopy::yaml() const { return from ? with_index(from->text, index, copies) : std::string(); }

models::LoadResult GeneratedCopy::load(const std::string& file) const {
  models::LoadResult result;
  if (!from) return result;
  const IndexedScalars indexed(from->indexed, index_text(index, copies));
  auto obj = models::load_document(from->tree, file, result.problems);
  if (obj && result.problems.empty()) result.objects.push_back(std::move(obj));
  return result;
}

std::vector<TimedCommand> read_generate(const YAML::Node& n, const std::string& file, models::DecodeContext& ctx) {
  std::vector<TimedCommand> out;
  if (!n.IsSequence()) {
    ctx.fail(models::location_of(n), "generate", "expected a list of {copies, object, at, every}");
    return out;
  }
  for (std::size_t g = 0; g < n.size(); ++g) {
    const auto item = n[g];
    const auto path = fmt::format("generate[{}]", g);
    if (!refuse_unknown_keys(item, path, {"copies", "object", "at", "every"}, ctx)) continue;
    std::int64_t copies = 0;
    if (!item["copies"]) ctx.fail(models::location_of(item), path + ".copies", "Required value: how many objects");
    else models::decode_value(item["copies"], path + ".copies", ctx, copies);
    if (item["copies"] && (copies < 1 || copies > 100000))
      ctx.fail(models::location_of(item["copies"]), path + ".copies",
               fmt::format("Invalid value: {}: must be between 1 and 100000", copies));
    const double at = item["at"] ? read_duration(item["at"], path + ".at", ctx) : 0;
    const double every = item["every"] ? read_duration(item["every"], path + ".every", ctx) : 0;
    if (!item["object"] || !item["object"].IsMap()) {
      ctx.fail(models::location_of(item), path + ".object", "Required value: the manifest to copy (\"{i}\" is the index)");
      continue;
    }
    YAML::Emitter emitted;
    emitted << item["object"];
    // The template is parsed once, "{i}" and all, and checked as copy 0 is made (the way every
    // copy is); a problem points at the template in the scenario file.
    models::Problems problems;
    std::shared_ptr<const GenerateTemplate> shared;
    if (auto tree = models::parse_yaml_document(emitted.c_str(), file, problems)) {
      GenerateTemplate parsed{emitted.c_str(), *tree, {}};
      find_indexed(parsed.tree, parsed.indexed);
      shared = std::make_shared<const GenerateTemplate>(std::move(parsed));
      problems = GeneratedCopy{shared, 0, static_cast<std::size_t>(std::max<std::int64_t>(copies, 1))}.load(file).problems;
    }
    for (auto p : problems) {
      p.at = models::location_of(item["object"]);
      p.path = p.path.empty() ? path + ".object" : path + ".object." + p.path;
      ctx.problems.push_back(p);
    }
    if (!shared || !problems.empty() || copies < 1 || copies > 100000) continue;
    if (static_cast<std::size_t>(copies) * shared->text.size() > kMaxGeneratedBytes) {
      ctx.fail(models::location_of(item["copies"]), path + ".copies",
               fmt::format("Invalid value: {}: {} copies of this {}-byte object pass the cap of {}", copies, copies,
                           shared->text.size(), models::describe_bytes(kMaxGeneratedBytes)));
      continue;
    }
    for (std::int64_t i = 0; i < copies; ++i)
      out.push_back({at + static_cast<double>(i) * every, {},
                     GeneratedCopy{shared, static_cast<std::size_t>(i), static_cast<std::size_t>(copies)}});
  }
  return out;
}

}  // namespace kvsim::sim::scenario
