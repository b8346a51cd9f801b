// kubevirt.io/v1alpha3 (issue 19 item 6), as KubeVirt v1.5.0 serves it: the
// CRDs of VM, VMI, VMIRS and VMIM serve v1 (stored, preferred) and v1alpha3
// (deprecated, same schema, conversion strategy None). A v1alpha3 manifest is
// stored as v1 and runs as a v1 one does; a client reads back in the version
// it asks for (`oc get vm` asks for the preferred, v1); every v1alpha3 request
// carries upstream's deprecation Warning, which kubectl prints.
#include <memory>
#include <string>
#include <utility>

#include "api_requests.hpp"
#include "models/kubevirt.hpp"
#include "sim/apiserver/handler.hpp"
#include "small_cluster.hpp"

using namespace kvsim;
using models::Json;
using testing::Api;
using testing::body_of;

namespace {

constexpr const char* kWarningLine =
    "Warning: kubevirt.io/v1alpha3 is now deprecated and will be removed in a future release.\n";
constexpr const char* kWarningHeader =
    "299 - \"kubevirt.io/v1alpha3 is now deprecated and will be removed in a future release.\"";
constexpr const char* kAlphaVms = "/apis/kubevirt.io/v1alpha3/namespaces/default/virtualmachines";
constexpr const char* kV1Vms = "/apis/kubevirt.io/v1/namespaces/default/virtualmachines";

std::string v1alpha3_vm_yaml(const std::string& name) {
  std::string yaml = testing::vm_yaml(name);
  const std::string v1 = "apiVersion: kubevirt.io/v1\n";
  REQUIRE(yaml.rfind(v1, 0) == 0);
  return "apiVersion: kubevirt.io/v1alpha3\n" + yaml.substr(v1.size());
}

std::string header(const sim::apiserver::Response& r, const std::string& name) {
  std::string out;
  for (const auto& [k, v] : r.headers)
    if (k == name) out += v;
  return out;
}

}  // namespace

TEST_CASE("A kubevirt.io/v1alpha3 VM applied in the shell is warned about as kubectl prints it, stored as v1, runs its "
          "VMI, and reads back in v1 unless the kind word names v1alpha3") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor shell(cluster);
  cluster.run_until(0);
  const auto file = testing::write_file("old-vm.yaml", v1alpha3_vm_yaml("vm1"));
  CHECK(testing::run_ok(shell, "apply -f " + file) == std::string(kWarningLine) + "virtualmachine.kubevirt.io/vm1 created\n");
  const auto vm = cluster.store().get<models::VirtualMachine>("default", "vm1");
  REQUIRE(vm);
  CHECK(vm->apiVersion == "kubevirt.io/v1");
  // kubectl's last-applied is the file as written, v1alpha3 included.
  CHECK(vm->metadata.annotations.at("kubectl.kubernetes.io/last-applied-configuration")
            .find("\"apiVersion\":\"kubevirt.io/v1alpha3\"") != std::string::npos);
  // The same spec as its v1 twin's, defaults included: the schemas are the same.
  const auto twin = testing::write_file("twin.yaml", testing::vm_yaml("twin"));
  CHECK(testing::run_ok(shell, "apply -f " + twin) == "virtualmachine.kubevirt.io/twin created\n");
  CHECK(vm->to_json()["spec"] == cluster.store().get<models::VirtualMachine>("default", "twin")->to_json()["spec"]);

  // The VM controller makes its VMI as for any VM: v1, owned by the v1 VM, Running.
  REQUIRE(testing::when_phase(cluster, "vm1", "Running", 120) > 0);
  const auto vmi = testing::vmi(cluster, "vm1");
  CHECK(vmi->apiVersion == "kubevirt.io/v1");
  REQUIRE(vmi->metadata.ownerReferences.size() == 1);
  CHECK(vmi->metadata.ownerReferences[0].apiVersion == "kubevirt.io/v1");

  // `oc get` asks for the preferred version: v1, without a warning.
  const auto yaml = testing::run_ok(shell, "get vm vm1 -o yaml");
  CHECK(yaml.rfind("apiVersion: kubevirt.io/v1\n", 0) == 0);
  // Named in the kind word, v1alpha3 is read, with its warning (on stderr, before the output).
  const auto old = testing::run_ok(shell, "get virtualmachines.v1alpha3.kubevirt.io vm1 -o yaml");
  CHECK(old.rfind(std::string(kWarningLine) + "apiVersion: kubevirt.io/v1alpha3\nkind: VirtualMachine\n", 0) == 0);
  const auto listed = testing::run_ok(shell, "get vmis.v1alpha3.kubevirt.io -o json");
  CHECK(listed.find("\"apiVersion\": \"kubevirt.io/v1alpha3\"") != std::string::npos);
  CHECK(listed.find("\"apiVersion\": \"kubevirt.io/v1\"") != std::string::npos);  // the owner reference's
  const auto missing = shell.run("get vm.v2.kubevirt.io vm1");
  CHECK(missing.error == "error: the server doesn't have a resource type \"vm.v2.kubevirt.io\"");

  // Applied again unchanged: the warning once more, nothing written.
  const auto rv = cluster.store().get<models::VirtualMachine>("default", "vm1")->metadata.resourceVersion;
  CHECK(testing::run_ok(shell, "apply -f " + file) == std::string(kWarningLine) + "virtualmachine.kubevirt.io/vm1 unchanged\n");
  CHECK(cluster.store().get<models::VirtualMachine>("default", "vm1")->metadata.resourceVersion == rv);
  cluster.shutdown();
}

