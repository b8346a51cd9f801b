#include "sim/apiserver/managed_fields.hpp"

#include <algorithm>
#include <tuple>

namespace kvsim::sim::apiserver {
namespace {

using models::Json;
using Flat = std::map<FieldPath, Json>;

// Set by the server, or naming the object rather than being part of it:
// never owned (upstream's fieldmanager strips the same).
bool server_metadata(const std::string& key) {
  static const char* const kStripped[] = {"name",    "namespace",         "uid",       "resourceVersion",
                                          "generation", "creationTimestamp", "selfLink", "managedFields",
                                          "deletionTimestamp", "deletionGracePeriodSeconds"};
  return std::any_of(std::begin(kStripped), std::end(kStripped), [&](const char* s) { return key == s; });
}

FieldPath child(FieldPath path, std::string element) {
  path.push_back(std::move(element));
  return path;
}

void walk_value(const Json& v, const FieldSchema* field, const FieldPath& path, Flat& out);

void walk_object(const Json& obj, const TypeSchema* type, const FieldPath& path, Flat& out) {
  for (const auto& [k, v] : obj.items()) walk_value(v, type ? type->field(k) : nullptr, child(path, "f:" + k), out);
}

// The key of a keyed list's item, or null when the item lacks every key field.
Json item_key(const Json& item, const FieldSchema& field) {
  if (!item.is_object()) return nullptr;
  Json key = Json::object();
  for (auto k : field.map_keys)
    if (auto it = item.find(k); it != item.end()) key[std::string(k)] = *it;
  return key.empty() ? Json() : key;
}

void walk_value(const Json& v, const FieldSchema* field, const FieldPath& path, Flat& out) {
  if (v.is_object()) {
    if (v.empty() || (field && field->replace)) out[path] = v;
    else walk_object(v, field ? field->type : nullptr, path, out);
    return;
  }
  if (v.is_array() && field && !field->map_keys.empty()) {
    // Every item needs its key; otherwise the list is owned whole.
    bool keyed = true;
    for (const auto& item : v) keyed = keyed && !item_key(item, *field).is_null();
    if (keyed) {
      for (const auto& item : v) {
        const auto p = child(path, "k:" + item_key(item, *field).dump());
        out[p] = true;
        walk_object(item, field->type, p, out);
      }
      return;
    }
  }
  if (v.is_array() && field && field->set) {
    for (const auto& item : v) out[child(path, "v:" + item.dump())] = true;
    return;
  }
  out[path] = v;
}

struct Tree {
  bool member = false;
  std::map<std::string, Tree> children;
};

Json tree_json(const Tree& t) {
  Json out = Json::object();
  if (t.member && !t.children.empty()) out["."] = Json::object();
  for (const auto& [k, c] : t.children) out[k] = tree_json(c);
  return out;
}

void read_tree(const Json& node, const FieldPath& prefix, FieldSet& out) {
  if (!node.is_object()) return;
  if (node.empty() && !prefix.empty()) out.insert(prefix);
  for (const auto& [k, v] : node.items()) {
    if (k == ".") out.insert(prefix);
    else read_tree(v, child(prefix, k), out);
  }
}

bool remove_at(Json& cur, const FieldPath& path, std::size_t i) {
  const std::string& e = path[i];
  const bool last = i + 1 == path.size();
  const std::string rest = e.size() > 2 ? e.substr(2) : std::string();
  if (e.rfind("f:", 0) == 0) {
    if (!cur.is_object()) return false;
    auto it = cur.find(rest);
    if (it == cur.end()) return false;
    if (last) {
      cur.erase(it);
      return true;
    }
    return remove_at(*it, path, i + 1);
  }
  if (!cur.is_array()) return false;
  const Json wanted = Json::parse(rest, nullptr, false);
  if (wanted.is_discarded()) return false;
  for (std::size_t n = 0; n < cur.size(); ++n) {
    bool match = false;
    if (e.rfind("k:", 0) == 0 && wanted.is_object() && cur[n].is_object()) {
      match = true;
      for (const auto& [k, v] : wanted.items()) match = match && cur[n].contains(k) && cur[n][k] == v;
    } else if (e.rfind("v:", 0) == 0) {
      match = cur[n] == wanted;
    } else if (e.rfind("i:", 0) == 0) {
      match = wanted.is_number_integer() && wanted.get<std::size_t>() == n;
    }
    if (!match) continue;
    if (last) {
      cur.erase(n);
      return true;
    }
    return remove_at(cur[n], path, i + 1);
  }
  return false;
}

}  // namespace

Flat flatten(const Json& object, const TypeSchema& schema, ObjectPart part) {
  Flat out;
  if (!object.is_object()) return out;
  for (const auto& [k, v] : object.items()) {
    if (k == "apiVersion" || k == "kind") continue;
    if ((part == ObjectPart::Status) != (k == "status")) continue;
    const FieldPath path{"f:" + k};
    if (k == "metadata" && v.is_object()) {
      for (const auto& [mk, mv] : v.items())
        if (!server_metadata(mk)) {
          const auto* type = schema.field("metadata") ? schema.field("metadata")->type : nullptr;
          walk_value(mv, type ? type->field(mk) : nullptr, child(path, "f:" + mk), out);
        }
      continue;
    }
    walk_value(v, schema.field(k), path, out);
  }
  return out;
}

FieldSet field_set(const Json& object, const TypeSchema& schema, ObjectPart part) {
  FieldSet out;
  for (auto& [p, v] : flatten(object, schema, part)) out.insert(p);
  return out;
}

FieldSet Comparison::changed() const {
  FieldSet out = added;
  out.insert(modified.begin(), modified.end());
  return out;
}

Comparison compare(const Json& before, const Json& after, const TypeSchema& schema, ObjectPart part) {
  const auto a = flatten(before, schema, part), b = flatten(after, schema, part);
  Comparison c;
  for (const auto& [p, v] : b) {
    auto it = a.find(p);
    if (it == a.end()) c.added.insert(p);
    else if (it->second != v) c.modified.insert(p);
  }
  for (const auto& [p, v] : a)
    if (!b.count(p)) c.removed.insert(p);
  return c;
}

Json to_fields_v1(const FieldSet& set) {
  Tree root;
  for (const auto& path : set) {
    Tree* t = &root;
    for (const auto& e : path) t = &t->children[e];
    t->member = true;
  }
  return tree_json(root);
}

FieldSet from_fields_v1(const Json& fields) {
  FieldSet out;
  read_tree(fields, {}, out);
  return out;
}

std::string path_string(const FieldPath& path) {
  std::string out;
  for (const auto& e : path) {
    const std::string rest = e.size() > 2 ? e.substr(2) : std::string();
    if (e.rfind("f:", 0) == 0) {
      out += "." + rest;
    } else if (e.rfind("k:", 0) == 0) {
      const Json key = Json::parse(rest, nullptr, false);
      std::string fields;
      if (key.is_object())
        for (const auto& [k, v] : key.items()) fields += (fields.empty() ? "" : ",") + k + "=" + v.dump();
      out += "[" + fields + "]";
    } else if (e.rfind("v:", 0) == 0) {
      out += "[=" + rest + "]";
    } else {
      out += "[" + rest + "]";
    }
  }
  return out;
}

bool remove_field(Json& object, const FieldPath& path) { return !path.empty() && remove_at(object, path, 0); }

void subtract(FieldSet& set, const FieldSet& other) {
  for (const auto& p : other) set.erase(p);
}

bool ManagedEntry::same_manager(const ManagedEntry& o) const {
  return manager == o.manager && operation == o.operation && subresource == o.subresource &&
         (operation == "Apply" || api_version == o.api_version);
}

std::vector<ManagedEntry> parse_managed_fields(const Json& managed_fields) {
  std::vector<ManagedEntry> out;
  if (!managed_fields.is_array()) return out;
  for (const auto& e : managed_fields) {
    if (!e.is_object() || !e.contains("manager") || !e["manager"].is_string()) continue;
    ManagedEntry m;
    m.manager = e["manager"].get<std::string>();
    m.operation = e.value("operation", std::string("Update"));
    m.api_version = e.value("apiVersion", std::string());
    m.subresource = e.value("subresource", std::string());
    m.time = e.value("time", Json());
    m.fields = from_fields_v1(e.value("fieldsV1", Json::object()));
    out.push_back(std::move(m));
  }
  return out;
}

Json encode_managed_fields(std::vector<ManagedEntry> entries) {
  std::stable_sort(entries.begin(), entries.end(), [](const ManagedEntry& a, const ManagedEntry& b) {
    const auto ta = a.time.is_string() ? a.time.get<std::string>() : std::string();
    const auto tb = b.time.is_string() ? b.time.get<std::string>() : std::string();
    return std::tie(a.operation, ta, a.manager, a.api_version, a.subresource) <
           std::tie(b.operation, tb, b.manager, b.api_version, b.subresource);
  });
  Json out = Json::array();
  for (const auto& e : entries) {
    Json j = {{"manager", e.manager}, {"operation", e.operation}, {"apiVersion", e.api_version},
              {"fieldsType", "FieldsV1"}, {"fieldsV1", to_fields_v1(e.fields)}};
    if (!e.time.is_null()) j["time"] = e.time;
    if (!e.subresource.empty()) j["subresource"] = e.subresource;
    out.push_back(std::move(j));
  }
  return out;
}

void record_update(std::vector<ManagedEntry>& entries, const Json& before, const Json& after, const Writer& writer,
                   const TypeSchema& schema, ObjectPart part, const Json& now) {
  const auto c = compare(before, after, schema, part);
  ManagedEntry self{writer.manager, "Update", writer.api_version, writer.subresource, now, {}};
  bool found = false;
  for (auto& e : entries) {
    if (e.same_manager(self)) {
      const auto old = e.fields;
      e.fields.insert(c.added.begin(), c.added.end());
      e.fields.insert(c.modified.begin(), c.modified.end());
      subtract(e.fields, c.removed);
      if (e.fields != old) e.time = now;
      found = true;
      continue;
    }
    subtract(e.fields, c.changed());
    subtract(e.fields, c.removed);
  }
  if (!found) {
    self.fields = c.changed();
    entries.push_back(std::move(self));
  }
  std::erase_if(entries, [](const ManagedEntry& e) { return e.fields.empty(); });
}

}  // namespace kvsim::sim::apiserver
