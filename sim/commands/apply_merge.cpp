#include "sim/commands/apply_merge.hpp"

#include "models/codec/safe_yaml.hpp"

namespace kvsim::sim::commands {

using models::Json;

Json three_way_merge(const Json& live, const Json& last_applied, const Json& desired) {
  if (!desired.is_object() || !live.is_object()) return desired;
  Json merged = live;
  if (last_applied.is_object())
    for (const auto& [key, _] : last_applied.items())
      if (!desired.contains(key)) merged.erase(key);
  static const Json kNone = Json::object();
  for (const auto& [key, value] : desired.items()) {
    const Json& live_value = live.contains(key) ? live.at(key) : kNone;
    const Json& last_value = last_applied.is_object() && last_applied.contains(key) ? last_applied.at(key) : kNone;
    merged[key] = live.contains(key) ? three_way_merge(live_value, last_value, value) : value;
  }
  return merged;
}

Json applied_configuration(Json document) {
  // kubectl takes the annotation out of a map it has made sure exists, so an
  // object applied without annotations records "annotations":{}.
  auto& annotations = document["metadata"]["annotations"];
  if (!annotations.is_object()) annotations = Json::object();
  annotations.erase(kLastAppliedAnnotation);
  return document;
}

std::string last_applied_value(const Json& document) { return applied_configuration(document).dump() + "\n"; }

Json last_applied_of(const Json& live) {
  const auto metadata = live.find("metadata");
  if (metadata == live.end() || !metadata->contains("annotations")) return Json::object();
  const auto& annotations = metadata->at("annotations");
  const auto it = annotations.find(kLastAppliedAnnotation);
  if (it == annotations.end() || !it->is_string()) return Json::object();
  // The user may have written the annotation: parsed with the input caps, so that merging it cannot recurse deep.
  models::JsonError error;
  auto parsed = models::parse_json_value(it->get<std::string>(), error);
  return parsed ? std::move(*parsed) : Json::object();
}

}  // namespace kvsim::sim::commands