TEST_CASE("A file with two v1alpha3 VMs warns once, as kubectl's deduplicating warning writer does, and a "
          "kubevirt.io/v2 VM in it is refused at its line with the versions served, creating nothing") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor shell(cluster);
  cluster.run_until(0);
  const auto two = testing::write_file("two.yaml", v1alpha3_vm_yaml("a") + "---\n" + v1alpha3_vm_yaml("b"));
  CHECK(testing::run_ok(shell, "apply -f " + two) ==
        std::string(kWarningLine) + "virtualmachine.kubevirt.io/a created\nvirtualmachine.kubevirt.io/b created\n");
  std::string v2 = v1alpha3_vm_yaml("c");
  v2.replace(0, std::string("apiVersion: kubevirt.io/v1alpha3").size(), "apiVersion: kubevirt.io/v2");
  const auto bad = testing::write_file("bad.yaml", v1alpha3_vm_yaml("d") + "---\n" + v2);
  const auto refused = shell.run("apply -f " + bad);
  CHECK(refused.error == bad + ":15:13: apiVersion: no matches for kind \"VirtualMachine\" in version "
                               "\"kubevirt.io/v2\" (it is served in kubevirt.io/v1 and kubevirt.io/v1alpha3)");
  CHECK_FALSE(cluster.store().get<models::VirtualMachine>("default", "c"));
  CHECK_FALSE(cluster.store().get<models::VirtualMachine>("default", "d"));
  cluster.shutdown();
}

