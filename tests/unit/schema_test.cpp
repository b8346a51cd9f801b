// The schema visitor: one more walk over `visit_fields`, giving each field the
// OpenAPI type, requiredness, enum and description that `kubectl explain`
// prints. Exercised on small structs written here, so each rule shows alone.
#include <catch2/catch.hpp>

#include "models/codec/schema.hpp"
#include "models/kubevirt.hpp"

namespace kvsim::models {

// Test-only types: what a model struct may hold, one of each.
struct SchemaTestInner {
  std::string name;
};
template <class V>
void visit_fields(V& v, SchemaTestInner& i) {
  v.field("name", i.name, Required);
}

struct SchemaTestOuter {
  std::int32_t small = 0;
  std::int64_t big = 0;
  double ratio = 0;
  bool flag = false;
  std::optional<Timestamp> when;
  Quantity size;
  IntOrString surge;
  std::map<std::string, std::string> labels;
  std::vector<SchemaTestInner> items;
  std::optional<SchemaTestInner> one;
  std::optional<Empty> marker;
  std::string mode;
  Json free;
};
template <class V>
void visit_fields(V& v, SchemaTestOuter& o) {
  v.field("small", o.small, Required);
  v.field("big", o.big);
  v.field("ratio", o.ratio);
  v.field("flag", o.flag, Always);
  v.field("when", o.when);
  v.field("size", o.size);
  v.field("surge", o.surge);
  v.field("labels", o.labels);
  v.field("items", o.items);
  v.field("one", o.one);
  v.field("marker", o.marker);
  v.enumerated("mode", o.mode, {"Fast", "Slow"}, Required);
  v.opaque("free", o.free);
  v.not_modelled("gpus");
  v.ignore("managedFields");
}

}  // namespace kvsim::models

using namespace kvsim::models;

namespace {

const Descriptions kTexts = {
    {"SchemaTestOuter", {{".", "An outer test type."}, {"mode", "How fast."}}},
    {"SchemaTestInner", {{".", "An inner test type."}}},
};

}  // namespace

TEST_CASE("a struct's schema lists its fields with their OpenAPI types and formats") {
  SchemaSet set(kTexts);
  set.set_package("io.test.v1");
  const std::string id = set.register_type<SchemaTestOuter>();
  REQUIRE(id == "io.test.v1.SchemaTestOuter");
  const Json& s = set.components().at(id);
  CHECK(s["type"] == "object");
  CHECK(s["description"] == "An outer test type.");
  const Json& p = s["properties"];
  CHECK(p["small"]["type"] == "integer");
  CHECK(p["small"]["format"] == "int32");
  CHECK(p["big"]["format"] == "int64");
  CHECK(p["ratio"]["type"] == "number");
  CHECK(p["flag"]["type"] == "boolean");
  CHECK(p["when"]["format"] == "date-time");
  CHECK(p["labels"]["type"] == "object");
  CHECK(p["labels"]["additionalProperties"]["type"] == "string");
  CHECK(p["items"]["type"] == "array");
  CHECK(p["items"]["items"]["$ref"] == "#/components/schemas/io.test.v1.SchemaTestInner");
}

TEST_CASE("only Required fields are required, and Always is not") {
  SchemaSet set(kTexts);
  const Json& s = set.components().at(set.register_type<SchemaTestOuter>());
  CHECK(s["required"] == Json::array({"small", "mode"}));
}

TEST_CASE("a nested struct is a component referred to through allOf, with the field's description beside it") {
  SchemaSet set(kTexts);
  set.set_package("io.test.v1");
  const Json& p = set.components().at(set.register_type<SchemaTestOuter>())["properties"];
  CHECK(p["one"]["allOf"] == Json::array({Json{{"$ref", "#/components/schemas/io.test.v1.SchemaTestInner"}}}));
  // No text of its own: the field borrows its type's.
  CHECK(p["one"]["description"] == "An inner test type.");
  const Json& inner = set.components().at("io.test.v1.SchemaTestInner");
  CHECK(inner["required"] == Json::array({"name"}));
}

TEST_CASE("enumerated fields carry their values, and a written description wins over the fallback") {
  SchemaSet set(kTexts);
  const Json& mode = set.components().at(set.register_type<SchemaTestOuter>())["properties"]["mode"];
  CHECK(mode["enum"] == Json::array({"Fast", "Slow"}));
  CHECK(mode["description"] == "How fast.");
}

TEST_CASE("quantities and int-or-strings are named int-or-string schemas") {
  SchemaSet set(kTexts);
  const Json& p = set.components().at(set.register_type<SchemaTestOuter>())["properties"];
  CHECK(p["size"]["allOf"][0]["$ref"] == "#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity");
  CHECK(p["surge"]["allOf"][0]["$ref"] == "#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString");
  const Json& q = set.components().at("io.k8s.apimachinery.pkg.api.resource.Quantity");
  CHECK(q["x-kubernetes-int-or-string"] == true);
  CHECK_FALSE(q.contains("type"));  // a type would make explain print it instead of <Quantity>
}

