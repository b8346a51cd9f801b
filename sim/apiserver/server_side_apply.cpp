#include "sim/apiserver/server_side_apply.hpp"

#include <fmt/format.h>

namespace kvsim::sim::apiserver {
namespace {

using models::Json;


Json merge_value(Json live, const Json& config, const FieldSchema* field);

Json apply_to_object(Json live, const Json& config, const TypeSchema* type) {
  if (!live.is_object()) live = Json::object();
  for (const auto& [k, v] : config.items()) {
    if (v.is_null()) {
      live.erase(k);
      continue;
    }
    live[k] = merge_value(live.contains(k) ? live[k] : Json(), v, type ? type->field(k) : nullptr);
  }
  return live;
}

Json key_of(const Json& item, const FieldSchema& field) {
  Json key = Json::object();
  if (item.is_object())
    for (auto k : field.map_keys)
      if (auto it = item.find(k); it != item.end()) key[std::string(k)] = *it;
  return key;
}

Json merge_value(Json live, const Json& config, const FieldSchema* field) {
  if (config.is_object() && live.is_object() && !(field && field->replace))
    return apply_to_object(std::move(live), config, field ? field->type : nullptr);
  if (config.is_array() && live.is_array() && field && !field->map_keys.empty()) {
    // Keyed list: items merge by key, new ones are appended. An item without
    // its key makes the list atomic (the configuration replaces it).
    for (const auto& item : config)
      if (key_of(item, *field).empty()) return config;
    for (const auto& item : live)
      if (key_of(item, *field).empty()) return config;
    for (const auto& item : config) {
      const Json key = key_of(item, *field);
      bool merged = false;
      for (auto& l : live)
        if (key_of(l, *field) == key) {
          l = apply_to_object(l, item, field->type);
          merged = true;
          break;
        }
      if (!merged) live.push_back(item);
    }
    return live;
  }
  if (config.is_array() && live.is_array() && field && field->set) {
    for (const auto& v : config)
      if (std::find(live.begin(), live.end(), v) == live.end()) live.push_back(v);
    return live;
  }
  return config;
}

bool owned_by_other_applier(const std::vector<ManagedEntry>& entries, const std::string& manager,
                            const FieldPath& path) {
  for (const auto& e : entries)
    if (e.operation == "Apply" && e.manager != manager && e.fields.count(path)) return true;
  return false;
}

std::string printed_manager(const ManagedEntry& e) {
  std::string out = Json(e.manager).dump();
  if (!e.subresource.empty()) out += fmt::format(" with subresource {}", Json(e.subresource).dump());
  if (e.operation == "Update") out += " using " + e.api_version;
  return out;
}

// Fields the last-applied annotation set and the live object still holds
// with the same value: kubectl's own server-side apply may take them over.
FieldSet still_as_last_applied(const Json& live, const std::string& api_version, const TypeSchema& schema) {
  const Json annotations = live.value("metadata", Json::object()).value("annotations", Json::object());
  auto it = annotations.find(models::kLastAppliedAnnotation);
  if (it == annotations.end() || !it->is_string() || it->get<std::string>().empty()) return {};
  const Json last = Json::parse(it->get<std::string>(), nullptr, false);
  if (!last.is_object() || last.value("apiVersion", Json()) != Json(api_version)) return {};
  FieldSet allowed = field_set(last, schema, ObjectPart::Main);
  const auto c = compare(last, live, schema, ObjectPart::Main);
  subtract(allowed, c.modified);
  subtract(allowed, c.added);
  subtract(allowed, c.removed);
  return allowed;
}

}  // namespace

ApplyPlan plan_apply(const Json& live, const Json& config, const std::string& manager, const TypeSchema& schema) {
  ApplyPlan plan;
  plan.entries = parse_managed_fields(live.value("metadata", Json::object()).value("managedFields", Json()));
  Json base = live.is_object() ? live : Json::object();
  if (base.contains("metadata")) base["metadata"].erase("managedFields");
  Json applied_config = config;
  // The main resource never writes status (the status subresource does).
  applied_config.erase("status");
  plan.merged = apply_to_object(std::move(base), applied_config, &schema);
  plan.applied = field_set(applied_config, schema, ObjectPart::Main);
  // What this manager applied last time and leaves out now goes, unless another applier holds it.
  for (const auto& e : plan.entries) {
    if (e.operation != "Apply" || e.manager != manager) continue;
    for (const auto& path : e.fields)
      if (!plan.applied.count(path) && !owned_by_other_applier(plan.entries, manager, path))
        remove_field(plan.merged, path);
  }
  return plan;
}

ApplySettlement settle_apply(const ApplyPlan& plan, const Json& before, const Json& after, const Json& config,
                             const std::string& manager, const std::string& api_version, bool force,
                             const TypeSchema& schema, const Json& now) {
  ApplySettlement out;
  const auto c = compare(before, after, schema, ObjectPart::Main);
  const FieldSet changed = c.changed();
  const ManagedEntry self{manager, "Apply", api_version, "", now, plan.applied};
  std::vector<ManagedEntry> entries = plan.entries;
  std::vector<FieldSet> taken(entries.size());
  bool any = false;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].same_manager(self)) continue;
    for (const auto& p : entries[i].fields)
      if (changed.count(p)) taken[i].insert(p), any = true;
  }
  if (any && !force) {
    const FieldSet allowed = manager == "kubectl" ? still_as_last_applied(before, api_version, schema) : FieldSet{};
    for (std::size_t i = 0; i < entries.size(); ++i)
      for (const auto& p : taken[i])
        if (!allowed.count(p)) out.conflicts.push_back({printed_manager(entries[i]), p});
    if (!out.conflicts.empty()) return out;
  }
  for (std::size_t i = 0; i < entries.size(); ++i) {
    subtract(entries[i].fields, taken[i]);
    subtract(entries[i].fields, c.removed);
  }
  std::erase_if(entries, [&](const ManagedEntry& e) { return e.same_manager(self); });
  entries.push_back(self);
  std::erase_if(entries, [](const ManagedEntry& e) { return e.fields.empty(); });
  out.managed_fields = encode_managed_fields(std::move(entries));
  // kubectl's default manager keeps the client-side annotation in step with what it applies.
  const Json annotations = before.value("metadata", Json::object()).value("annotations", Json::object());
  const auto kept = annotations.find(models::kLastAppliedAnnotation);
  if (manager == "kubectl" && kept != annotations.end() && kept->is_string() && !kept->get<std::string>().empty()) {
    Json last = config;
    if (last.contains("metadata") && last["metadata"].contains("annotations") &&
        last["metadata"]["annotations"].is_object())
      last["metadata"]["annotations"].erase(models::kLastAppliedAnnotation);
    out.last_applied = last.dump() + "\n";
  }
  return out;
}

std::string ApplySettlement::conflict_message() const {
  if (conflicts.size() == 1)
    return fmt::format("Apply failed with 1 conflict: conflict with {}: {}", conflicts[0].manager,
                       path_string(conflicts[0].path));
  std::map<std::string, std::vector<std::string>> by_manager;
  for (const auto& c : conflicts) by_manager[c.manager].push_back(path_string(c.path));
  std::string lines;
  for (const auto& [m, paths] : by_manager) {
    lines += (lines.empty() ? "" : "\n") + fmt::format("conflicts with {}:", m);
    for (const auto& p : paths) lines += "\n- " + p;
  }
  return fmt::format("Apply failed with {} conflicts: {}", conflicts.size(), lines);
}

}  // namespace kvsim::sim::apiserver
