// /openapi/v3 as real kubectl reads it: the discovery document names one
// document per modelled group/version; in each, a kind's PATCH operation
// declares fieldValidation (or `kubectl apply` falls back to client-side
// validation) and its schema carries the kind's GVK (or `kubectl explain`
// finds nothing). The explain walk below follows $ref, allOf and items the
// way kubectl's explain template does.
#include <catch2/catch.hpp>

#include <set>

#include "models/codec/schema.hpp"
#include "models/kubevirt.hpp"
#include "models/registry.hpp"
#include "models/storage.hpp"
#include "sim/apiserver/handler.hpp"
#include "sim/apiserver/openapi_document.hpp"

using kvsim::models::Json;
using kvsim::models::KindInfo;
namespace api = kvsim::sim::apiserver;

namespace {

std::string key_of(const KindInfo& k) {
  return k.group().empty() ? "api/" + std::string(k.api_version)
                           : "apis/" + std::string(k.api_version);
}

std::vector<const KindInfo*> modelled() {
  std::vector<const KindInfo*> out;
  for (const KindInfo* k : kvsim::models::all_kinds())
    if (k->not_modelled.empty()) out.push_back(k);
  return out;
}

const Json& doc(const std::string& key) { return api::openapi_documents().group_versions.at(key).json; }

api::Response get(const std::string& path, std::map<std::string, std::string> query = {},
                  const std::string& accept = "application/json") {
  api::Request r;
  r.method = "GET";
  r.path = path;
  r.query = std::move(query);
  r.accept = accept;
  return api::openapi(r);
}

std::string header(const api::Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return "";
}

// ---- the explain walk ----

const Json& resolve(const Json& document, const Json& schema) {
  if (schema.contains("$ref")) {
    const std::string ref = schema["$ref"];
    return document["components"]["schemas"].at(ref.substr(std::string("#/components/schemas/").size()));
  }
  if (schema.contains("allOf") && !schema.contains("properties")) return resolve(document, schema["allOf"][0]);
  if (schema.contains("items")) return resolve(document, schema["items"]);
  return schema;
}

// The component schema carrying this GVK, found as explain finds it: through
// the GVK of an operation on the resource's paths.
const Json* kind_schema(const Json& document, const KindInfo& k) {
  const std::string scope = k.namespaced ? "/namespaces/{namespace}" : "";
  const Json& path = document["paths"].at("/" + key_of(k) + scope + "/" + std::string(k.plural) + "/{name}");
  const Json gvk = path["get"]["x-kubernetes-group-version-kind"];
  for (const auto& [id, schema] : document["components"]["schemas"].items())
    if (schema.contains("x-kubernetes-group-version-kind"))
      for (const auto& g : schema["x-kubernetes-group-version-kind"])
        if (g == gvk) return &schema;
  return nullptr;
}

// `kubectl explain vm.spec.runStrategy`: the field's own schema (not resolved).
const Json* explain(const KindInfo& k, const std::vector<std::string>& fields) {
  const Json& document = doc(key_of(k));
  const Json* schema = kind_schema(document, k);
  for (const auto& f : fields) {
    if (!schema) return nullptr;
    const Json& holder = resolve(document, *schema);
    if (!holder.contains("properties") || !holder["properties"].contains(f)) return nullptr;
    schema = &holder["properties"][f];
  }
  return schema;
}

void collect_refs(const Json& j, std::set<std::string>& out) {
  if (j.is_object()) {
    if (j.contains("$ref")) out.insert(j["$ref"].get<std::string>());
    for (const auto& [k, v] : j.items()) collect_refs(v, out);
  } else if (j.is_array()) {
    for (const auto& v : j) collect_refs(v, out);
  }
}

}  // namespace