TEST_CASE("opaque, ignored and not-modelled fields say what kvsim does with them") {
  SchemaSet set(kTexts);
  const Json& p = set.components().at(set.register_type<SchemaTestOuter>())["properties"];
  CHECK(p["free"]["x-kubernetes-preserve-unknown-fields"] == true);
  CHECK_THAT(p["free"]["description"].get<std::string>(), Catch::StartsWith("Free-form: kvsim keeps"));
  CHECK(p["gpus"]["x-kvsim-not-modelled"] == true);
  CHECK_THAT(p["gpus"]["description"].get<std::string>(), Catch::StartsWith("Not modelled: kvsim does not simulate"));
  CHECK_THAT(p["managedFields"]["description"].get<std::string>(), Catch::StartsWith("Accepted and discarded"));
  CHECK_THAT(p["big"]["description"].get<std::string>(), Catch::StartsWith("kvsim has no description"));
}

TEST_CASE("a struct with no fields is an inline empty object, not a component") {
  SchemaSet set(kTexts);
  const Json& p = set.components().at(set.register_type<SchemaTestOuter>())["properties"];
  CHECK(p["marker"]["type"] == "object");
  CHECK_FALSE(p["marker"].contains("allOf"));
  for (const auto& [id, schema] : set.components()) CHECK(id.find("Empty") == std::string::npos);
}

TEST_CASE("a type keeps the id of the package that met it first") {
  SchemaSet set(kTexts);
  set.set_package("io.first.v1");
  set.register_type<SchemaTestInner>();
  set.set_package("io.second.v1");
  set.register_type<SchemaTestOuter>();
  CHECK(set.components().contains("io.first.v1.SchemaTestInner"));
  CHECK_FALSE(set.components().contains("io.second.v1.SchemaTestInner"));
}

TEST_CASE("schema names spell out kvsim's C++ abbreviations") {
  CHECK(api_type_name("VMISpec") == "VirtualMachineInstanceSpec");
  CHECK(api_type_name("VMSpec") == "VirtualMachineSpec");
  CHECK(api_type_name("VMIMStatus") == "VirtualMachineInstanceMigrationStatus");
  CHECK(api_type_name("VMIRSSpec") == "VirtualMachineInstanceReplicaSetSpec");
  CHECK(api_type_name("KvVolume") == "Volume");
  CHECK(api_type_name("KvPVCSource") == "PersistentVolumeClaimSource");
  CHECK(api_type_name("PVCVolumeSource") == "PersistentVolumeClaimVolumeSource");
  // A prefix counts only before a capital.
  CHECK(api_type_name("VMware") == "VMware");
  CHECK(api_type_name("CPU") == "CPU");
  CHECK(cpp_type_name(typeid(VMISpec)) == "VMISpec");
}

TEST_CASE("schema packages follow the group: Kubernetes' own under io.k8s.api, others reversed") {
  CHECK(schema_package("v1") == "io.k8s.api.core.v1");
  CHECK(schema_package("apps/v1") == "io.k8s.api.apps.v1");
  CHECK(schema_package("storage.k8s.io/v1") == "io.k8s.api.storage.v1");
  CHECK(schema_package("kubevirt.io/v1") == "io.kubevirt.v1");
  CHECK(schema_package("cdi.kubevirt.io/v1beta1") == "io.kubevirt.cdi.v1beta1");
  CHECK(schema_package("k8s.cni.cncf.io/v1") == "io.cncf.cni.k8s.v1");
}

TEST_CASE("a malformed descriptions file is refused with its line and column") {
  CHECK(parse_descriptions("A:\n  b: text\n").at("A").at("b") == "text");
  CHECK_THROWS_WITH(parse_descriptions("A:\n  b: [1]\n"), "descriptions.yaml:2:6: A.b: expected a non-empty text");
  CHECK_THROWS_WITH(parse_descriptions("A: text\n"),
                    "descriptions.yaml:1:4: A: expected a mapping of field names to texts");
  CHECK_THROWS_WITH(parse_descriptions("A:\n  b: x\n  b: y\n"), "descriptions.yaml:3:3: A.b: described twice");
}

TEST_CASE("kvsim's embedded descriptions load") {
  const auto& d = kvsim_descriptions();
  REQUIRE(d.contains("VirtualMachineSpec"));
  CHECK_THAT(d.at("VirtualMachineSpec").at("runStrategy"), Catch::Contains("RerunOnFailure"));
}
