// The API endpoint's pure pieces: URL parsing, discovery documents, selectors,
// server-side Tables, the kubeconfig. (Requests through a live cluster are in
// tests/scenarios/, kubectl end to end in tests/cli/kubectl_e2e.sh.)
#include <catch2/catch.hpp>

#include "models/kubevirt.hpp"
#include "sim/apiserver/discovery.hpp"
#include "sim/apiserver/handler.hpp"
#include "sim/apiserver/kubeconfig_file.hpp"
#include "sim/apiserver/resource_path.hpp"
#include "sim/apiserver/selectors.hpp"
#include "sim/apiserver/table.hpp"
#include "printer_fixtures.hpp"
#include "get_request.hpp"

using namespace kvsim::sim::apiserver;
using kvsim::models::Json;

namespace {

const char* kAggregated =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;"
    "v=v2beta1;as=APIGroupDiscoveryList,application/json";

const char* kTableVmi = R"(apiVersion: kubevirt.io/v1
kind: VirtualMachineInstance
metadata: {name: vm1, namespace: default, labels: {app: web}}
spec:
  domain:
    devices: {}
    memory: {guest: 1Gi}
status:
  phase: Running
  nodeName: worker-1
)";

}  // namespace

TEST_CASE("resource URLs split into group, version, namespace, resource, name and subresource") {
  auto p = parse_resource_path("/apis/kubevirt.io/v1/namespaces/default/virtualmachines/vm1/status");
  REQUIRE(p);
  CHECK(p->group == "kubevirt.io");
  CHECK(p->version == "v1");
  CHECK(p->ns == "default");
  CHECK(p->resource == "virtualmachines");
  CHECK(p->name == "vm1");
  CHECK(p->subresource == "status");
  REQUIRE(p->kind);
  CHECK(p->kind->kind == "VirtualMachine");

  auto all = parse_resource_path("/api/v1/pods");
  REQUIRE(all);
  CHECK(all->ns.empty());
  CHECK(all->kind->kind == "Pod");

  auto ns = parse_resource_path("/api/v1/namespaces/openshift-cnv");
  REQUIRE(ns);
  CHECK(ns->resource == "namespaces");
  CHECK(ns->name == "openshift-cnv");
  CHECK(ns->ns.empty());

  auto sub = parse_resource_path("/apis/subresources.kubevirt.io/v1/namespaces/default/virtualmachines/vm1/start");
  REQUIRE(sub);
  CHECK(sub->kind->kind == "VirtualMachine");
  CHECK(sub->subresource == "start");

  CHECK_FALSE(parse_resource_path("/apis/kubevirt.io/v1"));
  CHECK_FALSE(parse_resource_path("/version"));
  auto unknown = parse_resource_path("/apis/example.com/v1/widgets");
  REQUIRE(unknown);
  CHECK(unknown->kind == nullptr);
}

TEST_CASE("version reports Kubernetes 1.32, which the kubectl dispatcher matches by minor version") {
  auto r = discovery(kvsim::testing::get_request("/version"), ServeOptions{});
  REQUIRE(r.response.status == 200);
  auto v = Json::parse(r.response.body);
  CHECK(v["major"] == "1");
  CHECK(v["minor"] == "32");
  CHECK(v["gitVersion"] == "v1.32.4");
}

