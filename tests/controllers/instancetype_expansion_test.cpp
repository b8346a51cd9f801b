// The pure expansion of an instance type and a preference into a VMI spec
// (sim/kubevirt/instancetype/expansion.hpp), as KubeVirt v1.5.0's
// pkg/instancetype/apply and preference/apply do it: table tests of
// instance type + preference + VM template -> VMI domain, and the refusals.
#include <catch2/catch.hpp>

#include "models/instancetype.hpp"
#include "models/manifest.hpp"
#include "sim/kubevirt/instancetype/expansion.hpp"

using namespace kvsim;
namespace it = kvsim::sim::kubevirt::instancetype;

namespace {

models::InstancetypeSpec instancetype_spec(const std::string& spec_yaml) {
  auto r = models::load_manifests("apiVersion: instancetype.kubevirt.io/v1beta1\nkind: "
                                  "VirtualMachineClusterInstancetype\nmetadata: {name: t}\nspec:\n" + spec_yaml,
                                  "it.yaml");
  INFO(models::join_lines(r.problems));
  REQUIRE(r.ok());
  return static_cast<const models::VirtualMachineClusterInstancetype&>(*r.objects.at(0)).spec;
}

models::PreferenceSpec preference_spec(const std::string& spec_yaml) {
  auto r = models::load_manifests("apiVersion: instancetype.kubevirt.io/v1beta1\nkind: "
                                  "VirtualMachineClusterPreference\nmetadata: {name: p}\nspec:\n" + spec_yaml,
                                  "pref.yaml");
  INFO(models::join_lines(r.problems));
  REQUIRE(r.ok());
  return static_cast<const models::VirtualMachineClusterPreference&>(*r.objects.at(0)).spec;
}

// A VM template's spec as written: one containerDisk with its disk, the pod
// network (a VM with an instance type, so admission requires no memory).
models::VMISpec template_spec(const std::string& domain_extra = "") {
  auto r = models::load_manifests(R"(apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: v}
spec:
  instancetype: {name: t}
  template:
    spec:
      domain:
        devices:
          disks: [{name: root}]
          interfaces: [{name: default, masquerade: {}}]
)" + domain_extra + R"(
      networks: [{name: default, pod: {}}]
      volumes: [{name: root, containerDisk: {image: quay.io/containerdisks/fedora:41}}]
)",
                                  "vm.yaml");
  INFO(models::join_lines(r.problems));
  REQUIRE(r.ok());
  return static_cast<const models::VirtualMachine&>(*r.objects.at(0)).spec.template_.spec;
}

struct Topology {
  std::int32_t sockets, cores, threads;
};

Topology topology(const models::VMISpec& s) {
  REQUIRE(s.domain.cpu);
  return {s.domain.cpu->sockets.value_or(0), s.domain.cpu->cores.value_or(0), s.domain.cpu->threads.value_or(0)};
}

}  // namespace

