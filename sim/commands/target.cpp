#include "sim/commands/target.hpp"

#include <fmt/format.h>

#include "models/registry.hpp"

namespace kvsim::sim::commands {

const models::KindInfo* resolve_kind(const std::string& word, std::string& error) {
  const auto* k = models::find_kind(word);
  if (!k) error = fmt::format("the server doesn't have a resource type \"{}\"", word);
  else if (!k->not_modelled.empty()) error = fmt::format("not modelled yet: {} ({})", k->kind, k->not_modelled);
  return k && k->not_modelled.empty() ? k : nullptr;
}

Target parse_target(const std::vector<std::string>& positional, const char* verb) {
  Target t;
  if (positional.empty()) {
    t.error = fmt::format("error: you must specify the type of resource to {}", verb);
    return t;
  }
  std::string kind_word = positional[0];
  t.names.assign(positional.begin() + 1, positional.end());
  if (auto slash = kind_word.find('/'); slash != std::string::npos) {
    t.names.insert(t.names.begin(), kind_word.substr(slash + 1));
    kind_word.resize(slash);
  }
  std::string error;
  t.kind = resolve_kind(kind_word, error);
  if (!t.kind) t.error = "error: " + error;
  else t.version = models::find_kind_word(kind_word).version;
  return t;
}

std::string resource_name(const models::KindInfo& k) {
  return k.group().empty() ? std::string(k.plural) : fmt::format("{}.{}", k.plural, k.group());
}

}  // namespace kvsim::sim::commands