TEST_CASE("the OpenAPI v3 discovery document lists every modelled group/version with its hash") {
  const auto r = get("/openapi/v3");
  REQUIRE(r.status == 200);
  CHECK(r.content_type == "application/json");
  const Json d = Json::parse(r.body);
  std::set<std::string> expected;
  for (const KindInfo* k : modelled())
    for (const auto& served : kvsim::models::served_versions(*k))
      expected.insert((k->group().empty() ? "api/" : "apis/" + std::string(k->group()) + "/") +
                      std::string(served.version));
  std::set<std::string> listed;
  for (const auto& [key, entry] : d["paths"].items()) {
    listed.insert(key);
    CHECK(entry["serverRelativeURL"] ==
          "/openapi/v3/" + key + "?hash=" + api::openapi_documents().group_versions.at(key).hash);
  }
  CHECK(listed == expected);
  for (const char* key : {"api/v1", "apis/apps/v1", "apis/kubevirt.io/v1", "apis/kubevirt.io/v1alpha3", "apis/cdi.kubevirt.io/v1beta1",
                          "apis/k8s.cni.cncf.io/v1", "apis/storage.k8s.io/v1"})
    CHECK(listed.contains(key));
}

TEST_CASE("every modelled kind's schema carries its group/version/kind") {
  for (const KindInfo* k : modelled()) {
    INFO(k->kind);
    const Json* schema = kind_schema(doc(key_of(*k)), *k);
    REQUIRE(schema);
    const Json expected{{"group", std::string(k->group())},
                        {"version", key_of(*k).substr(key_of(*k).rfind('/') + 1)},
                        {"kind", std::string(k->kind)}};
    CHECK((*schema)["x-kubernetes-group-version-kind"] == Json::array({expected}));
    CHECK((*schema)["properties"].contains("metadata"));
  }
}

TEST_CASE("kubevirt.io/v1alpha3's document serves VM, VMI, VMIRS and VMIM with v1's schema under v1alpha3's GVK, "
          "so kubectl validates and explains them") {
  const Json& v1alpha3 = doc("apis/kubevirt.io/v1alpha3");
  std::set<std::string> kinds;
  for (const auto& [path, item] : v1alpha3["paths"].items())
    for (const auto& [verb, op] : item.items())
      if (op.is_object() && op.contains("x-kubernetes-group-version-kind")) {
        CHECK(op["x-kubernetes-group-version-kind"]["version"] == "v1alpha3");
        kinds.insert(op["x-kubernetes-group-version-kind"]["kind"].get<std::string>());
      }
  CHECK(kinds == std::set<std::string>{"VirtualMachine", "VirtualMachineInstance", "VirtualMachineInstanceMigration",
                                       "VirtualMachineInstanceReplicaSet"});
  const Json& schemas = v1alpha3["components"]["schemas"];
  REQUIRE(schemas.contains("io.kubevirt.v1alpha3.VirtualMachine"));
  const Json& vm = schemas["io.kubevirt.v1alpha3.VirtualMachine"];
  CHECK(vm["x-kubernetes-group-version-kind"] ==
        Json::array({Json{{"group", "kubevirt.io"}, {"version", "v1alpha3"}, {"kind", "VirtualMachine"}}}));
  // The same properties as v1's: the schemas are the same (upstream's CRDs copy one schema to both versions).
  Json v1_vm = doc("apis/kubevirt.io/v1")["components"]["schemas"]["io.kubevirt.v1.VirtualMachine"];
  CHECK(vm["properties"] == v1_vm["properties"]);
  CHECK(v1alpha3["paths"]["/apis/kubevirt.io/v1alpha3/namespaces/{namespace}/virtualmachines/{name}"]["patch"]
            .contains("parameters"));
}

TEST_CASE("every PATCH operation declares fieldValidation as a query parameter, so kubectl apply validates "
          "server-side") {
  std::size_t patches = 0;
  for (const auto& [key, document] : api::openapi_documents().group_versions) {
    for (const auto& [path, item] : document.json["paths"].items()) {
      if (!item.contains("patch")) continue;
      INFO(path);
      ++patches;
      const Json& op = item["patch"];
      CHECK(op["x-kubernetes-group-version-kind"].is_object());
      bool declared = false;
      for (const auto& p : op["parameters"])
        if (p["name"] == "fieldValidation" && p["in"] == "query") declared = true;
      CHECK(declared);
      // Left out on purpose: kubectl would build strategic patches from these schemas.
      CHECK_FALSE(op["requestBody"]["content"].contains("application/strategic-merge-patch+json"));
    }
  }
  CHECK(patches >= modelled().size());
}

