// Instance types and preferences in a running cluster: the common ones
// virt-operator installs (common-instancetypes v1.3.0), a VM expanded from
// them, its ControllerRevisions pinning the instance type across an edit until
// the VM is re-created, virt-api's refusals, inferFromVolume, and
// `virtctl create vm ... | apply -f -`.
#include "models/controller_revision.hpp"
#include "models/instancetype.hpp"
#include "small_cluster.hpp"

using namespace kvsim;
using testing::run_ok;

namespace {

std::string vm_with_instancetype(const std::string& name, const std::string& instancetype_matcher,
                                 const std::string& preference_matcher, const std::string& domain_extra = "") {
  return "apiVersion: kubevirt.io/v1\nkind: VirtualMachine\nmetadata: {name: " + name +
         ", namespace: default}\nspec:\n  runStrategy: Always\n  instancetype: " + instancetype_matcher +
         "\n" + (preference_matcher.empty() ? "" : "  preference: " + preference_matcher + "\n") +
         "  template:\n    spec:\n      domain:\n        devices: {}\n" + domain_extra +
         "      volumes:\n      - {name: rootdisk, containerDisk: {image: quay.io/containerdisks/fedora:41}}\n";
}

// The error a command line gives (failing the test if it succeeds).
std::string refusal_of(sim::commands::Executor& ex, const std::string& line) {
  auto out = ex.run(line);
  INFO(line << " -> " << out.output);
  REQUIRE_FALSE(out.ok());
  return out.error;
}

std::int32_t guest_cpus(const models::VirtualMachineInstance& vmi) {
  const auto& cpu = *vmi.spec.domain.cpu;
  return cpu.sockets.value_or(1) * cpu.cores.value_or(1) * cpu.threads.value_or(1);
}

}  // namespace

TEST_CASE("the cluster starts with virt-operator's common instance types and preferences, as common-instancetypes v1.3.0 defines them") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  auto& store = cluster.store();
  CHECK(store.list(models::VirtualMachineClusterInstancetype::kind_info()).size() == 44);
  CHECK(store.list(models::VirtualMachineClusterPreference::kind_info()).size() == 39);
  struct Size {
    const char* name;
    std::int32_t cpus;
    const char* memory;
  };
  for (const auto& s : std::vector<Size>{{"u1.nano", 1, "512Mi"}, {"u1.medium", 1, "4Gi"}, {"u1.2xmedium", 2, "4Gi"},
                                        {"u1.8xlarge", 32, "128Gi"}, {"o1.small", 1, "2Gi"}, {"cx1.2xlarge", 8, "16Gi"},
                                        {"m1.large", 2, "16Gi"}, {"n1.medium", 4, "4Gi"}}) {
    INFO(s.name);
    auto t = store.get<models::VirtualMachineClusterInstancetype>("", s.name);
    REQUIRE(t);
    CHECK(t->spec.cpu.guest == s.cpus);
    CHECK(t->spec.memory.guest.text() == s.memory);
    CHECK(t->metadata.labels.at("instancetype.kubevirt.io/vendor") == "kubevirt.io");
  }
  CHECK(store.get<models::VirtualMachineClusterInstancetype>("", "o1.small")->spec.memory.overcommitPercent == 50);
  CHECK(store.get<models::VirtualMachineClusterInstancetype>("", "cx1.2xlarge")->spec.cpu.dedicatedCPUPlacement ==
        std::optional<bool>(true));
  for (const char* p : {"fedora", "rhel.8", "rhel.9", "centos.stream9", "windows.2k19", "windows.2k22", "windows.11"})
    CHECK(store.get<models::VirtualMachineClusterPreference>("", p));
  auto win = store.get<models::VirtualMachineClusterPreference>("", "windows.2k22");
  CHECK(win->metadata.labels.at("instancetype.kubevirt.io/os-type") == "windows");
  CHECK(win->spec.devices->preferredDiskBus == "sata");
  CHECK(win->spec.requirements->memory->guest.text() == "2Gi");

  // kubectl's names: short names, and CRD columns (NAME, AGE).
  const auto table = run_ok(ex, "get vmcf");
  CHECK(table.starts_with("NAME          AGE\ncx1.2xlarge   "));
  CHECK(table.find("\nu1.medium     ") != std::string::npos);
  CHECK(run_ok(ex, "get vmcps fedora").starts_with("NAME     AGE\nfedora   "));
  CHECK(run_ok(ex, "get virtualmachineclusterinstancetype u1.nano -o yaml").find("    guest: 512Mi\n") !=
        std::string::npos);
  CHECK(run_ok(ex, "describe vmcf u1.medium").find("Guest:  4Gi") != std::string::npos);
  // Installed before any user object: nothing in the trace, nothing drawn from the cluster's generator.
  CHECK(testing::first_record(cluster, "VirtualMachineClusterInstancetype", "u1.medium", "created") < 0);
}

