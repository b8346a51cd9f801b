// virt-api's webhooks that read the KubeVirt configuration, as tables: the
// default architecture, and the HostDisk and Sidecar feature gates
// (vmi-create-admitter.go, vmi-mutator.go; FIDELITY.md §9's examples).
#include <catch2/catch.hpp>

#include "models/kubevirt.hpp"
#include "models/manifest.hpp"
#include "sim/kubevirt/kubevirt_admission.hpp"

using namespace kvsim;
using sim::kubevirt::admit_kubevirt;
using sim::kubevirt::KubeVirtConfig;

namespace {

std::shared_ptr<models::Object> decode(const std::string& yaml) {
  auto loaded = models::load_manifests(yaml, "test.yaml");
  REQUIRE(loaded.ok());
  REQUIRE(loaded.objects.size() == 1);
  return loaded.objects[0];
}

// The denying webhook and its causes ("path: message"), or nothing when admitted.
std::vector<std::string> problems_of(const KubeVirtConfig& config, models::Object& obj,
                                     const models::Object* old = nullptr) {
  auto denial = admit_kubevirt(config, old, obj);
  if (!denial) return {};
  std::vector<std::string> out{denial->webhook};
  for (const auto& p : denial->causes) out.push_back(p.path + ": " + p.message);
  return out;
}

const char* kHostDiskVmi = R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachineInstance
metadata: {name: v}
spec:
  domain: {devices: {}, memory: {guest: 128Mi}}
  volumes:
  - name: root
    containerDisk: {image: cirros}
  - name: host-disk
    hostDisk: {path: /var/data/disk.img, type: DiskOrCreate, capacity: 1Gi}
)";

const char* kSidecarVm = R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: vm}
spec:
  template:
    metadata:
      annotations:
        hooks.kubevirt.io/hookSidecars: '[{"image": "hook:1"}]'
    spec:
      domain: {devices: {}, memory: {guest: 128Mi}}
)";

}  // namespace

TEST_CASE("a VMI naming no architecture gets the configured default and one naming one keeps it") {
  KubeVirtConfig config;
  auto obj = decode(kHostDiskVmi);
  config.feature_gates = {"HostDisk"};
  CHECK(problems_of(config, *obj).empty());
  CHECK(static_cast<models::VirtualMachineInstance&>(*obj).spec.architecture == "amd64");
  config.default_architecture = "arm64";
  auto other = decode(kHostDiskVmi);
  problems_of(config, *other);
  CHECK(static_cast<models::VirtualMachineInstance&>(*other).spec.architecture == "arm64");
  static_cast<models::VirtualMachineInstance&>(*other).spec.architecture = "s390x";
  problems_of(config, *other);
  CHECK(static_cast<models::VirtualMachineInstance&>(*other).spec.architecture == "s390x");
}

TEST_CASE("a hostDisk volume needs the HostDisk feature gate") {
  struct Row {
    std::set<std::string> gates;
    std::vector<std::string> problems;
  };
  const Row rows[] = {
      {{}, {"virtualmachineinstances-create-validator.kubevirt.io", "spec.volumes[1]: HostDisk feature gate is not enabled"}},
      {{"Sidecar"},
       {"virtualmachineinstances-create-validator.kubevirt.io", "spec.volumes[1]: HostDisk feature gate is not enabled"}},
      {{"HostDisk"}, {}},
  };
  for (const auto& r : rows) {
    KubeVirtConfig config;
    config.feature_gates = r.gates;
    auto obj = decode(kHostDiskVmi);
    CHECK(problems_of(config, *obj) == r.problems);
  }
}

TEST_CASE("a VM template hook sidecar needs the Sidecar feature gate and is located in the template") {
  KubeVirtConfig config;
  auto vm = decode(kSidecarVm);
  CHECK(problems_of(config, *vm) ==
        std::vector<std::string>{"virtualmachine-validator.kubevirt.io",
                                 "spec.template.metadata.annotations: sidecar feature gate is not enabled in "
                                 "kubevirt-config, invalid entry "
                                 "spec.template.metadata.annotations.hooks.kubevirt.io/hookSidecars"});
  // An update is checked too (the VM validator covers both).
  CHECK(problems_of(config, *vm, vm.get()).size() == 2);
  config.feature_gates = {"Sidecar"};
  CHECK(problems_of(config, *vm).empty());
  CHECK(static_cast<models::VirtualMachine&>(*vm).spec.template_.spec.architecture == "amd64");
}

TEST_CASE("kinds other than VM and VMI pass the KubeVirt webhooks untouched") {
  auto pod = decode(R"(
apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations: {hooks.kubevirt.io/hookSidecars: '[{"image": "hook:1"}]'}
spec:
  containers: [{name: c, image: busybox}]
)");
  CHECK(problems_of(KubeVirtConfig{}, *pod).empty());
}

TEST_CASE("a VMI update passes the create-time gate checks untouched") {
  auto vmi = decode(kHostDiskVmi);
  CHECK(problems_of(KubeVirtConfig{}, *vmi, vmi.get()).empty());
  CHECK(static_cast<models::VirtualMachineInstance&>(*vmi).spec.architecture.empty());
}
