#include "sim/client/api_objects.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "models/meta.hpp"
#include "sim/client/api_errors.hpp"
#include "sim/client/rest_kubevirt_api.hpp"
#include "sim/client/json_fields.hpp"
#include "models/codec/safe_yaml.hpp"

namespace kvsim::sim::client {
namespace {

// An object kvsim did not decode into its typed model: checks read it through to_json.
struct RawObject final : models::Object {
  const models::KindInfo* kind = nullptr;
  models::Json json;
  const models::KindInfo& info() const override { return *kind; }
  std::shared_ptr<models::Object> clone() const override { return std::make_shared<RawObject>(*this); }
  models::Json to_json() const override { return json; }
};

}  // namespace

models::ObjectPtr object_from_json(const models::KindInfo& kind, const models::Json& json) {
  auto o = std::make_shared<RawObject>();
  o->kind = &kind;
  o->json = json;
  o->apiVersion = json_string(json, "apiVersion", std::string(kind.api_version));
  o->Object::kind = json_string(json, "kind", std::string(kind.kind));
  if (json.is_object() && json.contains("metadata") && json["metadata"].is_object()) {
    // Lenient: what does not decode (a field kvsim does not model) is left out, not refused.
    models::DecodeContext ctx;
    models::Problems problems;
    if (auto node = models::parse_yaml_document(json["metadata"].dump(), "metadata", problems))
      models::decode_value(*node, "metadata", ctx, o->metadata);
  }
  return o;
}

const models::Json& ApiObjects::fetch(const std::string& target) const {
  if (auto it = cache_.find(target); it != cache_.end()) return it->second;
  auto& slot = cache_[target];
  const auto res = http_.request("GET", target);
  if (res.status == 404) return slot;
  if (res.status < 200 || res.status >= 300) {
    if (error_.empty())
      error_ = res.status == 0 ? fmt::format("GET {}{}: {}", http_.config().server, target, res.error)
                               : fmt::format("GET {}: {}", target, client_error_text(res.status, res.content_type, res.body, {"get", "", ""}));
    return slot;
  }
  slot = models::Json::parse(res.body, nullptr, false);
  if (slot.is_discarded()) {
    slot = nullptr;
    if (error_.empty()) error_ = fmt::format("GET {}: the answer is not JSON", target);
  }
  return slot;
}

models::ObjectPtr ApiObjects::get(const models::KindInfo& kind, const std::string& ns, const std::string& name) const {
  const auto& j = fetch(resource_path(std::string(kind.api_version), std::string(kind.plural), kind.namespaced ? ns : "", name));
  if (!j.is_object()) return nullptr;
  return object_from_json(kind, j);
}

std::vector<models::ObjectPtr> ApiObjects::list(const models::KindInfo& kind, const std::string& ns,
                                                const models::LabelSelector* selector) const {
  std::string target = resource_path(std::string(kind.api_version), std::string(kind.plural), kind.namespaced ? ns : "");
  if (selector && !selector->empty()) target += "?labelSelector=" + query_escape(models::to_string(*selector));
  const auto& j = fetch(target);
  std::vector<models::ObjectPtr> out;
  if (!j.is_object()) return out;
  for (const auto& item : json_array(j, "items")) {
    auto o = object_from_json(kind, item);
    // Also filtered here: a server that ignores labelSelector still gives the right answer.
    if (selector && !selector->matches(o->metadata.labels)) continue;
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace kvsim::sim::client
