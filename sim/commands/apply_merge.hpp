#pragma once
// kubectl apply (client side) against a live object: a three-way merge of
// the live object, the configuration applied last time (the
// kubectl.kubernetes.io/last-applied-configuration annotation) and the file.
// What the file sets wins; what the last file set and this one drops is
// removed; what others set (controllers, `scale`, finalizers, owner
// references, server defaults) stays.
#include <string>

#include "models/codec/decoder.hpp"
#include "models/meta.hpp"

namespace kvsim::sim::commands {

using models::kLastAppliedAnnotation;

// Objects merge key by key; anything else (scalars, lists) is replaced by
// the file's value. (Strategic merge also merges some lists by key, e.g.
// containers by name; replacing them is the same where the file lists
// them whole, as manifests do.)
models::Json three_way_merge(const models::Json& live, const models::Json& last_applied, const models::Json& desired);

// The file's document as kubectl records and merges it: with its namespace,
// without the annotation itself, and with a metadata.annotations map (empty
// when the file has none).
models::Json applied_configuration(models::Json document);
// The annotation's value: that configuration as compact JSON with sorted
// keys, then a newline.
std::string last_applied_value(const models::Json& document);

// The document recorded on `live` (an object's JSON), or an empty object.
models::Json last_applied_of(const models::Json& live);

}  // namespace kvsim::sim::commands