TEST_CASE("an instance type's vCPUs land where the preference's CPU topology puts them") {
  struct Row {
    std::int32_t guest;
    std::string preference;
    Topology want;
  };
  const std::vector<Row> rows = {
      // v1beta1's default is sockets.
      {4, "", {4, 1, 1}},
      {1, "  cpu: {preferredCPUTopology: cores}\n", {1, 1, 1}},
      {4, "  cpu: {preferredCPUTopology: sockets}\n", {4, 1, 1}},
      {4, "  cpu: {preferredCPUTopology: cores}\n", {1, 4, 1}},
      {4, "  cpu: {preferredCPUTopology: threads}\n", {1, 1, 4}},
      {4, "  cpu: {preferredCPUTopology: any}\n", {4, 1, 1}},
      {4, "  cpu: {preferredCPUTopology: preferCores}\n", {1, 4, 1}},
      // spread: SocketsCores with the default ratio 2 -> 2 cores per socket.
      {8, "  cpu: {preferredCPUTopology: spread}\n", {4, 2, 1}},
      {12, "  cpu: {preferredCPUTopology: spread, spreadOptions: {ratio: 3}}\n", {4, 3, 1}},
      {12, "  preferSpreadSocketToCoreRatio: 4\n  cpu: {preferredCPUTopology: spread}\n", {3, 4, 1}},
      {8, "  cpu: {preferredCPUTopology: spread, spreadOptions: {across: CoresThreads}}\n", {1, 4, 2}},
      {16, "  cpu: {preferredCPUTopology: spread, spreadOptions: {across: SocketsCoresThreads, ratio: 4}}\n", {2, 4, 2}},
  };
  for (const auto& row : rows) {
    INFO("guest " << row.guest << " preference:\n" << row.preference);
    const auto t = instancetype_spec("  cpu: {guest: " + std::to_string(row.guest) + "}\n  memory: {guest: 2Gi}\n");
    std::optional<models::PreferenceSpec> p;
    if (!row.preference.empty()) p = preference_spec(row.preference);
    auto spec = template_spec();
    models::Sparse<models::Annotations> annotations;
    REQUIRE(it::apply("spec.template.spec", &t, p ? &*p : nullptr, spec, annotations).empty());
    const auto got = topology(spec);
    CHECK(got.sockets == row.want.sockets);
    CHECK(got.cores == row.want.cores);
    CHECK(got.threads == row.want.threads);
    CHECK(spec.domain.memory->guest->text() == "2Gi");
  }
}

TEST_CASE("the instance type's memory and CPU settings and the preference's devices, firmware and features reach the VMI") {
  // u1.medium and fedora as common-instancetypes v1.3.0 define them.
  const auto t = instancetype_spec("  cpu: {guest: 1}\n  memory: {guest: 4Gi}\n");
  const auto p = preference_spec(R"(  annotations: {vm.kubevirt.io/os: linux}
  devices: {preferredDiskBus: virtio, preferredInterfaceModel: virtio, preferredRng: {}}
  features: {preferredSmm: {}}
  firmware: {preferredEfi: {secureBoot: true}}
  requirements: {cpu: {guest: 1}, memory: {guest: 2Gi}}
)");
  auto spec = template_spec();
  models::Sparse<models::Annotations> annotations;
  REQUIRE(it::apply("spec", &t, &p, spec, annotations).empty());
  CHECK(spec.domain.memory->guest->text() == "4Gi");
  CHECK(spec.domain.resources.requests.empty());
  CHECK(topology(spec).sockets == 1);
  CHECK(spec.domain.devices.disks[0].disk->bus == "virtio");
  CHECK(spec.domain.devices.interfaces[0].model == "virtio");
  CHECK(spec.domain.devices.rng == models::Json::object());
  CHECK(spec.domain.features == models::Json::parse(R"({"smm":{}})"));
  CHECK(spec.domain.firmware == models::Json::parse(R"({"bootloader":{"efi":{"secureBoot":true}}})"));
  CHECK(annotations.at("vm.kubevirt.io/os") == "linux");
  CHECK_FALSE(it::check_requirements(&t, &p, spec));
}