TEST_CASE("a VM with an instance type and a preference gets a VMI with their CPU, memory and devices, pinned by ControllerRevisions") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  testing::apply_yaml(cluster, vm_with_instancetype("vm-fedora", "{name: u1.2xmedium}", "{name: fedora}"));
  REQUIRE(testing::run_until_true(cluster, 120, [&] { return testing::vmi_running(cluster, "vm-fedora"); }) > 0);
  auto vmi = testing::vmi(cluster, "vm-fedora");
  CHECK(vmi->spec.domain.cpu->sockets == std::optional<std::int32_t>(2));
  CHECK(vmi->spec.domain.memory->guest->text() == "4Gi");
  CHECK(vmi->spec.domain.devices.disks.at(0).disk->bus == "virtio");
  CHECK(vmi->spec.domain.devices.interfaces.at(0).model == "virtio");
  CHECK(vmi->spec.domain.firmware == models::Json::parse(R"({"bootloader":{"efi":{"secureBoot":true}}})"));
  CHECK(vmi->metadata.annotations.at("vm.kubevirt.io/os") == "linux");

  auto vm = cluster.store().get<models::VirtualMachine>("default", "vm-fedora");
  REQUIRE(vm->status.instancetypeRef);
  const auto it_uid = cluster.store().get<models::VirtualMachineClusterInstancetype>("", "u1.2xmedium")->metadata.uid;
  const auto revision = "vm-fedora-u1.2xmedium-v1beta1-" + it_uid + "-1";
  CHECK(vm->status.instancetypeRef->name == "u1.2xmedium");
  CHECK(vm->status.instancetypeRef->controllerRevisionRef->name == revision);
  REQUIRE(vm->status.preferenceRef);
  auto cr = cluster.store().get<models::ControllerRevision>("default", revision);
  REQUIRE(cr);
  CHECK(cr->metadata.controller_ref()->uid == vm->metadata.uid);
  CHECK(cr->metadata.labels.at("instancetype.kubevirt.io/object-kind") == "VirtualMachineClusterInstancetype");
  CHECK(cr->data["spec"]["cpu"]["guest"] == 2);
  CHECK_FALSE(cr->data["metadata"].contains("labels"));
  // kubectl's ControllerRevision columns.
  const auto rows = run_ok(ex, "get controllerrevisions");
  CHECK(rows.starts_with("NAME"));
  CHECK(rows.find(revision + "   virtualmachine.kubevirt.io/vm-fedora   0          ") != std::string::npos);
  // The stored VM keeps its short template.
  CHECK_FALSE(vm->spec.template_.spec.domain.memory);

  // Deleting the VM collects its revisions (owner references).
  run_ok(ex, "delete vm vm-fedora");
  testing::run_until_true(cluster, cluster.now() + 120,
                          [&] { return !cluster.store().get<models::ControllerRevision>("default", revision); });
  CHECK_FALSE(cluster.store().get<models::ControllerRevision>("default", revision));
}

