#pragma once
// Field ownership (metadata.managedFields): which manager set which field,
// by which operation (Apply for server-side apply, Update for every other
// write), as upstream's structured-merge-diff records it and
// `kubectl get -o yaml --show-managed-fields` shows it.
//
// A field is named by its path in the `fieldsV1` notation:
//   "f:spec", "f:replicas"                    a field of an object
//   "k:{\"name\":\"web\"}"                     an item of a list keyed by name (listType=map)
//   "v:\"kubernetes\""                         a value of a set (listType=set)
// Lists with neither (atomic lists) are one field.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "models/codec/decoder.hpp"
#include "sim/apiserver/patch_schema.hpp"

namespace kvsim::sim::apiserver {

using FieldPath = std::vector<std::string>;
using FieldSet = std::set<FieldPath>;

// Which part of the object a write may change: the main resource never
// changes status; the status subresource changes nothing else.
enum class ObjectPart { Main, Status };

// Every field the object sets, each with its value (list items map to true):
// identity and server-set metadata (name, uid, resourceVersion, managedFields ...)
// and the part the write does not own are left out.
std::map<FieldPath, models::Json> flatten(const models::Json& object, const TypeSchema& schema, ObjectPart part);
FieldSet field_set(const models::Json& object, const TypeSchema& schema, ObjectPart part);

struct Comparison {
  FieldSet added, removed, modified;
  FieldSet changed() const;  // added and modified
};
Comparison compare(const models::Json& before, const models::Json& after, const TypeSchema& schema, ObjectPart part);

models::Json to_fields_v1(const FieldSet& set);
FieldSet from_fields_v1(const models::Json& fields);
// `.spec.template.spec.containers[name="web"].image`, as conflicts are reported.
std::string path_string(const FieldPath& path);

// Removes the field at `path` from `object` (an item of a keyed list, a set's
// value, or an object's key). False when it was not there.
bool remove_field(models::Json& object, const FieldPath& path);

struct ManagedEntry {
  std::string manager;
  std::string operation;    // Apply or Update
  std::string api_version;  // apps/v1
  std::string subresource;  // "", status, scale
  models::Json time;        // RFC 3339
  FieldSet fields;
  // Apply entries are one per manager; Update ones per manager, version and subresource.
  bool same_manager(const ManagedEntry& o) const;
};

// The entries of an object's metadata.managedFields (entries that are not
// objects, or lack a manager, are dropped).
std::vector<ManagedEntry> parse_managed_fields(const models::Json& managed_fields);
// Sorted as upstream sorts them: Apply before Update, then by time, manager, version.
models::Json encode_managed_fields(std::vector<ManagedEntry> entries);

// Who writes: the fieldManager of the request (or its user agent's product).
struct Writer {
  std::string manager;
  std::string api_version;
  std::string subresource;
};

// An Update (every write but apply): the writer owns what it changed from
// `before` to `after`, and others stop owning what it changed or removed.
void record_update(std::vector<ManagedEntry>& entries, const models::Json& before, const models::Json& after,
                   const Writer& writer, const TypeSchema& schema, ObjectPart part, const models::Json& now);

// Removes from `set` every path in `other`.
void subtract(FieldSet& set, const FieldSet& other);

}  // namespace kvsim::sim::apiserver