TEST_CASE("Through the API a v1alpha3 VM is created, patched and read in v1alpha3 and in v1 (object, list, Table, "
          "watch), each v1alpha3 answer with upstream's Warning, and kubevirt.io/v2 is not found") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  cluster.run_until(0);
  Api api{cluster};
  const Json body = models::yaml_to_json(YAML::Load(v1alpha3_vm_yaml("vm1")));
  auto r = api.send("POST", kAlphaVms, body.dump(), "application/json", {{"fieldManager", "kubectl-client-side-apply"}});
  REQUIRE(r.status == 201);
  CHECK(header(r, "Warning") == kWarningHeader);
  Json created = body_of(r);
  CHECK(created["apiVersion"] == "kubevirt.io/v1alpha3");
  // Stored in v1; the writer's managedFields entry names the version it wrote in, as upstream records it.
  const auto stored = cluster.store().get<models::VirtualMachine>("default", "vm1");
  CHECK(stored->apiVersion == "kubevirt.io/v1");
  CHECK(created["metadata"]["managedFields"][0]["apiVersion"] == "kubevirt.io/v1alpha3");

  // Read in v1 (the preferred version, what `kubectl get vm` asks for): v1, no warning.
  r = api.send("GET", std::string(kV1Vms) + "/vm1");
  CHECK(body_of(r)["apiVersion"] == "kubevirt.io/v1");
  CHECK(header(r, "Warning").empty());
  // Read in v1alpha3: the object, the list and its items.
  r = api.send("GET", std::string(kAlphaVms) + "/vm1");
  CHECK(body_of(r)["apiVersion"] == "kubevirt.io/v1alpha3");
  CHECK(header(r, "Warning") == kWarningHeader);
  r = api.send("GET", kAlphaVms);
  Json list = body_of(r);
  CHECK(list["kind"] == "VirtualMachineList");
  CHECK(list["apiVersion"] == "kubevirt.io/v1alpha3");
  REQUIRE(list["items"].size() == 1);
  CHECK(list["items"][0]["apiVersion"] == "kubevirt.io/v1alpha3");
  // A Table with the objects (kubectl get -o wide --server-print asks for includeObject=Object on watches).
  r = api.send("GET", kAlphaVms, {}, "application/json", {{"includeObject", "Object"}},
               "application/json;as=Table;v=v1;g=meta.k8s.io");
  Json table = body_of(r);
  CHECK(table["kind"] == "Table");
  CHECK(table["apiVersion"] == "meta.k8s.io/v1");
  CHECK(table["rows"][0]["object"]["apiVersion"] == "kubevirt.io/v1alpha3");

  // A merge patch in v1alpha3 patches the object as v1alpha3 shows it.
  r = api.send("PATCH", std::string(kAlphaVms) + "/vm1", R"({"metadata":{"labels":{"era":"old"}}})",
               "application/merge-patch+json");
  REQUIRE(r.status == 200);
  CHECK(body_of(r)["apiVersion"] == "kubevirt.io/v1alpha3");
  CHECK(cluster.store().get<models::VirtualMachine>("default", "vm1")->metadata.labels.at("era") == "old");
  // A body must name the URL's version.
  Json v1_body = body_of(api.send("GET", std::string(kV1Vms) + "/vm1"));
  r = api.send("PUT", std::string(kAlphaVms) + "/vm1", v1_body.dump());
  CHECK(r.status == 400);
  CHECK(body_of(r)["message"] ==
        "the API version in the data (kubevirt.io/v1) does not match the expected API version (kubevirt.io/v1alpha3)");
  v1_body["apiVersion"] = "kubevirt.io/v1alpha3";
  v1_body["metadata"]["labels"]["era"] = "replaced";
  r = api.send("PUT", std::string(kAlphaVms) + "/vm1", v1_body.dump());
  INFO(r.body);
  REQUIRE(r.status == 200);
  CHECK(body_of(r)["metadata"]["labels"]["era"] == "replaced");
  CHECK(cluster.store().get<models::VirtualMachine>("default", "vm1")->apiVersion == "kubevirt.io/v1");

  // The VMI it starts reads in v1alpha3 too; its owner reference keeps the version it was written with.
  REQUIRE(testing::when_phase(cluster, "vm1", "Running", 120) > 0);
  r = api.send("GET", "/apis/kubevirt.io/v1alpha3/namespaces/default/virtualmachineinstances/vm1");
  Json vmi = body_of(r);
  CHECK(vmi["apiVersion"] == "kubevirt.io/v1alpha3");
  CHECK(vmi["metadata"]["ownerReferences"][0]["apiVersion"] == "kubevirt.io/v1");
  CHECK(vmi["status"]["phase"] == "Running");

  // A watch in v1alpha3: the Warning on its head, every event's object in v1alpha3.
  sim::apiserver::Request w;
  w.method = "GET";
  w.path = kAlphaVms;
  w.query = {{"watch", "1"}};
  w.accept = "application/json";
  auto reply = api.handler.handle(w);
  CHECK(header(reply.response, "Warning") == kWarningHeader);
  REQUIRE(reply.open_stream);
  auto outbox = std::make_shared<testing::FakeOutbox>();
  auto stream = reply.open_stream(outbox);
  CHECK(stream->poll());
  REQUIRE(cluster.store().get<models::VirtualMachine>("default", "vm1"));
  CHECK(api.send("PATCH", std::string(kV1Vms) + "/vm1", R"({"metadata":{"labels":{"seen":"yes"}}})",
                 "application/merge-patch+json")
            .status == 200);
  CHECK(stream->poll());
  int events = 0;
  std::size_t start = 0;
  for (auto end = outbox->sent.find('\n'); end != std::string::npos; start = end + 1, end = outbox->sent.find('\n', start)) {
    const Json event = Json::parse(outbox->sent.substr(start, end - start));
    CHECK(event["object"]["apiVersion"] == "kubevirt.io/v1alpha3");
    ++events;
  }
  CHECK(events == 2);  // ADDED (the current object), then MODIFIED

  // A version kubevirt.io does not serve: upstream's 404, no warning.
  r = api.send("GET", "/apis/kubevirt.io/v2/namespaces/default/virtualmachines/vm1");
  CHECK(r.status == 404);
  CHECK(header(r, "Warning").empty());
  cluster.shutdown();
}