TEST_CASE("aggregated discovery answers with the exact Content-Type kubectl recognises, with short names and categories") {
  auto r = discovery(kvsim::testing::get_request("/apis", kAggregated), ServeOptions{});
  REQUIRE(r.response.status == 200);
  CHECK(r.response.content_type == "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
  auto doc = Json::parse(r.response.body);
  CHECK(doc["kind"] == "APIGroupDiscoveryList");
  Json vmi;
  bool refused_listed = false;
  for (const auto& g : doc["items"])
    for (const auto& v : g["versions"])
      for (const auto& res : v["resources"]) {
        if (res["resource"] == "virtualmachineinstances") vmi = res;
        if (res["resource"] == "virtualmachinepools") refused_listed = true;
      }
  REQUIRE(vmi.is_object());
  CHECK(vmi["shortNames"] == Json({"vmi", "vmis"}));
  CHECK(vmi["categories"] == Json({"all"}));
  CHECK(vmi["scope"] == "Namespaced");
  CHECK(vmi["subresources"][0]["subresource"] == "status");
  CHECK_FALSE(refused_listed);

  auto core = discovery(kvsim::testing::get_request("/api", kAggregated), ServeOptions{});
  auto pods = Json::parse(core.response.body)["items"][0]["versions"][0];
  CHECK(pods["version"] == "v1");
}

TEST_CASE("legacy discovery (plain JSON) lists groups and each group version's resources with subresources") {
  auto groups = Json::parse(discovery(kvsim::testing::get_request("/apis"), ServeOptions{}).response.body);
  CHECK(groups["kind"] == "APIGroupList");
  auto list = Json::parse(discovery(kvsim::testing::get_request("/apis/apps/v1"), ServeOptions{}).response.body);
  CHECK(list["groupVersion"] == "apps/v1");
  std::vector<std::string> names;
  for (const auto& r : list["resources"]) names.push_back(r["name"]);
  CHECK(std::find(names.begin(), names.end(), "deployments/scale") != names.end());
  CHECK(std::find(names.begin(), names.end(), "deployments/status") != names.end());
  CHECK(discovery(kvsim::testing::get_request("/apis/nosuch.io/v1"), ServeOptions{}).response.status == 0);
}

TEST_CASE("field selectors take upstream's per-kind labels and refuse the others as upstream words it") {
  const auto& vmi_kind = kvsim::models::VirtualMachineInstance::kind_info();
  std::string error;
  auto vmi = printer_fixtures::load(kTableVmi);
  auto s = parse_selectors(vmi_kind, "app=web", "metadata.name=vm1", error);
  REQUIRE(s);
  CHECK(s->matches(*vmi));
  auto other = parse_selectors(vmi_kind, "app!=web", "", error);
  REQUIRE(other);
  CHECK_FALSE(other->matches(*vmi));
  auto not_name = parse_selectors(vmi_kind, "", "metadata.name!=vm1", error);
  REQUIRE(not_name);
  CHECK_FALSE(not_name->matches(*vmi));
  // A custom resource is selectable by metadata only, as on a real cluster.
  CHECK_FALSE(parse_selectors(vmi_kind, "", "status.phase=Running", error));
  CHECK(error == "field label not supported: status.phase");
  CHECK(parse_selectors(kvsim::models::Pod::kind_info(), "", "spec.nodeName=worker-1,status.phase!=Failed", error));
  CHECK_FALSE(parse_selectors(vmi_kind, "", "metadata.name", error));
  CHECK(error.find("can't understand 'metadata.name'") != std::string::npos);
}

TEST_CASE("a Table carries kvsim's own get cells, the wide columns at priority 1 and the name column's format") {
  auto vmi = printer_fixtures::load(kTableVmi, 30);
  const auto& kind = kvsim::models::VirtualMachineInstance::kind_info();
  auto t = table(kind, {vmi}, printer_fixtures::kNow, IncludeObject::Metadata, "42");
  CHECK(t["kind"] == "Table");
  CHECK(t["metadata"]["resourceVersion"] == "42");
  const auto& cols = t["columnDefinitions"];
  CHECK(cols[0]["name"] == "NAME");
  CHECK(cols[0]["format"] == "name");
  const auto narrow = kvsim::sim::commands::table_header(kind, false);
  const auto wide = kvsim::sim::commands::table_header(kind, true);
  REQUIRE(cols.size() == wide.size());
  int priority_zero = 0;
  for (const auto& c : cols) priority_zero += c["priority"] == 0 ? 1 : 0;
  CHECK(priority_zero == static_cast<int>(narrow.size()));
  const auto cells = kvsim::sim::commands::table_cells(kind, *vmi, printer_fixtures::kNow, true);
  CHECK(t["rows"][0]["cells"] == Json(cells));
  CHECK(t["rows"][0]["cells"][1] == "30s");
  CHECK(t["rows"][0]["object"]["kind"] == "PartialObjectMetadata");
  CHECK(t["rows"][0]["object"]["metadata"]["name"] == "vm1");
  auto full = table(kind, {vmi}, printer_fixtures::kNow, IncludeObject::Object, "42", false);
  CHECK(full["rows"][0]["object"]["spec"]["domain"]["memory"]["guest"] == "1Gi");
  CHECK_FALSE(full.contains("columnDefinitions"));
}

TEST_CASE("the kubeconfig names the server, trusts exactly its certificate and carries the token") {
  const std::string yaml = kubeconfig_yaml({"https://127.0.0.1:16443", "PEM", "t0k3n", "default"});
  CHECK(yaml.find("server: https://127.0.0.1:16443\n") != std::string::npos);
  CHECK(yaml.find("certificate-authority-data: " + base64("PEM") + "\n") != std::string::npos);
  CHECK(yaml.find("token: t0k3n\n") != std::string::npos);
  CHECK(yaml.find("current-context: kvsim\n") != std::string::npos);
  CHECK(base64("") == "");
  CHECK(base64("f") == "Zg==");
  CHECK(base64("fo") == "Zm8=");
  CHECK(base64("foo") == "Zm9v");
}
