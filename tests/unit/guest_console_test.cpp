// The simulated guest behind `console`, `vnc` and `rdp`: what it is taken
// for, what its serial line prints, and what its shell answers.
#include <catch2/catch.hpp>

#include "models/manifest.hpp"
#include "sim/guest/serial_console.hpp"

using namespace kvsim;
using sim::guest::GuestView;

namespace {

models::VMISpec spec_of(const std::string& volumes_yaml, const std::string& extra = "") {
  const std::string yaml = R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachineInstance
metadata: {name: vmi1, namespace: default}
spec:
  domain:
)" + extra + R"(
    devices:
      disks:
      - name: rootdisk
        disk: {bus: virtio}
      interfaces:
      - name: default
        masquerade: {}
    resources: {requests: {memory: 128Mi}}
  networks:
  - name: default
    pod: {}
  volumes:
)" + volumes_yaml;
  auto loaded = models::load_manifests(yaml, "vmi.yaml");
  for (const auto& p : loaded.problems) FAIL(p.str());
  REQUIRE(loaded.objects.size() == 1);
  return static_cast<const models::VirtualMachineInstance&>(*loaded.objects[0]).spec;
}

const char* kCirros = R"(
  - name: rootdisk
    containerDisk: {image: quay.io/kubevirt/cirros-container-disk-demo}
)";

GuestView view() { return {"vmi1", {{"eth0", "10.0.2.2/24"}}, 330, {}}; }

}  // namespace

TEST_CASE("the guest is recognised from its boot disk image and its Hyper-V features") {
  CHECK(sim::guest::identify_guest(spec_of(kCirros)).family == "cirros");
  const auto fedora = sim::guest::identify_guest(spec_of(R"(
  - name: rootdisk
    containerDisk: {image: quay.io/containerdisks/fedora:40}
)"));
  CHECK(fedora.family == "fedora");
  CHECK(fedora.user == "fedora");
  CHECK(fedora.password.empty());  // no cloud-init: nobody can log in on the console
  const auto windows = sim::guest::identify_guest(spec_of(R"(
  - name: rootdisk
    persistentVolumeClaim: {claimName: disk-2022}
)",
                                                          "    features: {hyperv: {relaxed: {}}}\n"));
  CHECK(windows.windows());
}

TEST_CASE("cloud-init user data sets the console login") {
  const auto os = sim::guest::identify_guest(spec_of(R"(
  - name: rootdisk
    containerDisk: {image: quay.io/containerdisks/fedora:40}
  - name: cloudinit
    cloudInitNoCloud:
      userData: |
        #cloud-config
        user: trainee
        password: "redhat"
        chpasswd: {expire: false}
)"));
  CHECK(os.user == "trainee");
  CHECK(os.password == "redhat");
}

TEST_CASE("the serial console shows the boot log and the login prompt") {
  const auto os = sim::guest::identify_guest(spec_of(kCirros));
  const auto screen = sim::guest::boot_screen(os, view());
  CHECK_THAT(screen, Catch::Contains("Linux version 5.3.0-26-generic"));
  CHECK_THAT(screen, Catch::EndsWith("login as 'cirros' user. default password: 'gocubsgo'. use 'sudo' for root.\n"
                                     "vmi1 login: "));
}

TEST_CASE("the guest shell answers uname, hostname, ip and uptime, and refuses unknown commands") {
  const auto os = sim::guest::identify_guest(spec_of(kCirros));
  CHECK(sim::guest::run_in_guest(os, view(), "uname -r").output == "5.3.0-26-generic\n");
  CHECK(sim::guest::run_in_guest(os, view(), "hostname").output == "vmi1\n");
  CHECK(sim::guest::run_in_guest(os, view(), "ip -br a").output ==
        "lo               UNKNOWN        127.0.0.1/8 ::1/128\n"
        "eth0             UP             10.0.2.2/24\n");
  CHECK(sim::guest::run_in_guest(os, view(), "uptime").output ==
        " up 5 min,  1 user,  load average: 0.00, 0.00, 0.00\n");
  const auto missing = sim::guest::run_in_guest(os, view(), "htop");
  CHECK(missing.output == "-sh: htop: not found\n");
  CHECK(missing.exit_code == 127);
}

TEST_CASE("logging in on the serial line needs the right password") {
  const auto os = sim::guest::identify_guest(spec_of(kCirros));
  sim::guest::LoginSession login;
  CHECK(login.feed(os, view(), "cirros") == "Password: ");
  CHECK_THAT(login.feed(os, view(), "letmein"), Catch::StartsWith("\nLogin incorrect\n"));
  CHECK(login.state() == sim::guest::LoginSession::State::User);
  login.feed(os, view(), "cirros");
  CHECK(login.feed(os, view(), "gocubsgo") == "$ ");
  CHECK(login.feed(os, view(), "whoami") == "cirros\n$ ");
  CHECK_THAT(login.feed(os, view(), "exit"), Catch::EndsWith("vmi1 login: "));
}
