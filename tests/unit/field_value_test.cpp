// field_value: the field a check reads, by path. It walks the typed object and
// encodes only the member named; every answer must be the one the object's
// whole JSON gives (field_value_in_json on to_json()), which is asserted on
// every read here besides the expected text.
#include <catch2/catch.hpp>

#include "models/manifest.hpp"
#include "sim/scenario/field_value.hpp"

using namespace kvsim;
using sim::scenario::field_value;
using sim::scenario::field_value_in_json;

namespace {

models::ObjectPtr load_object(const std::string& yaml) {
  auto loaded = models::load_manifests(yaml, "objects.yaml");
  for (const auto& p : loaded.problems) FAIL(p.str());
  REQUIRE(loaded.objects.size() == 1);
  return loaded.objects.front();
}

// The typed read, after checking it against the read on the whole JSON.
std::string read(const models::Object& o, const std::string& path) {
  const std::string typed = field_value(o, path);
  INFO(path);
  CHECK(typed == field_value_in_json(o.to_json(), path));
  return typed;
}

const char* kVmi = R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachineInstance
metadata:
  name: vm1
  namespace: default
  labels: {kubevirt.io/nodeName: worker-1, app: web}
  annotations: {kubevirt.io/latest-observed-api-version: v1}
spec:
  domain:
    devices:
      interfaces: [{name: default, masquerade: {}}]
    memory: {guest: 1Gi}
  networks: [{name: default, pod: {}}]
status:
  phase: Running
  nodeName: worker-1
  conditions:
  - {type: Ready, status: "True"}
  - {type: AgentConnected, status: "False", reason: NoAgent}
  interfaces:
  - {name: default, ipAddress: 10.128.0.5, ipAddresses: [10.128.0.5, "fd02::5"]}
  migrationState: {targetNode: worker-2, completed: true, sourceNode: worker-1}
)";

const char* kNode = R"(
apiVersion: v1
kind: Node
metadata: {name: worker-1, labels: {node-role.kubernetes.io/worker: ""}}
spec:
  taints:
  - {key: node.kubernetes.io/unreachable, effect: NoExecute}
  - {key: node.kubernetes.io/unreachable, effect: NoSchedule}
)";

const char* kDeployment = R"(
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx}]
)";

}  // namespace

TEST_CASE("a dotted path reads a string as it is and anything else as compact JSON") {
  const auto vmi = load_object(kVmi);
  CHECK(read(*vmi, "status.phase") == "Running");
  CHECK(read(*vmi, "metadata.name") == "vm1");
  CHECK(read(*vmi, "kind") == "VirtualMachineInstance");
  CHECK(read(*vmi, "spec.domain.memory.guest") == "1Gi");
  CHECK(read(*vmi, "metadata.labels") == R"({"app":"web","kubevirt.io/nodeName":"worker-1"})");
  CHECK(read(*vmi, "metadata.labels.app") == "web");
  CHECK(read(*vmi, "status.migrationState.targetNode") == "worker-2");
  CHECK(read(*vmi, "status.migrationState.completed") == "true");
  CHECK(read(*vmi, "status.migrationState") ==
        R"({"completed":true,"sourceNode":"worker-1","targetNode":"worker-2"})");
  // An empty struct kept as a marker (masquerade: {}) reads as {}.
  CHECK(read(*vmi, "spec.domain.devices.interfaces[0].masquerade") == "{}");
  const auto deployment = load_object(kDeployment);
  CHECK(read(*deployment, "spec.replicas") == "3");
  CHECK(read(*deployment, "spec.template.spec.containers[0].image") == "nginx");
}

TEST_CASE("a list element is picked by index or by the first element whose key has the value") {
  const auto vmi = load_object(kVmi);
  CHECK(read(*vmi, "status.conditions[0].type") == "Ready");
  CHECK(read(*vmi, "status.conditions[1].reason") == "NoAgent");
  CHECK(read(*vmi, "status.conditions[type=AgentConnected].status") == "False");
  CHECK(read(*vmi, "status.conditions[type=Ready]") == R"({"status":"True","type":"Ready"})");
  CHECK(read(*vmi, "status.conditions[reason=NoAgent].type") == "AgentConnected");
  CHECK(read(*vmi, "status.interfaces[name=default].ipAddress") == "10.128.0.5");
  CHECK(read(*vmi, "status.interfaces[0].ipAddresses[1]") == "fd02::5");
  CHECK(read(*vmi, "status.interfaces[0].ipAddresses") == R"(["10.128.0.5","fd02::5"])");
  const auto node = load_object(kNode);
  // A dot inside the brackets belongs to the value; the first match wins.
  CHECK(read(*node, "spec.taints[key=node.kubernetes.io/unreachable].effect") == "NoExecute");
  CHECK(read(*node, "spec.taints[1].effect") == "NoSchedule");
}

TEST_CASE("a missing part, a wrong shape or a malformed bracket reads as empty") {
  const auto vmi = load_object(kVmi);
  for (const char* path : {"status.phases", "status.phase.more", "spec.nothing.deeper", "status.conditions[2].type",
                           "status.conditions[type=Paused].status",
                           "status.phase[0]", "status.conditions.type", "status.conditions[x].type",
                           "status.conditions[].type", "status.conditions[99999999999999999999999].type",
                           "status.migrationState.targetNode.name", "status.migrationState[0]", "status.reason",
                           "", ".", "status.", "status..phase", "metadata.labels.kubevirt.io/nodeName"})
    CHECK(read(*vmi, path).empty());
  // Zero and empty values are omitted from the JSON as upstream omits them.
  const auto deployment = load_object(kDeployment);
  CHECK(read(*deployment, "status.replicas").empty());
  CHECK(read(*deployment, "status").empty());
  CHECK(read(*deployment, "metadata.deletionTimestamp").empty());
}

TEST_CASE("a list, or an element picked last, reads as compact JSON") {
  const auto vmi = load_object(kVmi);
  CHECK(read(*vmi, "status.conditions[type=AgentConnected].status") == "False");
  CHECK(read(*vmi, "status.conditions[type=AgentConnected]") ==
        R"({"reason":"NoAgent","status":"False","type":"AgentConnected"})");
  CHECK(read(*vmi, "status.conditions") ==
        R"([{"status":"True","type":"Ready"},{"reason":"NoAgent","status":"False","type":"AgentConnected"}])");
}
