#include "sim/apiserver/strategic_merge_patch.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace kvsim::sim::apiserver {
namespace {

using models::Json;

constexpr std::string_view kPatch = "$patch";
constexpr std::string_view kRetainKeys = "$retainKeys";
constexpr std::string_view kSetElementOrder = "$setElementOrder/";
constexpr std::string_view kDeleteFromPrimitiveList = "$deleteFromPrimitiveList/";

// A patch that cannot be applied, with the status upstream answers.
struct Refusal {
  int code;
  std::string message;
};

[[noreturn]] void refuse(int code, std::string message) { throw Refusal{code, std::move(message)}; }

bool starts_with(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }
bool directive_key(const std::string& k) {
  return k == kPatch || k == kRetainKeys || starts_with(k, kSetElementOrder) || starts_with(k, kDeleteFromPrimitiveList);
}

// A value copied from the patch where the document had nothing to merge with:
// items marked {"$patch": ...} and directive keys go, and so do nulls (there
// is nothing to delete).
std::optional<Json> without_directives(const Json& v) {
  if (v.is_object()) {
    if (v.contains(kPatch)) return std::nullopt;
    Json out = Json::object();
    for (const auto& [k, child] : v.items()) {
      if (directive_key(k) || child.is_null()) continue;
      if (auto c = without_directives(child)) out[k] = std::move(*c);
    }
    return out;
  }
  if (v.is_array()) {
    Json out = Json::array();
    for (const auto& item : v)
      if (auto c = without_directives(item)) out.push_back(std::move(*c));
    return out;
  }
  return v;
}

const Json& merge_key_of(const Json& item, std::string_view key) {
  if (!item.is_object()) refuse(400, fmt::format("expected a list of objects, got the item {}", item.dump()));
  auto it = item.find(key);
  if (it == item.end()) refuse(422, fmt::format("map: {} does not contain declared merge key: {}", item.dump(), key));
  return *it;
}

// Position of `item` in `list`: by merge key for objects, by value for scalars.
long index_of(const Json& list, const Json& item, std::string_view key) {
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (key.empty() ? list[i] == item : (list[i].is_object() && list[i].contains(key) && item.is_object() &&
                                         item.contains(key) && list[i][key] == item[key]))
      return static_cast<long>(i);
  }
  return -1;
}

// Sorts `items` by their positions in `order` (stable; all are found there).
std::vector<Json> ordered_by(std::vector<Json> items, const Json& order, std::string_view key) {
  std::stable_sort(items.begin(), items.end(), [&](const Json& a, const Json& b) {
    const long ia = index_of(order, a, key), ib = index_of(order, b, key);
    return ia >= 0 && ib >= 0 && ia < ib;
  });
  return items;
}

// The merged list's order: the patch's items in `patch_order`, the items only
// the document had in `live_order`, interleaved where the live order places
// a server-only item before a patch item; otherwise the patch's item comes first.
Json normalize_order(const Json& merged, const Json& patch_order, const Json& live_order, std::string_view key) {
  std::vector<Json> from_patch, server_only;
  for (const auto& item : merged) {
    if (!key.empty()) merge_key_of(item, key);
    (index_of(patch_order, item, key) >= 0 ? from_patch : server_only).push_back(item);
  }
  from_patch = ordered_by(std::move(from_patch), patch_order, key);
  server_only = ordered_by(std::move(server_only), live_order, key);
  Json out = Json::array();
  std::size_t i = 0, j = 0;
  while (i < server_only.size() || j < from_patch.size()) {
    if (j >= from_patch.size()) {
      out.push_back(server_only[i++]);
    } else if (i >= server_only.size()) {
      out.push_back(from_patch[j++]);
    } else {
      const long li = index_of(live_order, server_only[i], key), ri = index_of(live_order, from_patch[j], key);
      if (li >= 0 && ri >= 0 && li < ri) out.push_back(server_only[i++]);
      else out.push_back(from_patch[j++]);
    }
  }
  return out;
}

Json merge_object(Json original, Json patch, const TypeSchema* type);

