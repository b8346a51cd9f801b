// Consoles end to end: serial (interactive and --exec), VNC and RDP, and
// what a dead node or a missing guest agent does to them.
#include "small_cluster.hpp"

#include "models/kubevirt.hpp"

using namespace kvsim;
using testing::run_ok;

namespace {

const char* kVms = R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: cirros, namespace: default}
spec:
  runStrategy: Always
  template:
    spec:
      domain:
        devices:
          disks:
          - name: rootdisk
            disk: {bus: virtio}
        resources: {requests: {memory: 128Mi}}
      volumes:
      - name: rootdisk
        containerDisk: {image: quay.io/kubevirt/cirros-container-disk-demo}
---
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: win, namespace: default}
spec:
  runStrategy: Always
  template:
    spec:
      domain:
        features: {hyperv: {relaxed: {}}}
        devices:
          disks:
          - name: rootdisk
            disk: {bus: sata}
        resources: {requests: {memory: 1Gi}}
      volumes:
      - name: rootdisk
        containerDisk: {image: registry.example/windows-2022:latest}
)";

bool running(sim::cluster::Cluster& c, const char* name) {
  auto vmi = c.store().get<models::VirtualMachineInstance>("default", name);
  return vmi && vmi->status.phase == "Running";
}

}  // namespace

TEST_CASE("serial console, VNC and RDP of running VMIs, and their refusals") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  cluster.run_until(0);
  testing::apply_yaml(cluster, kVms);

  // Before the guest runs, virt-api refuses (pkg/virt-api/rest: "VMI is not running").
  cluster.run_until(1);
  CHECK(exec.run("console cirros").error == "error: can't access VMI cirros: VMI is not running");
  CHECK(exec.run("console nope").error ==
        "Error from server (NotFound): virtualmachineinstances.kubevirt.io \"nope\" not found");

  REQUIRE(testing::run_until_true(cluster, 60, [&] { return running(cluster, "cirros") && running(cluster, "win"); }) > 0);
  cluster.run_until(cluster.now() + 120);

  CHECK(run_ok(exec, "console cirros --exec 'uname -r'") == "5.3.0-26-generic\n");
  CHECK(run_ok(exec, "console cirros --exec 'ip -br a'").find("eth0             UP             10.0.2.2/24") !=
        std::string::npos);
  auto missing = exec.run("console cirros --exec htop");
  CHECK(missing.output == "-sh: htop: not found\n");
  CHECK(missing.error == "command terminated with exit code 127");

  // Interactive: the shell's lines go to the guest until the escape sequence.
  const auto connected = run_ok(exec, "console cirros");
  CHECK_THAT(connected, Catch::StartsWith("Successfully connected to cirros console. The escape sequence is ^]\n"));
  CHECK_THAT(connected, Catch::EndsWith("cirros login: "));
  CHECK(exec.console_attached());
  CHECK(run_ok(exec, "cirros") == "Password: ");
  CHECK(run_ok(exec, "gocubsgo") == "$ ");
  CHECK(run_ok(exec, "hostname") == "cirros\n$ ");
  CHECK(run_ok(exec, "~.") == "\n");
  CHECK_FALSE(exec.console_attached());
  CHECK_THAT(run_ok(exec, "get vmi cirros"), Catch::Contains("Running"));

  // VNC: the proxy's port as JSON, or the path a viewer's frames take.
  CHECK_THAT(run_ok(exec, "vnc cirros --proxy-only --port 5901"), Catch::Equals("{\"port\":5901}\n"));
  const auto vnc = run_ok(exec, "vnc cirros");
  CHECK_THAT(vnc, Catch::Contains("virtualmachineinstances/cirros/vnc"));
  CHECK_THAT(vnc, Catch::Contains("virt-launcher   pod virt-launcher-cirros-"));

  // RDP: a Linux guest serves none; a Windows guest needs its guest agent.
  CHECK_THAT(exec.run("rdp cirros").error, Catch::Contains("which serves no RDP"));
  CHECK_THAT(exec.run("rdp win").error,
             Catch::Contains("VMI does not have guest agent connected"));

  // A dead node: the VMI still reads Running, but nothing reaches the guest.
  auto vmi = cluster.store().get<models::VirtualMachineInstance>("default", "cirros");
  const std::string node = vmi->status.nodeName;
  run_ok(exec, "node fail " + node);
  cluster.run_until(cluster.now() + 5);
  CHECK(running(cluster, "cirros"));
  CHECK_THAT(exec.run("console cirros --exec hostname").error,
             Catch::Contains("virt-handler on " + node + " does not answer (the node is down)"));
  cluster.shutdown();
}
