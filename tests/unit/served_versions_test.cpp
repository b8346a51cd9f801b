// The versions each kind is served in (issue 19 item 6): KubeVirt's kinds in
// kubevirt.io/v1 and the deprecated v1alpha3 (v1.5.0 api/core/v1/register.go
// ApiSupportedVersions), every other kind in its own version alone. Manifests
// in a served version are stored in the kind's version; others are refused
// with the versions served. Discovery lists both, v1 preferred.
#include <catch2/catch.hpp>

#include <set>

#include "models/manifest.hpp"
#include "models/registry.hpp"
#include "sim/apiserver/discovery.hpp"
#include "sim/apiserver/handler.hpp"
#include "sim/apiserver/resource_path.hpp"
#include "get_request.hpp"

using namespace kvsim;
using models::Json;

namespace {

constexpr const char* kDeprecated = "kubevirt.io/v1alpha3 is now deprecated and will be removed in a future release.";

// One manifest of each KubeVirt kind kvsim models, in `api_version`.
std::string kubevirt_manifests(const std::string& api_version) {
  const std::string v = "apiVersion: " + api_version + "\n";
  return v + R"(kind: VirtualMachine
metadata: {name: vm1, namespace: default}
spec:
  runStrategy: Always
  template:
    spec:
      domain:
        devices: {disks: [{name: rootdisk, disk: {bus: virtio}}]}
        resources: {requests: {memory: 128Mi}}
      volumes: [{name: rootdisk, containerDisk: {image: quay.io/kubevirt/cirros-container-disk-demo}}]
---
)" + v + R"(kind: VirtualMachineInstance
metadata: {name: vmi1, namespace: default}
spec:
  domain:
    devices: {disks: [{name: rootdisk, disk: {bus: virtio}}]}
    resources: {requests: {memory: 128Mi}}
  volumes: [{name: rootdisk, containerDisk: {image: quay.io/kubevirt/cirros-container-disk-demo}}]
---
)" + v + R"(kind: VirtualMachineInstanceReplicaSet
metadata: {name: rs, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: rs}}
  template:
    metadata: {labels: {app: rs}}
    spec:
      domain:
        devices: {disks: [{name: rootdisk, disk: {bus: virtio}}]}
        resources: {requests: {memory: 128Mi}}
      volumes: [{name: rootdisk, containerDisk: {image: quay.io/kubevirt/cirros-container-disk-demo}}]
---
)" + v + R"(kind: VirtualMachineInstanceMigration
metadata: {name: mig, namespace: default}
spec: {vmiName: vmi1}
)";
}

Json discovered(const std::string& path, const std::string& accept = "application/json") {
  const auto reply = sim::apiserver::discovery(kvsim::testing::get_request(path, accept), sim::apiserver::ServeOptions{});
  REQUIRE(reply.response.status == 200);
  return Json::parse(reply.response.body);
}

}  // namespace

TEST_CASE("kubevirt.io/v1alpha3 manifests of VM, VMI, VMIRS and VMIM load and are stored as kubevirt.io/v1, the same "
          "objects as their v1 manifests") {
  const auto v1alpha3 = models::load_manifests(kubevirt_manifests("kubevirt.io/v1alpha3"), "old.yaml");
  const auto v1 = models::load_manifests(kubevirt_manifests("kubevirt.io/v1"), "new.yaml");
  INFO(models::join_lines(v1alpha3.problems));
  REQUIRE(v1alpha3.ok());
  REQUIRE(v1.ok());
  REQUIRE(v1alpha3.objects.size() == 4);
  for (std::size_t i = 0; i < 4; ++i) {
    INFO(v1.objects[i]->kind);
    CHECK(v1alpha3.objects[i]->apiVersion == "kubevirt.io/v1");
    CHECK(v1alpha3.objects[i]->to_json() == v1.objects[i]->to_json());
    // What kubectl records as last-applied is the document as written.
    CHECK(v1alpha3.documents[i]["apiVersion"] == "kubevirt.io/v1alpha3");
  }
}

TEST_CASE("a KubeVirt manifest in a version not served is refused at its apiVersion with the versions served, and "
          "nothing of the file loads") {
  const auto r = models::load_manifests(
      "apiVersion: kubevirt.io/v1alpha3\nkind: VirtualMachineInstanceMigration\nmetadata: {name: a}\n"
      "spec: {vmiName: x}\n---\napiVersion: kubevirt.io/v2\nkind: VirtualMachine\nmetadata: {name: vm1}\n",
      "vm.yaml");
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].str() ==
        "vm.yaml:6:13: apiVersion: no matches for kind \"VirtualMachine\" in version \"kubevirt.io/v2\" (it is served "
        "in kubevirt.io/v1 and kubevirt.io/v1alpha3)");
  CHECK(r.objects.empty());
  // A kind served in one version names that one.
  const auto apps = models::load_manifests("apiVersion: apps/v1beta1\nkind: Deployment\nmetadata: {name: web}\n", "d.yaml");
  REQUIRE(apps.problems.size() == 1);
  CHECK(apps.problems[0].str() ==
        "d.yaml:1:13: apiVersion: no matches for kind \"Deployment\" in version \"apps/v1beta1\" (it is served in "
        "apps/v1)");
}