// Element kind of a list pair: objects, scalars; lists of lists are refused.
bool lists_of_objects(const Json& a, const Json& b) {
  std::optional<bool> objects;
  for (const Json* list : {&a, &b})
    for (const auto& item : *list) {
      if (item.is_array()) refuse(422, "lists of lists are not supported");
      const bool is_object = item.is_object();
      if (objects && *objects != is_object)
        refuse(400, fmt::format("the items of a list mix objects and values: {}", item.dump()));
      objects = is_object;
    }
  return objects.value_or(false);
}

Json merge_list(Json original, Json patch, const FieldSchema* field, bool delete_list, const std::string& name) {
  if (original.empty() && patch.empty()) return original;
  if (!lists_of_objects(original, patch)) {
    // A set of scalars (finalizers): union, or removal for a $deleteFromPrimitiveList.
    Json merged = Json::array();
    if (delete_list) {
      for (const auto& v : original)
        if (index_of(patch, v, {}) < 0) merged.push_back(v);
    } else {
      for (const Json* list : {&original, &patch})
        for (const auto& v : *list)
          if (index_of(merged, v, {}) < 0) merged.push_back(v);
    }
    return normalize_order(merged, patch, original, {});
  }
  const std::string_view key = field ? field->merge_key : std::string_view();
  if (key.empty()) refuse(400, fmt::format("cannot merge lists without merge key for {}", name));
  // Items carrying $patch: delete removes the item with its key; replace makes
  // the rest of the patch the whole list.
  Json items = Json::array();
  bool replace = false;
  for (const auto& item : patch) {
    auto directive = item.find(kPatch);
    if (directive == item.end()) {
      items.push_back(item);
      continue;
    }
    if (*directive == "delete") {
      const Json& k = merge_key_of(item, key);
      Json kept = Json::array();
      for (const auto& o : original)
        if (!(o.is_object() && o.contains(key) && o[key] == k)) kept.push_back(o);
      original = std::move(kept);
    } else if (*directive == "replace") {
      replace = true;
    } else if (*directive == "merge") {
      refuse(400, "merging lists cannot yet be specified in the patch");
    } else {
      refuse(400, fmt::format("unknown patch type: {} in map: {}", directive->dump(), item.dump()));
    }
  }
  if (replace) {
    Json out = Json::array();
    for (const auto& item : items)
      if (auto v = without_directives(item)) out.push_back(std::move(*v));
    return out;
  }
  Json merged = original;
  for (const auto& item : items) {
    const Json& k = merge_key_of(item, key);
    const long at = index_of(merged, item, key);
    (void)k;
    if (at >= 0) merged[at] = merge_object(merged[at], item, field->type);
    else if (auto v = without_directives(item)) merged.push_back(std::move(*v));
  }
  return normalize_order(merged, items, original, key);
}

// $retainKeys: the object keeps only the listed keys; the patch may set no others.
void retain_keys(Json& original, Json& patch) {
  auto it = patch.find(kRetainKeys);
  if (it == patch.end()) return;
  const Json keys = *it;
  patch.erase(it);
  if (!keys.is_array()) refuse(400, "invalid patch format of retainKeys");
  for (const auto& [k, v] : patch.items())
    if (!v.is_null() && !starts_with(k, kDeleteFromPrimitiveList) && !starts_with(k, kSetElementOrder) &&
        index_of(keys, Json(k), {}) < 0)
      refuse(400, "invalid patch format of retainKeys");
  for (auto o = original.begin(); o != original.end();) {
    if (index_of(keys, Json(o.key()), {}) < 0) o = original.erase(o);
    else ++o;
  }
}

