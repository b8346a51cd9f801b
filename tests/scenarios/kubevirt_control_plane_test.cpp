// The KubeVirt control plane is made of real pods (FIDELITY.md §4): a node whose
// virt-handler pod is not running starts no VMI (it waits in Scheduled), and with
// no virt-controller pod holding the leader lease nothing is reconciled. Their
// Deployment / DaemonSet controllers answer `delete pod`. One simulation per TEST_CASE.
#include <catch2/catch.hpp>

#include "models/kubevirt.hpp"
#include "small_cluster.hpp"

using namespace kvsim;
using kvsim::testing::apply_yaml;
using kvsim::testing::run_ok;
using kvsim::testing::first_record;
using kvsim::testing::run_until_true;

namespace {

std::string pinned_vm_yaml(const std::string& name, const std::string& node) {
  return R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: )" + name + R"(, namespace: default}
spec:
  runStrategy: Always
  template:
    metadata: {labels: {kubevirt.io/vm: )" + name + R"(}}
    spec:
)" + (node.empty() ? std::string() : "      nodeSelector: {kubernetes.io/hostname: " + node + "}\n") + R"(      domain:
        devices:
          disks:
          - {name: rootdisk, disk: {bus: virtio}}
        resources: {requests: {memory: 1Gi}}
      volumes:
      - {name: rootdisk, containerDisk: {image: quay.io/containerdisks/fedora:40}}
)";
}

// The openshift-cnv pods whose kubevirt.io label is `component` (by name), optionally on `node`.
std::vector<std::shared_ptr<const models::Pod>> component_pods(sim::cluster::Cluster& c, const std::string& component,
                                                                const std::string& node = {}) {
  std::vector<std::shared_ptr<const models::Pod>> out;
  const models::LabelSelector s{{{"kubevirt.io", component}}, {}};
  for (const auto& o : c.store().list(models::Pod::kind_info(), "openshift-cnv", &s)) {
    auto p = std::static_pointer_cast<const models::Pod>(o);
    if (node.empty() || p->spec.nodeName == node) out.push_back(p);
  }
  return out;
}

std::string vmi_phase(sim::cluster::Cluster& c, const std::string& name) {
  auto v = c.store().get<models::VirtualMachineInstance>("default", name);
  return v ? v->status.phase : "";
}

}  // namespace