TEST_CASE("every kind is served first in the version it is stored in, and kubevirt.io's kinds also in the deprecated "
          "v1alpha3 with upstream's warning") {
  std::set<std::string> in_v1alpha3;
  for (const auto* k : models::all_kinds()) {
    INFO(k->kind);
    const auto served = models::served_versions(*k);
    REQUIRE(!served.empty());
    CHECK(served.front().version == k->version());
    CHECK(served.front().deprecation_warning.empty());
    if (models::served_version(*k, "v1alpha3") && k->not_modelled.empty()) in_v1alpha3.insert(std::string(k->kind));
  }
  CHECK(in_v1alpha3 == std::set<std::string>{"VirtualMachine", "VirtualMachineInstance",
                                             "VirtualMachineInstanceMigration", "VirtualMachineInstanceReplicaSet"});
  const auto& vm = *models::find_kind("vm");
  CHECK(models::deprecation_warning(vm, "kubevirt.io/v1alpha3") == kDeprecated);
  CHECK(models::deprecation_warning(vm, "kubevirt.io/v1").empty());
  CHECK(models::deprecation_warning(vm, "kubevirt.io/v2").empty());
  CHECK(models::served_api_versions(vm) == "kubevirt.io/v1 and kubevirt.io/v1alpha3");
}

TEST_CASE("kind words name a version as kubectl's resource.version.group: vm.v1alpha3.kubevirt.io") {
  auto w = models::find_kind_word("vm.v1alpha3.kubevirt.io");
  REQUIRE(w.kind);
  CHECK(w.kind->kind == "VirtualMachine");
  CHECK(w.version == "v1alpha3");
  w = models::find_kind_word("VirtualMachineInstances.v1.kubevirt.io");
  REQUIRE(w.kind);
  CHECK(w.kind->kind == "VirtualMachineInstance");
  CHECK(w.version == "v1");
  w = models::find_kind_word("vmi.kubevirt.io");
  REQUIRE(w.kind);
  CHECK(w.version.empty());
  CHECK_FALSE(models::find_kind_word("vm.v2.kubevirt.io").kind);
  CHECK_FALSE(models::find_kind("deployments.v1alpha3.apps"));
  CHECK(models::find_kind("deployments.v1.apps") == models::find_kind("deployment"));
}

TEST_CASE("resource URLs in a version the kind is not served in name no kind (the endpoint's 404)") {
  auto p = sim::apiserver::parse_resource_path("/apis/kubevirt.io/v1alpha3/namespaces/default/virtualmachines/vm1");
  REQUIRE(p);
  REQUIRE(p->kind);
  CHECK(p->kind->kind == "VirtualMachine");
  CHECK(p->api_version() == "kubevirt.io/v1alpha3");
  p = sim::apiserver::parse_resource_path("/apis/kubevirt.io/v2/namespaces/default/virtualmachines/vm1");
  REQUIRE(p);
  CHECK_FALSE(p->kind);
  p = sim::apiserver::parse_resource_path("/apis/apps/v1alpha3/namespaces/default/deployments");
  REQUIRE(p);
  CHECK_FALSE(p->kind);
}

TEST_CASE("discovery lists kubevirt.io/v1 and v1alpha3 with v1 preferred, in the legacy and the aggregated documents") {
  const Json groups = discovered("/apis");
  Json kubevirt;
  for (const auto& g : groups["groups"])
    if (g["name"] == "kubevirt.io") kubevirt = g;
  REQUIRE(kubevirt.is_object());
  CHECK(kubevirt["versions"] ==
        Json::array({Json{{"groupVersion", "kubevirt.io/v1"}, {"version", "v1"}},
                     Json{{"groupVersion", "kubevirt.io/v1alpha3"}, {"version", "v1alpha3"}}}));
  CHECK(kubevirt["preferredVersion"] == Json{{"groupVersion", "kubevirt.io/v1"}, {"version", "v1"}});
  CHECK(discovered("/apis/kubevirt.io")["preferredVersion"]["version"] == "v1");

  const Json list = discovered("/apis/kubevirt.io/v1alpha3");
  CHECK(list["groupVersion"] == "kubevirt.io/v1alpha3");
  std::set<std::string> names;
  for (const auto& r : list["resources"]) names.insert(r["name"].get<std::string>());
  for (const char* n : {"virtualmachines", "virtualmachineinstances", "virtualmachineinstancereplicasets",
                        "virtualmachineinstancemigrations", "virtualmachines/status",
                        "virtualmachineinstancereplicasets/scale"})
    CHECK(names.count(n) == 1);

  const Json aggregated = discovered(
      "/apis", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json");
  for (const auto& g : aggregated["items"]) {
    if (g["metadata"]["name"] != "kubevirt.io") continue;
    REQUIRE(g["versions"].size() == 2);
    CHECK(g["versions"][0]["version"] == "v1");
    CHECK(g["versions"][1]["version"] == "v1alpha3");
    for (const auto& r : g["versions"][1]["resources"]) CHECK(r["responseKind"]["version"] == "v1alpha3");
  }
  // Other groups keep their one version.
  CHECK(discovered("/apis/apps")["versions"].size() == 1);
}
