#include "sim/apiserver/table.hpp"

#include "sim/commands/printers.hpp"

namespace kvsim::sim::apiserver {

using models::Json;

bool wants_table(const std::string& accept) {
  return accept.find("as=Table") != std::string::npos && accept.find("g=meta.k8s.io") != std::string::npos;
}

IncludeObject include_object(const std::string& param) {
  if (param == "None") return IncludeObject::None;
  if (param == "Object") return IncludeObject::Object;
  return IncludeObject::Metadata;
}

Json object_json(const models::Object& o) {
  Json j = o.to_json();
  j["apiVersion"] = std::string(o.info().api_version);
  j["kind"] = std::string(o.info().kind);
  return j;
}

namespace {

Json column_definitions(const models::KindInfo& kind) {
  const auto narrow = commands::table_header(kind, false);
  const auto wide = commands::table_header(kind, true);
  Json columns = Json::array();
  std::size_t n = 0;  // walks the narrow header alongside: a wide column not in it is priority 1
  for (std::size_t i = 0; i < wide.size(); ++i) {
    const bool in_narrow = n < narrow.size() && narrow[n] == wide[i];
    if (in_narrow) ++n;
    Json c = {{"name", wide[i]}, {"type", "string"}, {"format", i == 0 ? "name" : ""},
              {"description", i == 0 ? "Name must be unique within a namespace." : ""},
              {"priority", in_narrow ? 0 : 1}};
    columns.push_back(c);
  }
  return columns;
}

}  // namespace

Json table(const models::KindInfo& kind, const std::vector<models::ObjectPtr>& objects, double now, IncludeObject include,
           const std::string& resource_version, bool with_columns) {
  Json rows = Json::array();
  for (const auto& o : objects) {
    Json row = Json::object();
    row["cells"] = commands::table_cells(kind, *o, now, true);
    if (include == IncludeObject::Object) {
      row["object"] = object_json(*o);
    } else if (include == IncludeObject::Metadata) {
      row["object"] = {{"kind", "PartialObjectMetadata"},
                       {"apiVersion", "meta.k8s.io/v1"},
                       {"metadata", models::encode_value(o->metadata)}};
    }
    rows.push_back(std::move(row));
  }
  Json t = {{"kind", "Table"}, {"apiVersion", "meta.k8s.io/v1"}, {"metadata", {{"resourceVersion", resource_version}}}};
  if (with_columns) t["columnDefinitions"] = column_definitions(kind);
  t["rows"] = std::move(rows);
  return t;
}

}  // namespace kvsim::sim::apiserver