TEST_CASE("a Windows preference fills what the VM leaves unset and keeps what it sets") {
  const auto t = instancetype_spec("  cpu: {guest: 2}\n  memory: {guest: 8Gi}\n");
  // windows.2k22 of common-instancetypes v1.3.0 (hyperv trimmed).
  const auto p = preference_spec(R"(  clock:
    preferredClockOffset: {utc: {}}
    preferredTimer: {hpet: {present: false}, hyperv: {}, pit: {tickPolicy: delay}, rtc: {tickPolicy: catchup}}
  cpu: {preferredCPUTopology: sockets}
  devices: {preferredAutoattachInputDevice: true, preferredDiskBus: sata, preferredInterfaceModel: e1000e,
            preferredTPM: {persistent: true}}
  features:
    preferredAcpi: {}
    preferredApic: {}
    preferredHyperv: {relaxed: {}, spinlocks: {spinlocks: 8191}, vapic: {}}
    preferredSmm: {}
  firmware: {preferredEfi: {persistent: true, secureBoot: true}}
  preferredTerminationGracePeriodSeconds: 3600
)");
  auto spec = template_spec();
  // The VM's own choices win where upstream keeps them: a relaxed hyperv setting, BIOS boot.
  spec.domain.features = models::Json::parse(R"({"hyperv":{"relaxed":{"enabled":false}}})");
  spec.domain.firmware = models::Json::parse(R"({"bootloader":{"bios":{}}})");
  models::Sparse<models::Annotations> annotations;
  REQUIRE(it::apply("spec", &t, &p, spec, annotations).empty());
  CHECK(topology(spec).sockets == 2);
  CHECK(spec.domain.devices.disks[0].disk->bus == "sata");
  CHECK_FALSE(spec.domain.devices.disks[0].dedicatedIOThread);
  CHECK(spec.domain.devices.interfaces[0].model == "e1000e");
  CHECK(spec.domain.devices.autoattachInputDevice == std::optional<bool>(true));
  CHECK(spec.domain.devices.tpm == models::Json::parse(R"({"persistent":true})"));
  CHECK(spec.domain.features == models::Json::parse(
                                    R"({"acpi":{},"apic":{},"hyperv":{"relaxed":{"enabled":false},)"
                                    R"("spinlocks":{"spinlocks":8191},"vapic":{}},"smm":{}})"));
  CHECK(spec.domain.firmware == models::Json::parse(R"({"bootloader":{"bios":{}}})"));
  CHECK(spec.domain.clock == models::Json::parse(R"({"utc":{},"timer":{"hpet":{"present":false},"hyperv":{},)"
                                                 R"("pit":{"tickPolicy":"delay"},"rtc":{"tickPolicy":"catchup"}}})"));
  CHECK(spec.terminationGracePeriodSeconds == std::optional<std::int64_t>(3600));
}

TEST_CASE("a VM field the instance type also sets is a conflict named by its path, and nothing is applied") {
  const auto t = instancetype_spec("  cpu: {guest: 2}\n  memory: {guest: 4Gi}\n");
  const auto p = preference_spec("  devices: {preferredDiskBus: sata}\n");
  SECTION("guest memory") {
    auto spec = template_spec("        memory: {guest: 128Mi}\n");
    models::Sparse<models::Annotations> annotations;
    const auto c = it::apply("spec.template.spec", &t, &p, spec, annotations);
    REQUIRE(c.size() == 1);
    CHECK(c[0].field == "spec.template.spec.domain.memory");
    CHECK(c[0].text() == "VM field(s) spec.template.spec.domain.memory conflicts with selected instance type");
    CHECK_FALSE(spec.domain.devices.disks[0].disk);  // the preference was not applied
  }
  SECTION("CPU topology and requests, all named") {
    auto spec = template_spec("        cpu: {sockets: 2, cores: 1}\n        resources: {requests: {cpu: '2', memory: 1Gi}}\n");
    models::Sparse<models::Annotations> annotations;
    const auto c = it::apply("spec.template.spec", &t, nullptr, spec, annotations);
    std::vector<std::string> fields;
    for (const auto& x : c) fields.push_back(x.field);
    CHECK(fields == std::vector<std::string>{"spec.template.spec.domain.resources.requests.cpu",
                                             "spec.template.spec.domain.cpu.sockets",
                                             "spec.template.spec.domain.cpu.cores",
                                             "spec.template.spec.domain.resources.requests.memory"});
    CHECK(it::conflicts_text(c) ==
          "VM field(s) spec.template.spec.domain.resources.requests.cpu, spec.template.spec.domain.cpu.sockets, "
          "spec.template.spec.domain.cpu.cores, spec.template.spec.domain.resources.requests.memory conflicts with selected "
          "instance type");
  }
  SECTION("a CPU model is fine unless the instance type has one") {
    auto spec = template_spec();
    spec.domain.cpu = models::CPU{};
    spec.domain.cpu->model = "host-passthrough";
    models::Sparse<models::Annotations> annotations;
    CHECK(it::apply("spec", &t, nullptr, spec, annotations).empty());
    CHECK(spec.domain.cpu->model == "host-passthrough");
  }
}

