// The shell's `patch` (kubectl patch), through the API server's PATCH handler: what it
// prints was compared with the real kubectl 1.32 patching the same VM through `kvsim serve`.
#include "small_cluster.hpp"

using namespace kvsim;

namespace {

const char* kPatchableVm = R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: pv, namespace: default}
spec:
  runStrategy: Halted
  template:
    spec:
      domain:
        devices: {}
        memory: {guest: 1Gi}
)";

const char* kMemoryPatch = R"('{"spec":{"template":{"spec":{"domain":{"memory":{"guest":"4Gi"}}}}}}')";

std::string memory_of(sim::cluster::Cluster& c) {
  return c.store().get<models::VirtualMachine>("default", "pv")->to_json()["spec"]["template"]["spec"]["domain"]["memory"]
      ["guest"];
}

}  // namespace

TEST_CASE("patch --type merge edits a VM's template, and the VMI started after it has the edit") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  testing::apply_yaml(cluster, kPatchableVm);
  CHECK(testing::run_ok(exec, std::string("patch vm pv --type merge -p ") + kMemoryPatch) ==
        "virtualmachine.kubevirt.io/pv patched\n");
  CHECK(memory_of(cluster) == "4Gi");
  const auto generation = cluster.store().get<models::VirtualMachine>("default", "pv")->metadata.generation;
  CHECK(testing::run_ok(exec, std::string("oc patch vm/pv --type=merge --patch ") + kMemoryPatch) ==
        "virtualmachine.kubevirt.io/pv patched (no change)\n");
  CHECK(cluster.store().get<models::VirtualMachine>("default", "pv")->metadata.generation == generation);
  // A JSON patch (RFC 6902) adds a label to the VMIs' template.
  CHECK(testing::run_ok(exec, R"(patch vm pv --type json -p '[{"op":"add","path":"/spec/template/metadata","value":{"labels":{"tier":"web"}}}]')") ==
        "virtualmachine.kubevirt.io/pv patched\n");
  testing::run_ok(exec, "virtctl start pv");
  REQUIRE(testing::run_until_true(cluster, 120, [&] { return testing::vmi_running(cluster, "pv"); }, 0.5) > 0);
  auto vmi = cluster.store().get<models::VirtualMachineInstance>("default", "pv");
  CHECK(vmi->metadata.labels.at("tier") == "web");
  CHECK(vmi->to_json()["spec"]["domain"]["memory"]["guest"] == "4Gi");
}

TEST_CASE("patch refuses as kubectl does: a strategic merge patch of a VM, an invalid value, a bad type, no patch, no object",
          "[bad-input]") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  testing::apply_yaml(cluster, kPatchableVm);
  const auto version = cluster.store().get<models::VirtualMachine>("default", "pv")->metadata.resourceVersion;
  CHECK(exec.run(std::string("patch vm pv -p ") + kMemoryPatch).error ==
        "error: application/strategic-merge-patch+json is not supported by kubevirt.io/v1, Kind=VirtualMachine: the "
        "body of the request was in an unknown format - accepted media types include: application/json-patch+json, "
        "application/merge-patch+json, application/apply-patch+yaml");
  CHECK(exec.run(R"(patch vm pv --type merge -p '{"spec":{"template":{"spec":{"domain":{"memory":{"guest":"lots"}}}}}}')")
            .error ==
        "The VirtualMachine \"pv\" is invalid: spec.template.spec.domain.memory.guest: quantities must match the regular "
        "expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$', got \"lots\"");
  CHECK(exec.run("patch vm pv --type merge -p '{bad'").error.rfind(
            "Error from server (BadRequest): the request body is not valid JSON: parse error at line 1, column 2", 0) == 0);
  CHECK(exec.run("patch vm pv --type foo -p '{}'").error == "error: --type must be one of [json merge strategic], not \"foo\"");
  CHECK(exec.run("patch vm pv").error == "error: must specify --patch or --patch-file containing the contents of the patch");
  CHECK(exec.run("patch vm nope --type merge -p '{}'").error ==
        "Error from server (NotFound): virtualmachines.kubevirt.io \"nope\" not found");
  CHECK(cluster.store().get<models::VirtualMachine>("default", "pv")->metadata.resourceVersion == version);
  CHECK(memory_of(cluster) == "1Gi");
}