TEST_CASE("editing an instance type leaves a VM on its ControllerRevision, across a restart, until the VM is re-created") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  const auto small = [](int cpus, const char* memory) {
    return "apiVersion: instancetype.kubevirt.io/v1beta1\nkind: VirtualMachineInstancetype\nmetadata: {name: "
           "small, namespace: default}\nspec:\n  cpu: {guest: " + std::to_string(cpus) + "}\n  memory: {guest: " +
           memory + "}\n";
  };
  const auto it_file = testing::write_file("small.yaml", small(1, "1Gi"));
  const auto vm_file = testing::write_file(
      "vm-small.yaml", vm_with_instancetype("vm-small", "{kind: VirtualMachineInstancetype, name: small}", ""));
  run_ok(ex, "apply -f " + it_file);
  run_ok(ex, "apply -f " + vm_file);
  REQUIRE(testing::run_until_true(cluster, 120, [&] { return testing::vmi_running(cluster, "vm-small"); }) > 0);
  CHECK(guest_cpus(*testing::vmi(cluster, "vm-small")) == 1);

  // The edit bumps the instance type's generation; the VM keeps generation 1's copy.
  testing::write_file("small.yaml", small(2, "2Gi"));
  CHECK(run_ok(ex, "apply -f " + it_file) == "virtualmachineinstancetype.instancetype.kubevirt.io/small configured\n");
  const auto first_uid = testing::vmi(cluster, "vm-small")->metadata.uid;
  run_ok(ex, "restart vm-small");
  REQUIRE(testing::run_until_true(cluster, cluster.now() + 180, [&] {
            auto v = testing::vmi(cluster, "vm-small");
            return v && v->metadata.uid != first_uid && v->status.phase == "Running";
          }) > 0);
  auto vmi = testing::vmi(cluster, "vm-small");
  CHECK(guest_cpus(*vmi) == 1);
  CHECK(vmi->spec.domain.memory->guest->text() == "1Gi");

  // Re-created, the VM takes the instance type as it is now.
  run_ok(ex, "delete vm vm-small");
  testing::run_until_true(cluster, cluster.now() + 120,
                          [&] { return !cluster.store().get<models::VirtualMachine>("default", "vm-small"); });
  run_ok(ex, "apply -f " + vm_file);
  REQUIRE(testing::run_until_true(cluster, cluster.now() + 120, [&] { return testing::vmi_running(cluster, "vm-small"); }) > 0);
  vmi = testing::vmi(cluster, "vm-small");
  CHECK(guest_cpus(*vmi) == 2);
  CHECK(vmi->spec.domain.memory->guest->text() == "2Gi");
  auto vm = cluster.store().get<models::VirtualMachine>("default", "vm-small");
  CHECK(vm->status.instancetypeRef->controllerRevisionRef->name.ends_with("-2"));
}

TEST_CASE("virt-api refuses a VM whose instance type is missing, conflicts with it, or is too small for its preference, and stores nothing") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  const auto refused = [&](const std::string& name, const std::string& yaml) {
    const auto file = testing::write_file(name + ".yaml", yaml);
    const auto error = refusal_of(ex, "apply -f " + file);
    CHECK_FALSE(cluster.store().get<models::VirtualMachine>("default", name));
    return error;
  };
  // kubectl shows virt-api's causes, each with its field.
  CHECK(refused("vm-a", vm_with_instancetype("vm-a", "{name: u1.huge}", "")) ==
        "The request is invalid: spec.instancetype: Failure to find instancetype: "
        "virtualmachineclusterinstancetypes.instancetype.kubevirt.io \"u1.huge\" not found");
  CHECK(refused("vm-b", vm_with_instancetype("vm-b", "{name: u1.small}", "{name: fedora-ish}")) ==
        "The request is invalid: spec.preference: Failure to find preference: "
        "virtualmachineclusterpreferences.instancetype.kubevirt.io \"fedora-ish\" not found");
  CHECK(refused("vm-c", vm_with_instancetype("vm-c", "{name: u1.small}", "", "        memory: {guest: 2Gi}\n")) ==
        "The request is invalid: spec.template.spec.domain.memory: VM field(s) spec.template.spec.domain.memory "
        "conflicts with selected instance type");
  CHECK(refused("vm-d", vm_with_instancetype("vm-d", "{name: u1.nano}", "{name: windows.2k22}")) ==
        "The request is invalid: spec.instancetype: failure checking preference requirements: insufficient Memory "
        "resources of 512Mi provided by instance type, preference requires 2Gi");
  CHECK(refused("vm-e", vm_with_instancetype("vm-e", "{name: u1.small, kind: VirtualMachineFlavor}", ""))
            .ends_with("Failure to find instancetype: got unexpected kind in InstancetypeMatcher: VirtualMachineFlavor"));
  CHECK(cluster.store().list(models::ControllerRevision::kind_info()).empty());
}

TEST_CASE("inferFromVolume names the instance type and preference from the claim's labels") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  testing::apply_yaml(cluster, R"(
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: rhel9-root
  namespace: default
  labels:
    instancetype.kubevirt.io/default-instancetype: u1.medium
    instancetype.kubevirt.io/default-preference: rhel.9
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 30Gi}}
)");
  const std::string vm = R"(apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: vm-rhel, namespace: default}
spec:
  runStrategy: Halted
  instancetype: {inferFromVolume: rootdisk}
  preference: {inferFromVolume: rootdisk}
  template:
    spec:
      domain: {devices: {}}
      volumes:
      - {name: rootdisk, persistentVolumeClaim: {claimName: rhel9-root}}
)";
  testing::apply_yaml(cluster, vm);
  auto stored = cluster.store().get<models::VirtualMachine>("default", "vm-rhel");
  CHECK(stored->spec.instancetype->name == "u1.medium");
  CHECK(stored->spec.instancetype->inferFromVolume.empty());
  CHECK(stored->spec.preference->name == "rhel.9");
  // A label missing: refused by the mutating webhook (no Ignore policy).
  const auto file = testing::write_file("vm-bad.yaml", R"(apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: vm-bad, namespace: default}
spec:
  instancetype: {inferFromVolume: scratch}
  template:
    spec:
      domain: {devices: {}}
      volumes:
      - {name: scratch, containerDisk: {image: quay.io/containerdisks/fedora:41}}
)");
  CHECK(refusal_of(ex, "apply -f " + file).ends_with(
      "admission webhook \"virtualmachines-mutator.kubevirt.io\" denied the request: unable to infer defaults from "
      "volume scratch as type is not supported"));
}