TEST_CASE("overcommitPercent lowers the memory the pod requests below the guest memory") {
  const auto t = instancetype_spec("  cpu: {guest: 1}\n  memory: {guest: 4Gi, overcommitPercent: 50}\n");
  auto spec = template_spec();
  models::Sparse<models::Annotations> annotations;
  REQUIRE(it::apply("spec", &t, nullptr, spec, annotations).empty());
  CHECK(spec.domain.memory->guest->text() == "4Gi");
  CHECK(spec.domain.resources.requests.at("memory").text() == "2Gi");
}

TEST_CASE("a spread preference whose ratio does not divide the vCPUs is refused with upstream's message") {
  const auto p = preference_spec("  cpu: {preferredCPUTopology: spread, spreadOptions: {ratio: 4}}\n");
  const auto six = instancetype_spec("  cpu: {guest: 6}\n  memory: {guest: 1Gi}\n");
  const auto eight = instancetype_spec("  cpu: {guest: 8}\n  memory: {guest: 1Gi}\n");
  auto c = it::check_spread_topology(&six, &p);
  REQUIRE(c);
  CHECK(c->field == "instancetype.spec.cpu.guest");
  CHECK(c->text() == "6 vCPUs provided by the instance type are not divisible by the "
                     "Spec.PreferSpreadSocketToCoreRatio or Spec.CPU.PreferSpreadOptions.Ratio of 4 provided by the "
                     "preference");
  CHECK_FALSE(it::check_spread_topology(&eight, &p));
  const auto threads = preference_spec(
      "  cpu: {preferredCPUTopology: spread, spreadOptions: {across: SocketsCoresThreads, ratio: 2}}\n");
  auto odd = it::check_spread_topology(&six, &threads);
  REQUIRE(odd);
  CHECK(odd->text() == "6 vCPUs provided by the instance type are not divisible by the number of threads per core 2 "
                       "and Spec.PreferSpreadSocketToCoreRatio or Spec.CPU.PreferSpreadOptions.Ratio of 2");
}

TEST_CASE("an instance type smaller than the preference requires is refused with the requirement's message") {
  // u1.nano against windows.2k22's requirements (common-instancetypes v1.3.0).
  const auto nano = instancetype_spec("  cpu: {guest: 1}\n  memory: {guest: 512Mi}\n");
  const auto p = preference_spec("  requirements: {cpu: {guest: 1}, memory: {guest: 2Gi}}\n");
  auto f = it::check_requirements(&nano, &p, template_spec());
  REQUIRE(f);
  CHECK(f->fields == std::vector<std::string>{"spec.instancetype"});
  CHECK(f->message == "insufficient Memory resources of 512Mi provided by instance type, preference requires 2Gi");
  const auto cpu = preference_spec("  requirements: {cpu: {guest: 2}}\n");
  f = it::check_requirements(&nano, &cpu, template_spec());
  REQUIRE(f);
  CHECK(f->message == "insufficient CPU resources of 1 vCPU provided by instance type, preference requires 2 vCPU");
  // Without an instance type, the VM's own topology is measured in the preferred unit.
  auto spec = template_spec("        cpu: {sockets: 1, cores: 4, threads: 1}\n        memory: {guest: 1Gi}\n");
  f = it::check_requirements(nullptr, &cpu, spec);
  REQUIRE(f);
  CHECK(f->fields == std::vector<std::string>{"spec.template.spec.domain.cpu.sockets"});
  CHECK(f->message ==
        "insufficient CPU resources of 1 vCPU provided by VirtualMachine, preference requires 2 vCPU provided as sockets");
}
