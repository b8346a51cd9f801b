// Hybrid mode with a real QEMU guest on qemu:///system: it boots to its ready
// marker, answers on its serial console, and a `virsh destroy` from outside is
// a crash the VM's runStrategy Always recovers from with a new real domain.
// Needs `scripts/setup --hybrid`; without its guest image or a reachable
// qemu:///system the program exits 77 and ctest reports the test as skipped.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <libvirt/libvirt.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "../scenarios/small_cluster.hpp"
#include "models/kubevirt.hpp"
#include "sim/hypervisor/libvirt_hypervisor.hpp"
#include "sim/hypervisor/libvirt_runtime.hpp"

using namespace kvsim;

namespace {

constexpr const char* kUri = "qemu:///system";

std::string guest_file(const char* name) { return sim::hypervisor::guest_dir() + "/" + name; }

// What `virsh` prints, for the test's eyes and hands (the real command, from outside kvsim).
std::string virsh(const std::string& args) {
  std::string out;
  if (FILE* p = popen(("virsh -c qemu:///system " + args + " 2>&1").c_str(), "r")) {
    char buf[512];
    while (fgets(buf, sizeof buf, p)) out += buf;
    pclose(p);
  }
  return out;
}

std::shared_ptr<const models::VirtualMachineInstance> vmi_of(sim::cluster::Cluster& c) {
  return c.store().get<models::VirtualMachineInstance>("default", "vm1");
}

double when_phase(sim::cluster::Cluster& c, const std::string& phase, double limit, const std::string& not_uid = "") {
  return testing::run_until_true(
      c, limit,
      [&] {
        auto vmi = vmi_of(c);
        return vmi && vmi->metadata.uid != not_uid && vmi->status.phase == phase;
      },
      0.25);
}

constexpr const char* kVm = R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: vm1, namespace: default}
spec:
  runStrategy: Always
  template:
    spec:
      domain:
        devices:
          disks:
          - name: rootdisk
            disk: {bus: virtio}
        resources: {requests: {memory: 256Mi}}
      volumes:
      - name: rootdisk
        containerDisk: {image: quay.io/kubevirt/cirros-container-disk-demo}
)";

}  // namespace

TEST_CASE("Hybrid QEMU: a real guest boots and answers uname -r on its serial console and comes back after virsh destroy") {
  std::ifstream release_file(guest_file("kernel-release"));
  std::string release;
  std::getline(release_file, release);
  REQUIRE_FALSE(release.empty());

  const std::string domain = "kvsim-" + sim::hypervisor::run_id() + "-default_vm1";
  {
    auto options = testing::small_cluster_options();
    for (auto& node : options.platform.nodes) node.hypervisor = kUri;
    sim::cluster::Cluster cluster(options);
    sim::commands::Executor exec(cluster);
    testing::apply_yaml(cluster, kVm);
    const double running = when_phase(cluster, "Running", 90);
    REQUIRE(running > 0);
    CHECK_THAT(virsh("domstate " + domain), Catch::StartsWith("running\n"));
    // The sim clock followed the wall clock while the guest booted (x1).
    CHECK(sim::hypervisor::wall_clock_sim_time().has_value());

    CHECK(testing::run_ok(exec, "console vm1 --exec \"uname -r\"") == release + "\n");
    CHECK_THAT(testing::run_ok(exec, "vnc vm1"), Catch::StartsWith("A VNC viewer connects to vnc://127.0.0.1:59"));

    const auto first = vmi_of(cluster)->metadata.uid;
    REQUIRE_THAT(virsh("destroy " + domain), Catch::Contains("destroyed"));
    REQUIRE(when_phase(cluster, "Failed", cluster.now() + 30) > 0);
    CHECK(vmi_of(cluster)->metadata.uid == first);
    // runStrategy Always: a new VMI, a new real domain, booted to its ready marker again.
    REQUIRE(when_phase(cluster, "Running", cluster.now() + 90, first) > 0);
    CHECK_THAT(virsh("domstate " + domain), Catch::StartsWith("running\n"));
    CHECK(testing::run_ok(exec, "console vm1 --exec \"echo hello from $(hostname)\"") == "hello from kvsim-guest\n");

    // virtctl stop: virt-launcher presses the ACPI power button, the guest's acpid powers it off
    // well within the 30 s grace period: Succeeded, not Failed.
    const double stop_at = cluster.now();
    testing::run_ok(exec, "stop vm1");
    const double succeeded = when_phase(cluster, "Succeeded", stop_at + 25);
    REQUIRE(succeeded > 0);
    CHECK(succeeded - stop_at < 15);
  }
  // kvsim destroyed and undefined its domain on the way out.
  CHECK_THAT(virsh("list --all --name"), !Catch::Contains(domain));
}

TEST_CASE("Hybrid QEMU bad input: a missing guest image fails the VMI with the path and how to fix it") {
  ::setenv("KVSIM_GUEST_DIR", "/nonexistent-guest", 1);
  auto options = testing::small_cluster_options();
  for (auto& node : options.platform.nodes) node.hypervisor = kUri;
  sim::cluster::Cluster cluster(options);
  testing::apply_yaml(cluster, kVm);
  REQUIRE(when_phase(cluster, "Failed", 60) > 0);
  ::unsetenv("KVSIM_GUEST_DIR");
  const auto* sync = models::find_condition(vmi_of(cluster)->status.conditions, "Synchronized");
  REQUIRE(sync);
  CHECK(sync->message ==
        "server error. command SyncVMI failed: \"guest image /nonexistent-guest/vmlinuz does not exist; run scripts/setup "
        "--hybrid (it installs and starts libvirtd and builds the guest)\"");
}

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  if (!fs::exists(guest_file("vmlinuz")) || !fs::exists(guest_file("initrd.img"))) {
    std::printf("skipped: no guest in %s (run scripts/setup --hybrid)\n", sim::hypervisor::guest_dir().c_str());
    return 77;
  }
  if (virConnectPtr c = virConnectOpen(kUri)) {
    virConnectClose(c);
  } else {
    std::printf("skipped: %s does not answer (run scripts/setup --hybrid)\n", kUri);
    return 77;
  }
  return Catch::Session().run(argc, argv);
}