TEST_CASE("virtctl create vm prints virtctl's manifest, and piped to apply -f - the VM runs from it") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  const auto manifest = run_ok(ex, "virtctl create vm --name vm-ct --instancetype u1.small --preference fedora "
                                   "--volume-containerdisk src:quay.io/containerdisks/fedora:41");
  CHECK(manifest == R"(apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata:
  creationTimestamp: null
  name: vm-ct
spec:
  instancetype:
    name: u1.small
  preference:
    name: fedora
  runStrategy: Always
  template:
    metadata:
      creationTimestamp: null
    spec:
      domain:
        devices: {}
        resources: {}
      terminationGracePeriodSeconds: 180
      volumes:
      - containerDisk:
          image: quay.io/containerdisks/fedora:41
        name: vm-ct-containerdisk-0
status: {}
)");
  CHECK(run_ok(ex, "virtctl create vm --name vm-ct --instancetype u1.small --preference fedora "
                   "--volume-containerdisk src:quay.io/containerdisks/fedora:41 | apply -f -") ==
        "virtualmachine.kubevirt.io/vm-ct created\n");
  REQUIRE(testing::run_until_true(cluster, 120, [&] { return testing::vmi_running(cluster, "vm-ct"); }) > 0);
  CHECK(testing::vmi(cluster, "vm-ct")->spec.domain.memory->guest->text() == "2Gi");
  CHECK(refusal_of(ex, "virtctl create vm --instancetype u1.small --memory 1Gi") ==
        "if any flags in the group [memory instancetype infer-instancetype infer-instancetype-from] are set none of "
        "the others can be; [instancetype memory] were all set");
  CHECK(refusal_of(ex, "virtctl create vm --run-strategy Sometimes") ==
        "failed to parse \"--run-strategy\" flag: invalid run strategy \"Sometimes\", supported values are: Always, "
        "Manual, Halted, Once, RerunOnFailure");
  CHECK(refusal_of(ex, "virtctl create vm --flavor big") == "unknown flag: --flavor");
}

TEST_CASE("a VM whose instance type is gone by its first sync shows the Failure condition, and starts once it is back") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  const std::string small = "apiVersion: instancetype.kubevirt.io/v1beta1\nkind: VirtualMachineInstancetype\n"
                            "metadata: {name: small, namespace: default}\nspec:\n  cpu: {guest: 1}\n"
                            "  memory: {guest: 1Gi}\n";
  testing::apply_yaml(cluster, small);
  testing::apply_yaml(cluster, vm_with_instancetype("vm-late", "{kind: VirtualMachineInstancetype, name: small}", ""));
  // Deleted before virt-controller sees the VM (virt-api admitted it while it existed).
  cluster.store().remove(models::VirtualMachineInstancetype::kind_info(), "default", "small",
                         sim::api::Cause{"user", "", "test"});
  cluster.run_until(cluster.now() + 5);
  auto vm = cluster.store().get<models::VirtualMachine>("default", "vm-late");
  const auto* failure = models::find_condition(vm->status.conditions, "Failure");
  REQUIRE(failure);
  CHECK(failure->status == "True");
  CHECK(failure->reason == "FailedCreate");
  CHECK(failure->message == "error encountered while storing instancetype.kubevirt.io controllerRevisions: "
                            "virtualmachineinstancetypes.instancetype.kubevirt.io \"small\" not found");
  CHECK_FALSE(testing::vmi(cluster, "vm-late"));
  CHECK(run_ok(ex, "describe vm vm-late").find("FailedCreate") != std::string::npos);

  testing::apply_yaml(cluster, small);
  REQUIRE(testing::run_until_true(cluster, cluster.now() + 120, [&] { return testing::vmi_running(cluster, "vm-late"); }) > 0);
  vm = cluster.store().get<models::VirtualMachine>("default", "vm-late");
  CHECK_FALSE(models::find_condition(vm->status.conditions, "Failure"));
  CHECK(vm->status.instancetypeRef->controllerRevisionRef);
}