TEST_CASE("a VMI on a node whose virt-handler pod is gone waits in Scheduled until the DaemonSet's new pod runs") {
  sim::cluster::Cluster cluster(kvsim::testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  cluster.run_until(20);
  auto handlers = component_pods(cluster, "virt-handler", "worker-1");
  REQUIRE(handlers.size() == 1);
  const auto old_handler = handlers.front()->metadata.name;
  apply_yaml(cluster, pinned_vm_yaml("pinned", "worker-1"));
  // The launcher pod is bound to worker-1 by 20.2 s and starts its four containers in turn
  // (about 6.5 s); meanwhile virt-handler's pod goes.
  cluster.run_until(25);
  run_ok(exec, "delete pod " + old_handler + " -n openshift-cnv");
  // The launcher pod runs: Scheduled, but nobody defines the domain.
  const double scheduled = run_until_true(cluster, 40, [&] { return vmi_phase(cluster, "pinned") == "Scheduled"; });
  REQUIRE(scheduled > 25);
  // virt-handler's last act labels the node unschedulable for new VMIs.
  CHECK(first_record(cluster, "Node", "worker-1", "label kubevirt.io/schedulable=false", 20) == Approx(25).margin(0.1));
  // The DaemonSet replaces the pod; the VMI starts only once that pod runs.
  double handler_running = -1;
  const double running = run_until_true(cluster, 120, [&] {
    for (const auto& p : component_pods(cluster, "virt-handler", "worker-1"))
      if (p->metadata.name != old_handler && p->status.phase == "Running" && handler_running < 0) handler_running = cluster.now();
    return vmi_phase(cluster, "pinned") == "Running";
  });
  INFO("Scheduled at " << scheduled << ", new virt-handler Running at " << handler_running << ", VMI Running at " << running);
  REQUIRE(handler_running > 0);
  CHECK(handler_running > scheduled);
  // Then: virt-handler's sync, define (domainDefine) and start (domainStart): a few seconds.
  CHECK(running > handler_running);
  CHECK(running < handler_running + 5);
  CHECK(first_record(cluster, "Node", "worker-1", "label kubevirt.io/schedulable=true", 25) > 25);
  cluster.shutdown();
}

TEST_CASE("with no virt-controller pod holding the lease nothing is reconciled until a new pod takes it") {
  sim::cluster::Cluster cluster(kvsim::testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  cluster.run_until(30);
  auto controllers = component_pods(cluster, "virt-controller");
  REQUIRE(controllers.size() == 2);
  for (const auto& p : controllers) run_ok(exec, "delete pod " + p->metadata.name + " -n openshift-cnv");
  apply_yaml(cluster, pinned_vm_yaml("waits", ""));
  // The Deployment's ReplicaSet creates two new pods at once; they run ~3.4 s later.
  cluster.run_until(40);
  auto fresh = component_pods(cluster, "virt-controller");
  int running = 0;
  for (const auto& p : fresh)
    if (!p->metadata.being_deleted() && p->status.phase == "Running") ++running;
  CHECK(running == 2);
  // The old leader renewed the lease at most one 2 s retry before 30 s and never released
  // it: the new pods wait out the 15 s lease, so the VM is untouched until then.
  CHECK_FALSE(cluster.store().get<models::VirtualMachineInstance>("default", "waits"));
  const double created = run_until_true(cluster, 60, [&] {
    return cluster.store().get<models::VirtualMachineInstance>("default", "waits") != nullptr;
  });
  INFO("VMI created at " << created);
  CHECK(created > 30 + 13);
  CHECK(created < 30 + 15 + 2 + 0.2);
  const double vmi_running = run_until_true(cluster, 80, [&] { return vmi_phase(cluster, "waits") == "Running"; });
  CHECK(vmi_running > created);
  CHECK(vmi_running < created + 10);
  cluster.shutdown();
}

TEST_CASE("with no virt-api pod running KubeVirt writes and virtctl calls are refused until one runs again") {
  sim::cluster::Cluster cluster(kvsim::testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  cluster.run_until(0);
  apply_yaml(cluster, pinned_vm_yaml("existing", ""));
  cluster.run_until(30);
  for (const auto& p : component_pods(cluster, "virt-api")) run_ok(exec, "delete pod " + p->metadata.name + " -n openshift-cnv");
  const auto file = kvsim::testing::write_file("vm.yaml", pinned_vm_yaml("late", ""));
  // The Deployment's new pods need ~2 s to run: meanwhile the webhook has no endpoint.
  auto out = exec.run("apply -f " + file);
  CHECK(out.error == "Error from server (InternalError): error when creating \"" + file +
                         "\": Internal error occurred: failed calling webhook \"virtualmachines-mutator.kubevirt.io\": "
                         "failed to call webhook: Post \"https://virt-api.openshift-cnv.svc:443/virtualmachines-mutate"
                         "?timeout=10s\": no endpoints available for service \"virt-api\"");
  CHECK_FALSE(cluster.store().get<models::VirtualMachine>("default", "late"));
  out = exec.run("stop existing");
  CHECK(out.error ==
        "error stopping VirtualMachine the server is currently unable to handle the request (put "
        "virtualmachines.subresources.kubevirt.io existing)");
  CHECK(cluster.store().get<models::VirtualMachine>("default", "existing")->run_strategy() == "Always");
  // Reads do not go through virt-api: `get` still answers.
  CHECK(exec.run("get vm").ok());
  const double serving = run_until_true(cluster, 40, [&] {
    for (const auto& p : component_pods(cluster, "virt-api"))
      if (!p->metadata.being_deleted() && p->status.phase == "Running") return true;
    return false;
  });
  INFO("a new virt-api pod runs at " << serving);
  CHECK(serving > 30);
  CHECK(serving < 35);
  CHECK(run_ok(exec, "apply -f " + file) == "virtualmachine.kubevirt.io/late created\n");
  CHECK(run_ok(exec, "stop existing") == "VM existing was scheduled to stop\n");
  cluster.shutdown();
}