TEST_CASE("kubectl explain vm.spec.runStrategy finds the enum and kvsim's own description") {
  const Json* f = explain(kvsim::models::VirtualMachine::kind_info(), {"spec", "runStrategy"});
  REQUIRE(f);
  CHECK((*f)["enum"] == Json::array({"Always", "RerunOnFailure", "Manual", "Halted", "Once"}));
  CHECK((*f)["description"] == kvsim::models::kvsim_descriptions().at("VirtualMachineSpec").at("runStrategy"));
  CHECK_THAT((*f)["description"].get<std::string>(), Catch::StartsWith("When the VM should have a running instance."));
}

TEST_CASE("kubectl explain vmi.spec.domain follows nested references down to the devices") {
  const auto& vmi = kvsim::models::VirtualMachineInstance::kind_info();
  const Json* domain = explain(vmi, {"spec", "domain"});
  REQUIRE(domain);
  CHECK((*domain)["allOf"][0]["$ref"] == "#/components/schemas/io.kubevirt.v1.DomainSpec");
  const Json* masquerade = explain(vmi, {"spec", "domain", "devices", "interfaces", "masquerade"});
  REQUIRE(masquerade);
  CHECK_THAT((*masquerade)["description"].get<std::string>(), Catch::Contains("NAT"));
  // The same VMI spec under a VM's template, described once.
  const Json* eviction =
      explain(kvsim::models::VirtualMachine::kind_info(), {"spec", "template", "spec", "evictionStrategy"});
  REQUIRE(eviction);
  CHECK((*eviction)["enum"] == Json::array({"None", "LiveMigrate", "LiveMigrateIfPossible", "External"}));
  CHECK(explain(vmi, {"spec", "domain", "nosuchfield"}) == nullptr);
}

TEST_CASE("kinds print kvsim's own top-level description") {
  const Json* vm = kind_schema(doc("apis/kubevirt.io/v1"), kvsim::models::VirtualMachine::kind_info());
  REQUIRE(vm);
  CHECK((*vm)["description"] == kvsim::models::kvsim_descriptions().at("VirtualMachine").at("."));
  // A kind without a written text still says what it is.
  const Json* sc = kind_schema(doc("apis/storage.k8s.io/v1"), kvsim::models::StorageClass::kind_info());
  REQUIRE(sc);
  CHECK((*sc)["description"] == "A StorageClass (storage.k8s.io/v1), as kvsim models it.");
}

TEST_CASE("every $ref of a document resolves inside that document") {
  for (const auto& [key, document] : api::openapi_documents().group_versions) {
    std::set<std::string> refs;
    collect_refs(document.json, refs);
    for (const auto& ref : refs) {
      INFO(key << " " << ref);
      CHECK(document.json["components"]["schemas"].contains(ref.substr(std::string("#/components/schemas/").size())));
    }
  }
}

TEST_CASE("refused kinds and fields are absent from the documents, or described as refused") {
  const auto& docs = api::openapi_documents().group_versions;
  CHECK_FALSE(docs.contains("apis/pool.kubevirt.io/v1alpha1"));
  // Instance types are modelled: their group is served.
  CHECK(docs.contains("apis/instancetype.kubevirt.io/v1beta1"));
  const Json& kubevirt = doc("apis/kubevirt.io/v1");
  for (const auto& [path, item] : kubevirt["paths"].items()) CHECK(path.find("presets") == std::string::npos);
  for (const auto& [id, schema] : kubevirt["components"]["schemas"].items())
    CHECK(id.find("Preset") == std::string::npos);
  const Json* gpus =
      explain(kvsim::models::VirtualMachineInstance::kind_info(), {"spec", "domain", "devices", "gpus"});
  REQUIRE(gpus);
  CHECK((*gpus)["x-kvsim-not-modelled"] == true);
}

