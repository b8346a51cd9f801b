#pragma once
// Server-side printing (meta.k8s.io/v1 Table): what `kubectl get` shows comes
// from here, with exactly the columns and cells of kvsim's own `get` (the same
// printers). Columns that only `-o wide` shows get priority 1; the name column
// has format "name", from which kubectl builds `kind/name` and -A's NAMESPACE.
#include <string>
#include <vector>

#include "models/kind_info.hpp"

namespace kvsim::sim::apiserver {

enum class IncludeObject { None, Metadata, Object };

// True when the Accept header asks for a Table (as=Table;g=meta.k8s.io).
bool wants_table(const std::string& accept);
IncludeObject include_object(const std::string& param);  // "" -> Metadata

// An object's JSON as the API serves it (apiVersion and kind set).
models::Json object_json(const models::Object& o);

models::Json table(const models::KindInfo& kind, const std::vector<models::ObjectPtr>& objects, double now,
                   IncludeObject include, const std::string& resource_version, bool with_columns = true);

}  // namespace kvsim::sim::apiserver
