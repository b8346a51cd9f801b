#pragma once
// How the fields of the built-in kinds merge: the facts upstream keeps in the
// `patchStrategy` / `patchMergeKey` tags (strategic merge patch) and the
// `+listType` / `+listMapKey` markers (server-side apply) of
// kubernetes/api core/v1 and apps/v1 types.go. Read from those tags, written
// here as data; only the fields of the kinds kvsim models.
//
// A field absent from a table merges the default way: objects key by key,
// lists replaced whole (atomic).
#include <map>
#include <string_view>
#include <vector>

#include "models/kind_info.hpp"

namespace kvsim::sim::apiserver {

struct TypeSchema;

struct FieldSchema {
  const TypeSchema* type = nullptr;  // the value's type, or each item's for a list
  // Strategic merge patch.
  bool merge = false;            // patchStrategy merge: a list merged by merge_key (or a set of scalars)
  std::string_view merge_key = {};  // patchMergeKey
  bool retain_keys = false;      // patchStrategy retainKeys (on the field, or on each item of a merged list)
  bool replace = false;          // patchStrategy replace: an object replaced whole
  // Server-side apply.
  std::vector<std::string_view> map_keys = {};  // listType=map; empty and !set: atomic
  bool set = false;                        // listType=set (scalars)
};

struct TypeSchema {
  std::map<std::string_view, FieldSchema> fields;
  const FieldSchema* field(std::string_view name) const {
    auto it = fields.find(name);
    return it == fields.end() ? nullptr : &it->second;
  }
};

// A kind's top-level type. For kinds of the built-in groups it carries the
// tables above; for custom resources (KubeVirt, CDI, Multus, SR-IOV) only
// metadata is typed, as a CRD's schema types only ObjectMeta, and every list is atomic.
const TypeSchema& schema_for(const models::KindInfo& kind);

// True for a kind served by kube-apiserver itself (core, apps, policy, ...),
// false for a custom resource (a CRD's kind). Strategic merge patch exists only
// for the former; a CRD also refuses a PUT without a resourceVersion.
bool builtin_kind(const models::KindInfo& kind);

}  // namespace kvsim::sim::apiserver