// Checks that the patch lists its items in the order $setElementOrder gives.
void check_order(const Json& list, const Json& order, std::string_view key) {
  std::size_t p = 0, o = 0;
  std::vector<Json> kept;
  for (const auto& item : list)
    if (!(item.is_object() && item.contains(kPatch))) kept.push_back(item);
  while (p < kept.size() && o < order.size()) {
    const bool same = key.empty() ? kept[p] == order[o]
                                  : (kept[p].is_object() && order[o].is_object() && kept[p].contains(key) &&
                                     order[o].contains(key) && kept[p][key] == order[o][key]);
    if (same) ++p;
    ++o;
  }
  if (p < kept.size())
    refuse(400, fmt::format("The order in patch list:\n{}\n doesn't match $setElementOrder list:\n{}\n", list.dump(),
                            order.dump()));
}

// $setElementOrder/<list>: merge that list now and put it in the given order.
void ordered_lists(Json& original, Json& patch, const TypeSchema* type) {
  std::vector<std::string> directives;
  for (const auto& [k, v] : patch.items())
    if (starts_with(k, kSetElementOrder)) directives.push_back(k);
  for (const auto& directive : directives) {
    const Json order = patch[directive];
    patch.erase(directive);
    const std::string name = directive.substr(kSetElementOrder.size());
    if (name.empty() || !order.is_array()) refuse(400, "invalid patch format of setElementOrder list");
    const FieldSchema* field = type ? type->field(name) : nullptr;
    const std::string_view key = field ? field->merge_key : std::string_view();
    const bool in_original = original.contains(name), in_patch = patch.contains(name);
    if ((in_original && !original[name].is_array()) || (in_patch && !patch[name].is_array()))
      refuse(400, fmt::format("$setElementOrder/{} names a field that is not a list", name));
    const Json live = in_original ? original[name] : Json::array();
    if (in_patch) check_order(patch[name], order, key);
    Json merged;
    if (in_original && in_patch) merged = merge_list(original[name], patch[name], field, false, name);
    else if (in_patch) merged = *without_directives(patch[name]);
    else if (in_original) merged = original[name];
    else continue;
    original[name] = normalize_order(merged, order, live, key);
    patch.erase(name);
  }
}

Json merge_object(Json original, Json patch, const TypeSchema* type) {
  if (auto directive = patch.find(kPatch); directive != patch.end()) {
    if (*directive == "replace") {
      patch.erase(directive);
      return *without_directives(patch);
    }
    if (*directive == "delete") return Json::object();
    refuse(400, fmt::format("unknown patch type: {} in map: {}", directive->dump(), patch.dump()));
  }
  if (!original.is_object()) original = Json::object();
  retain_keys(original, patch);
  ordered_lists(original, patch, type);
  for (auto& [raw_key, value] : patch.items()) {
    std::string key = raw_key;
    const bool delete_list = starts_with(key, kDeleteFromPrimitiveList);
    if (delete_list) {
      key = key.substr(kDeleteFromPrimitiveList.size());
      if (key.empty() || !value.is_array()) refuse(400, "invalid patch format of primitive list");
    }
    if (value.is_null()) {
      original.erase(key);
      continue;
    }
    auto current = original.find(key);
    const FieldSchema* field = type ? type->field(key) : nullptr;
    if (current == original.end() || current->type() != value.type()) {
      if (delete_list) continue;  // nothing to delete from
      if (auto v = without_directives(value)) original[key] = std::move(*v);
      else original.erase(key);
      continue;
    }
    if (value.is_object()) {
      if (field && field->replace) original[key] = *without_directives(value);
      else original[key] = merge_object(*current, value, field ? field->type : nullptr);
    } else if (value.is_array()) {
      if ((field && field->merge) || delete_list) original[key] = merge_list(*current, value, field, delete_list, key);
      else original[key] = *without_directives(value);
    } else {
      original[key] = value;
    }
  }
  return original;
}

}  // namespace

PatchOutcome apply_strategic_merge_patch(const Json& document, const Json& patch, const TypeSchema& schema) {
  if (!patch.is_object())
    return PatchOutcome::failed(400, "a strategic merge patch must be a JSON object, such as {\"spec\":{\"replicas\":3}}");
  try {
    return PatchOutcome::of(merge_object(document, patch, &schema));
  } catch (const Refusal& r) {
    return PatchOutcome::failed(r.code, r.message);
  }
}

}  // namespace kvsim::sim::apiserver