TEST_CASE("every written description names a schema and a field that exist") {
  // Several schemas may share a name (KubeVirt's ResourceRequirements and the pod's): a text serves them all.
  std::map<std::string, std::vector<const Json*>> by_name;
  for (const auto& [key, document] : api::openapi_documents().group_versions)
    for (const auto& [id, schema] : document.json["components"]["schemas"].items())
      by_name[id.substr(id.rfind('.') + 1)].push_back(&schema);
  std::vector<const Json*> every;  // "*" texts serve a field of any type
  for (const auto& [name, schemas] : by_name) every.insert(every.end(), schemas.begin(), schemas.end());
  by_name["*"] = every;
  for (const auto& [type, fields] : kvsim::models::kvsim_descriptions()) {
    INFO(type);
    REQUIRE(by_name.contains(type));
    for (const auto& [field, text] : fields) {
      INFO(field);
      if (field == ".") continue;
      bool found = false;
      for (const Json* schema : by_name[type]) found = found || (*schema)["properties"].contains(field);
      CHECK(found);
    }
  }
}

TEST_CASE("documents are built the same way every time") {
  const auto a = api::build_openapi_documents(kvsim::models::all_kinds());
  const auto b = api::build_openapi_documents(kvsim::models::all_kinds());
  CHECK(a.discovery.body == b.discovery.body);
  for (const auto& [key, d] : a.group_versions) CHECK(d.body == b.group_versions.at(key).body);
  CHECK(a.discovery.body == api::openapi_documents().discovery.body);
}

TEST_CASE("a group/version document is served with its ETag, and cached for good only under its hash") {
  const auto& d = api::openapi_documents().group_versions.at("apis/kubevirt.io/v1");
  const auto plain = get("/openapi/v3/apis/kubevirt.io/v1");
  REQUIRE(plain.status == 200);
  CHECK(plain.body == d.body);
  CHECK(header(plain, "ETag") == "\"" + d.hash + "\"");
  CHECK(header(plain, "Cache-Control").empty());
  const auto hashed = get("/openapi/v3/apis/kubevirt.io/v1", {{"hash", d.hash}});
  CHECK(hashed.status == 200);
  CHECK(header(hashed, "Cache-Control") == "public, immutable, max-age=31536000");
}

TEST_CASE("an outdated hash is redirected to the current document") {
  const auto& d = api::openapi_documents().group_versions.at("api/v1");
  const auto r = get("/openapi/v3/api/v1", {{"hash", "0123"}});
  CHECK(r.status == 301);
  CHECK(header(r, "Location") == "/openapi/v3/api/v1?hash=" + d.hash);
}

TEST_CASE("unknown group/versions, other methods and protobuf-only clients are refused with a Status") {
  const auto missing = get("/openapi/v3/apis/pool.kubevirt.io/v1alpha1");
  CHECK(missing.status == 404);
  CHECK(Json::parse(missing.body)["reason"] == "NotFound");
  CHECK(get("/openapi/v3/api/v1", {}, "application/com.github.proto-openapi.spec.v3@v1.0+protobuf").status == 406);
  api::Request post;
  post.method = "POST";
  post.path = "/openapi/v3";
  CHECK(api::openapi(post).status == 405);
}

TEST_CASE("openapi/v2 answers an empty protobuf document, so kubectl's client-side fallback passes") {
  const auto r = get("/openapi/v2", {}, "application/com.github.proto-openapi.spec.v2@v1.0+protobuf");
  CHECK(r.status == 200);
  CHECK(r.body.empty());
  CHECK(r.content_type == "application/com.github.proto-openapi.spec.v2.v1.0+protobuf");
  CHECK(r.content_type.find('@') == std::string::npos);
}

TEST_CASE("paths that are not OpenAPI's are left to the other routes") {
  CHECK(get("/api/v1/pods").status == 0);
  CHECK(get("/openapi/v3x").status == 0);
  CHECK(get("/openapi").status == 0);
}
