// Consoles end to end: serial (interactive and --exec), VNC and RDP, and
// what a dead node or a missing guest agent does to them.
#include "small_cluster.hpp"

#include "models/kubevirt.hpp"

using namespace kvsim;
using testing::run_ok;
using testing::vmi_running;

namespace {

const char* kConsoleVms = R"(
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

}  // namespace

TEST_CASE("serial console, VNC and RDP of running VMIs, and their refusals") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  cluster.run_until(0);
  testing::apply_yaml(cluster, kConsoleVms);

  // Before the guest runs, virt-api refuses with a 400 ("VMI is not running"), and virtctl asks
  // again every second (kubecli SerialConsole): the console attaches once the VMI runs.
  cluster.run_until(1);
  CHECK_FALSE(vmi_running(cluster, "cirros"));
  const double asked = cluster.now();
  CHECK(run_ok(exec, "console cirros --exec hostname") == "cirros\n");
  CHECK(vmi_running(cluster, "cirros"));
  CHECK(cluster.now() > asked);
  CHECK(cluster.now() < asked + 60);
  // A missing VMI is a 404: no retry.
  CHECK(exec.run("console nope").error ==
        "Error from server (NotFound): virtualmachineinstances.kubevirt.io \"nope\" not found");

  REQUIRE(testing::run_until_true(cluster, 60,
                                  [&] { return vmi_running(cluster, "cirros") && vmi_running(cluster, "win"); }) > 0);
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

  // RDP: a Linux guest serves none. A Windows guest on the pod network needs a Service
  // exposing port 3389 (the web console's desktop viewer), not its guest agent.
  CHECK_THAT(exec.run("rdp cirros").error, Catch::Contains("which serves no RDP"));
  CHECK(exec.run("rdp win").error ==
        "error: can't open the desktop viewer (RDP) of VMI win: This is a Windows VirtualMachine but no Service for "
        "the RDP (Remote Desktop Protocol) can be found. Create one exposing port 3389/tcp of the VM (`expose vm win "
        "--name win-rdp --port 3389 --type NodePort`), or use `vnc win`");
  // A Service on another port, or selecting another VM, is not the RDP Service.
  run_ok(exec, "expose vm cirros --name cirros-rdp --port 3389");
  run_ok(exec, "expose vm win --name win-ssh --port 22");
  CHECK_THAT(exec.run("rdp win").error, Catch::Contains("no Service for the RDP"));
  run_ok(exec, "expose vm win --name win-rdp --port 3389 --type NodePort");
  const auto rdp = run_ok(exec, "rdp win");
  CHECK_THAT(rdp, Catch::StartsWith("RDP to VMI default/win (Microsoft Windows Server 2022"));
  CHECK_THAT(rdp, Catch::Contains("Service win-rdp (NodePort) exposes the guest's port 3389 at "));
  CHECK_FALSE(models::find_condition(cluster.store().get<models::VirtualMachineInstance>("default", "win")->status.conditions,
                                     "AgentConnected"));

  // A dead node: the VMI still reads Running, but nothing reaches the guest.
  auto vmi = cluster.store().get<models::VirtualMachineInstance>("default", "cirros");
  const std::string node = vmi->status.nodeName;
  run_ok(exec, "node fail " + node);
  cluster.run_until(cluster.now() + 5);
  CHECK(vmi_running(cluster, "cirros"));
  CHECK_THAT(exec.run("console cirros --exec hostname").error,
             Catch::Contains("virt-handler on " + node + " does not answer (the node is down)"));
  cluster.shutdown();
}

TEST_CASE("console on a VMI that never starts gives up after --timeout minutes, as virtctl does") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  cluster.run_until(0);
  // Far more memory than any node has: the VMI stays Scheduling.
  testing::apply_yaml(cluster, R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachineInstance
metadata: {name: huge, namespace: default}
spec:
  domain:
    devices: {}
    resources: {requests: {memory: 4Ti}}
)");
  cluster.run_until(5);
  const double asked = cluster.now();
  CHECK(exec.run("console huge --timeout=1").error == "error: Timeout trying to connect to the virtual machine instance");
  CHECK(cluster.now() == Approx(asked + 60).margin(1));
  cluster.shutdown();
}

TEST_CASE("RDP on an L2 network needs the guest agent to learn the guest's address, not a Service") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  cluster.run_until(0);
  auto windows_on_l2 = [](const std::string& name, const std::string& agent) {
    return R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: )" + name + R"(, namespace: default}
spec:
  runStrategy: Always
  template:
    metadata:
      annotations: {kvsim.io/guest-agent: ")" + agent + R"("}
    spec:
      domain:
        features: {hyperv: {relaxed: {}}}
        devices:
          disks: [{name: rootdisk, disk: {bus: sata}}]
          interfaces: [{name: l2, bridge: {}}]
        resources: {requests: {memory: 1Gi}}
      networks: [{name: l2, multus: {networkName: l2-network}}]
      volumes:
      - {name: rootdisk, containerDisk: {image: registry.example/windows-2022:latest}}
)";
  };
  testing::apply_yaml(cluster, R"(
apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata: {name: l2-network, namespace: default}
spec:
  config: '{"cniVersion":"0.3.1","name":"l2-network","type":"bridge","bridge":"br1"}'
---)" + windows_on_l2("bare", "false") + "---" + windows_on_l2("tools", "true"));
  REQUIRE(testing::run_until_true(cluster, 120,
                                  [&] { return vmi_running(cluster, "bare") && vmi_running(cluster, "tools"); }) > 0);
  cluster.run_until(cluster.now() + 60);
  // No agent: the viewer cannot learn the guest's address; a Service would not help.
  run_ok(exec, "expose vm bare --name bare-rdp --port 3389 --type NodePort");
  CHECK(exec.run("rdp bare").error ==
        "error: can't open the desktop viewer (RDP) of VMI bare on its L2 network: Missing guest agent - Guest agent "
        "is not installed on VirtualMachine bare. On a Multus network the viewer learns the guest's address from the "
        "QEMU guest agent; install it in the guest, or use `vnc bare`");
  const auto rdp = run_ok(exec, "rdp tools");
  CHECK_THAT(rdp, Catch::StartsWith("RDP to VMI default/tools (Microsoft Windows Server 2022 Datacenter) on its L2 "
                                    "network, as the web console's desktop viewer opens it:\n"
                                    "  guest address reported by the guest agent: "));
  cluster.shutdown();
}
