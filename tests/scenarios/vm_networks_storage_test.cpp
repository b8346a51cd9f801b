// Networks and storage of VMs, end to end (FIDELITY.md §5, §7): pod IPAM and
// masquerade status, Multus NADs, SR-IOV VF pools and their exhaustion,
// missing and unbound claims, DataVolume imports. One simulation per TEST_CASE.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <iterator>
#include <set>
#include <sstream>

#include "models/cdi.hpp"
#include "models/kubevirt.hpp"
#include "tests/scenarios/small_cluster.hpp"

using namespace kvsim;
using testing::launcher_of;
using testing::vmi;
using testing::vmi_running;

namespace {

std::shared_ptr<const models::VirtualMachine> vm(sim::cluster::Cluster& c, const std::string& name) {
  return c.store().get<models::VirtualMachine>("default", name);
}
// The VM's printableStatus values in the order the trace shows them.
std::vector<std::string> vm_statuses(sim::cluster::Cluster& c, const std::string& name) {
  std::vector<std::string> out;
  for (const auto& r : c.trace().records())
    if (r.kind == "VirtualMachine" && r.name == name && r.change.rfind("printableStatus", 0) == 0)
      out.push_back(r.change.substr(r.change.rfind(' ') + 1));
  return out;
}

std::string vm_with_volumes_yaml(const std::string& name, const std::string& volumes,
                                 const std::string& extra_devices = "", const std::string& networks = "") {
  return R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: )" + name + R"(, namespace: default}
spec:
  runStrategy: Always
  template:
    spec:
      domain:
        devices:
          disks: [{name: rootdisk, disk: {bus: virtio}}]
)" + extra_devices + R"(
        memory: {guest: 1Gi}
)" + networks + R"(
      volumes:
)" + volumes;
}

// An SR-IOV policy giving worker-1 `num_vfs` VFs of `resource`, and the SriovNetwork
// "sriov-network" whose NAD lands in default.
std::string sriov_worker_1_yaml(const std::string& resource, int num_vfs) {
  return fmt::format(R"(
apiVersion: v1
kind: Namespace
metadata: {{name: openshift-sriov-network-operator}}
---
apiVersion: sriovnetwork.openshift.io/v1
kind: SriovNetworkNodePolicy
metadata: {{name: vfs-worker-1, namespace: openshift-sriov-network-operator}}
spec:
  resourceName: {0}
  nodeSelector: {{kubernetes.io/hostname: worker-1}}
  numVfs: {1}
  nicSelector: {{vendor: "15b3", pfNames: [ens1f0]}}
  deviceType: vfio-pci
---
apiVersion: sriovnetwork.openshift.io/v1
kind: SriovNetwork
metadata: {{name: sriov-network, namespace: openshift-sriov-network-operator}}
spec: {{resourceName: {0}, networkNamespace: default, vlan: 0}}
)",
                     resource, num_vfs);
}
// A VM's interfaces and networks: masquerade on the pod network, and SR-IOV on sriov-network.
const std::string kSriovInterfaces =
    "          interfaces: [{name: default, masquerade: {}}, {name: sriov-net, sriov: {}}]\n";
const std::string kSriovNetworks =
    "      networks: [{name: default, pod: {}}, {name: sriov-net, multus: {networkName: sriov-network}}]\n";
const std::string kFedoraRootDisk = "      - {name: rootdisk, containerDisk: {image: quay.io/containerdisks/fedora:40}}\n";

const char* kImmediateClass = R"(
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: local}
provisioner: kubevirt.io.hostpath-provisioner
)";

}  // namespace

TEST_CASE("masquerade: the VMI reports its launcher pod's IP, from the /23 of the node it runs on") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  testing::apply_yaml(cluster, R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachineInstance
metadata: {name: web, namespace: default}
spec:
  domain:
    devices:
      interfaces: [{name: default, masquerade: {}, ports: [{name: http, port: 80}]}]
    memory: {guest: 1Gi}
  networks: [{name: default, pod: {}}]
)");
  REQUIRE(testing::run_until_true(cluster, 120, [&] { return vmi_running(cluster, "web"); }) > 0);
  auto v = vmi(cluster, "web");
  auto pod = launcher_of(cluster, "web");
  REQUIRE(pod);
  REQUIRE(v->status.interfaces.size() == 1);
  const auto& s = v->status.interfaces[0];
  CHECK(s.name == "default");
  CHECK(s.ipAddress == pod->status.podIP);
  CHECK(s.ipAddresses == std::vector<std::string>{pod->status.podIP});
  CHECK(s.podInterfaceName == "eth0");
  CHECK(s.infoSource == "domain");
  // The IP lies in the node's podCIDR (a /23 of the cluster's 10.128.0.0/14).
  auto node = cluster.store().get<models::Node>("", v->status.nodeName);
  REQUIRE(node);
  unsigned a, b, c, d, bits, ia, ib, ic, id;
  REQUIRE(std::sscanf(node->spec.podCIDR.c_str(), "%u.%u.%u.%u/%u", &a, &b, &c, &d, &bits) == 5);
  REQUIRE(std::sscanf(s.ipAddress.c_str(), "%u.%u.%u.%u", &ia, &ib, &ic, &id) == 4);
  CHECK(bits == 23);
  CHECK(ia == a);
  CHECK(ib == b);
  CHECK((ic & ~1u) == c);
  // No networks annotation: only the pod network.
  CHECK_FALSE(pod->metadata.annotations.contains("k8s.v1.cni.cncf.io/networks"));
  cluster.shutdown();
}

TEST_CASE("a VM whose PVC is missing is ErrorPvcNotFound and starts once the claim appears") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  testing::apply_yaml(cluster, kImmediateClass);
  testing::apply_yaml(cluster, vm_with_volumes_yaml("vm-pvc", "      - {name: rootdisk, persistentVolumeClaim: {claimName: disk-alpine}}\n"));
  cluster.run_until(10);
  auto v = vmi(cluster, "vm-pvc");
  REQUIRE(v);
  CHECK(v->status.phase == "Pending");
  const auto* sync = models::find_condition(v->status.conditions, "Synchronized");
  REQUIRE(sync);
  CHECK(sync->status == "False");
  CHECK(sync->reason == "FailedPvcNotFound");
  CHECK(sync->message == "PVC default/disk-alpine does not exist, waiting for it to appear");
  CHECK_FALSE(launcher_of(cluster, "vm-pvc"));
  CHECK(vm(cluster, "vm-pvc")->status.printableStatus == "ErrorPvcNotFound");
  testing::apply_yaml(cluster, R"(
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: disk-alpine, namespace: default}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
  storageClassName: local
)");
  const double running = testing::run_until_true(cluster, 120, [&] { return vmi_running(cluster, "vm-pvc"); });
  // Provisioning (2 s), then the launcher pod: image pull, containers, domain start; well under a minute.
  CHECK(running > 12);
  CHECK(running < 60);
  auto pod = launcher_of(cluster, "vm-pvc");
  REQUIRE(pod);
  REQUIRE(pod->spec.volumes.size() == 1);
  CHECK(pod->spec.volumes[0].persistentVolumeClaim->claimName == "disk-alpine");
  CHECK_FALSE(models::find_condition(vmi(cluster, "vm-pvc")->status.conditions, "Synchronized"));
  cluster.run_until(cluster.now() + 1);
  CHECK(vm(cluster, "vm-pvc")->status.printableStatus == "Running");
  const auto statuses = vm_statuses(cluster, "vm-pvc");
  CHECK(std::find(statuses.begin(), statuses.end(), "ErrorPvcNotFound") != statuses.end());
  cluster.shutdown();
}

TEST_CASE("a VM on a WaitForFirstConsumer claim reads WaitingForVolumeBinding until its volume is provisioned") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  testing::apply_yaml(cluster, R"(
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: lvms}
provisioner: topolvm.io
volumeBindingMode: WaitForFirstConsumer
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: default}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
  storageClassName: lvms
)");
  testing::apply_yaml(cluster, vm_with_volumes_yaml("vm-wffc", "      - {name: rootdisk, persistentVolumeClaim: {claimName: data}}\n"));
  REQUIRE(testing::run_until_true(cluster, 120, [&] { return vmi_running(cluster, "vm-wffc"); }) > 0);
  cluster.run_until(cluster.now() + 1);
  const auto statuses = vm_statuses(cluster, "vm-wffc");
  CHECK(statuses == std::vector<std::string>{"WaitingForVolumeBinding", "Starting", "Running"});
  cluster.shutdown();
}

TEST_CASE("Multus: a missing NAD keeps the VMI from starting, the NAD lets it run on the secondary network") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  testing::apply_yaml(cluster, R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachineInstance
metadata: {name: multi, namespace: default}
spec:
  domain:
    devices:
      interfaces: [{name: default, masquerade: {}}, {name: br, bridge: {}}]
    memory: {guest: 1Gi}
  networks: [{name: default, pod: {}}, {name: br, multus: {networkName: bridge-network}}]
)");
  cluster.run_until(10);
  auto v = vmi(cluster, "multi");
  CHECK(v->status.phase == "Pending");
  const auto* sync = models::find_condition(v->status.conditions, "Synchronized");
  REQUIRE(sync);
  CHECK(sync->reason == "FailedCreate");
  CHECK(sync->message == "failed to render launch manifest: failed to locate network attachment definition default/bridge-network");
  CHECK_FALSE(launcher_of(cluster, "multi"));
  testing::apply_yaml(cluster, R"(
apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata:
  name: bridge-network
  namespace: default
  annotations: {k8s.v1.cni.cncf.io/resourceName: bridge.network.kubevirt.io/bridge-interface}
spec:
  config: '{"cniVersion":"0.3.1","name":"bridge-network","type":"bridge","bridge":"bridge-interface","macspoofchk":false,"vlan":100}'
)");
  // The bridge resource is a device-plugin resource every node must advertise: give the workers some.
  for (const char* n : {"worker-1", "worker-2", "worker-3"}) {
    auto node = std::static_pointer_cast<models::Node>(cluster.store().get<models::Node>("", n)->clone());
    node->status.capacity["bridge.network.kubevirt.io/bridge-interface"] = models::Quantity::from_units(1000);
    node->status.allocatable["bridge.network.kubevirt.io/bridge-interface"] = models::Quantity::from_units(1000);
    node->metadata.resourceVersion.clear();
    REQUIRE(cluster.store().update(node, sim::api::Cause{"bridge-marker", "", "test"}).ok());
  }
  REQUIRE(testing::run_until_true(cluster, 120, [&] { return vmi_running(cluster, "multi"); }) > 10);
  auto pod = launcher_of(cluster, "multi");
  REQUIRE(pod);
  CHECK(pod->metadata.annotations.at("k8s.v1.cni.cncf.io/networks") ==
        R"([{"name":"bridge-network","namespace":"default","interface":"pod885036a0da3"}])");
  // Multus records what each network gave the pod, as SetNetworkStatus writes it (each entry
  // MarshalIndent'ed with four spaces, joined by ","): OVN-Kubernetes' eth0 with the pod IP and
  // its 0a:58 MAC, default, then the bridge on the hashed interface with a random MAC, no IP.
  const auto& status = pod->metadata.annotations.at("k8s.v1.cni.cncf.io/network-status");
  unsigned a = 0, b = 0, c = 0, d = 0;
  REQUIRE(std::sscanf(pod->status.podIP.c_str(), "%u.%u.%u.%u", &a, &b, &c, &d) == 4);
  CHECK_THAT(status, Catch::StartsWith(fmt::format("[{{\n    \"name\": \"ovn-kubernetes\",\n    \"interface\": \"eth0\",\n"
                                                   "    \"ips\": [\n        \"{}\"\n    ],\n"
                                                   "    \"mac\": \"0a:58:{:02x}:{:02x}:{:02x}:{:02x}\",\n"
                                                   "    \"default\": true,\n    \"dns\": {{}}\n}},{{\n"
                                                   "    \"name\": \"default/bridge-network\",\n"
                                                   "    \"interface\": \"pod885036a0da3\",\n    \"mac\": \"",
                                                   pod->status.podIP, a, b, c, d)));
  CHECK_THAT(status, Catch::EndsWith("\",\n    \"dns\": {}\n}]"));
  CHECK(models::Json::parse(status).size() == 2);
  v = vmi(cluster, "multi");
  REQUIRE(v->status.interfaces.size() == 2);
  CHECK(v->status.interfaces[1].name == "br");
  CHECK(v->status.interfaces[1].podInterfaceName == "pod885036a0da3");  // "pod" + sha256("br")[:11]
  CHECK(v->status.interfaces[1].infoSource == "domain, multus-status");
  CHECK(v->status.interfaces[1].ipAddress.empty());
  CHECK_FALSE(models::find_condition(v->status.conditions, "Synchronized"));
  cluster.shutdown();
}

TEST_CASE("SR-IOV: a policy gives a node VFs, and the VM that finds none free is ErrorUnschedulable") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  testing::apply_yaml(cluster, sriov_worker_1_yaml("mlxnics", 1));
  cluster.run_until(1);
  auto node = cluster.store().get<models::Node>("", "worker-1");
  CHECK(node->status.allocatable.at("openshift.io/mlxnics").units_ceil() == 1);
  CHECK_FALSE(cluster.store().get<models::Node>("", "worker-2")->status.allocatable.contains("openshift.io/mlxnics"));
  auto nad = cluster.store().get<models::NetworkAttachmentDefinition>("default", "sriov-network");
  REQUIRE(nad);
  CHECK(nad->metadata.annotations.at("k8s.v1.cni.cncf.io/resourceName") == "openshift.io/mlxnics");
  const std::string& devices = kSriovInterfaces;
  const std::string& networks = kSriovNetworks;
  const std::string& volumes = kFedoraRootDisk;
  testing::apply_yaml(cluster, vm_with_volumes_yaml("vf-1", volumes, devices, networks));
  REQUIRE(testing::run_until_true(cluster, 120, [&] { return vmi_running(cluster, "vf-1"); }) > 0);
  CHECK(vmi(cluster, "vf-1")->status.nodeName == "worker-1");
  auto pod1 = launcher_of(cluster, "vf-1");
  CHECK(pod1->spec.containers[0].resources.requests.at("openshift.io/mlxnics").units_ceil() == 1);
  CHECK(vmi(cluster, "vf-1")->status.interfaces[1].podInterfaceName == "pod5862143f341");
  // The 1-vCPU 1Gi SR-IOV VM's compute container asks for 2302Mi (1Gi + 254Mi of launcher
  // overhead + 1Gi for VFIO) and 100m (1 vCPU / cpuAllocationRatio 10); the containerDisk
  // container adds 1M and 1m. describe node counts it so, and lists the VF it holds.
  CHECK(pod1->spec.containers[0].resources.requests.at("memory").text() == "2302Mi");
  {
    sim::commands::Executor exec(cluster);
    const auto described = testing::run_ok(exec, "describe node worker-1");
    INFO(described);
    std::string launcher_line, vf_line, ephemeral_line;
    std::istringstream lines(described);
    for (std::string line; std::getline(lines, line);) {
      if (line.find(pod1->metadata.name) != std::string::npos) launcher_line = line;
      if (line.find("openshift.io/mlxnics") != std::string::npos) vf_line = line;
      if (line.find("  ephemeral-storage  ") != std::string::npos) ephemeral_line = line;
    }
    // 2302Mi + 1M = 2414821952 bytes (not a whole number of Mi: printed in bytes, as kubectl does).
    CHECK(launcher_line.find("101m (0%)") != std::string::npos);  // 101m of 16 CPUs
    CHECK(launcher_line.find("2414821952 (") != std::string::npos);
    std::istringstream vf(vf_line);
    std::vector<std::string> words{std::istream_iterator<std::string>(vf), {}};
    CHECK(words == std::vector<std::string>{"openshift.io/mlxnics", "1", "1"});
    CHECK(ephemeral_line.find("100000000 (0%)") != std::string::npos);
  }
  testing::apply_yaml(cluster, vm_with_volumes_yaml("vf-2", volumes, devices, networks));
  cluster.run_until(cluster.now() + 20);
  auto pod2 = launcher_of(cluster, "vf-2");
  REQUIRE(pod2);
  CHECK(pod2->status.phase == "Pending");
  const auto* scheduled = models::find_condition(pod2->status.conditions, "PodScheduled");
  REQUIRE(scheduled);
  CHECK(scheduled->reason == "Unschedulable");
  // worker-1's only VF is taken; the other workers have none; the control plane is tainted.
  CHECK(scheduled->message ==
        "0/6 nodes are available: 3 Insufficient openshift.io/mlxnics, 3 node(s) had untolerated taint "
        "{node-role.kubernetes.io/master: }. preemption: 0/6 nodes are available: 3 No preemption victims found for "
        "incoming pod, 3 Preemption is not helpful for scheduling..");
  CHECK(vm(cluster, "vf-2")->status.printableStatus == "ErrorUnschedulable");
  cluster.shutdown();
}

TEST_CASE("SR-IOV: each launcher pod gets its own VF, reported by Multus and handed to virt-launcher") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  testing::apply_yaml(cluster, sriov_worker_1_yaml("intelnics", 2));
  cluster.run_until(1);
  const std::string& devices = kSriovInterfaces;
  const std::string& networks = kSriovNetworks;
  const std::string& volumes = kFedoraRootDisk;
  for (const char* name : {"vf-a", "vf-b"}) testing::apply_yaml(cluster, vm_with_volumes_yaml(name, volumes, devices, networks));
  REQUIRE(testing::run_until_true(cluster, 120, [&] { return vmi_running(cluster, "vf-a") && vmi_running(cluster, "vf-b"); }) > 0);
  // The VF-backed entry has no IP and no MAC of its own (vfio-pci: no netdev), and the VF's
  // device-info after "dns", as Go's MarshalIndent writes the NetworkStatus struct.
  const auto status_of = [&](const char* vm) {
    return launcher_of(cluster, vm)->metadata.annotations.at("k8s.v1.cni.cncf.io/network-status");
  };
  const auto vf_entry = [](const std::string& address) {
    return "},{\n    \"name\": \"default/sriov-network\",\n    \"interface\": \"pod5862143f341\",\n"
           "    \"dns\": {},\n    \"device-info\": {\n        \"type\": \"pci\",\n        \"version\": \"1.1.0\",\n"
           "        \"pci\": {\n            \"pci-address\": \"" + address + "\"\n        }\n    }\n}]";
  };
  std::set<std::string> addresses;
  for (const char* vm : {"vf-a", "vf-b"}) {
    const auto status = status_of(vm);
    INFO(status);
    const auto at = status.find("},{");
    REQUIRE(at != std::string::npos);
    const std::string address = status.substr(status.find("pci-address\": \"") + 15, 12);
    addresses.insert(address);
    CHECK(status.substr(at) == vf_entry(address));
    // virt-controller copies it onto the ready pod for virt-launcher's downward-API volume.
    CHECK(launcher_of(cluster, vm)->metadata.annotations.at("kubevirt.io/network-info") ==
          R"({"interfaces":[{"network":"sriov-net","deviceInfo":{"type":"pci","version":"1.1.0","pci":{"pci-address":")" +
              address + R"("}}}]})");
  }
  // Two pods, two different VFs: the node's first two.
  CHECK(addresses == std::set<std::string>{"0000:3b:02.0", "0000:3b:02.1"});
  // A VM without SR-IOV gets no network-info annotation.
  testing::apply_yaml(cluster, vm_with_volumes_yaml("plain", volumes));
  REQUIRE(testing::run_until_true(cluster, cluster.now() + 60, [&] { return vmi_running(cluster, "plain"); }) > 0);
  CHECK_FALSE(launcher_of(cluster, "plain")->metadata.annotations.contains("kubevirt.io/network-info"));
  // The VF of a stopped VM goes back to the pool, and the next pod gets it.
  const std::string freed = status_of("vf-a").find("0000:3b:02.0") != std::string::npos ? "0000:3b:02.0" : "0000:3b:02.1";
  sim::commands::Executor exec(cluster);
  testing::run_ok(exec, "delete vm vf-a");
  REQUIRE(testing::run_until_true(cluster, cluster.now() + 120, [&] { return !launcher_of(cluster, "vf-a"); }) > 0);
  testing::apply_yaml(cluster, vm_with_volumes_yaml("vf-c", volumes, devices, networks));
  REQUIRE(testing::run_until_true(cluster, cluster.now() + 120, [&] { return vmi_running(cluster, "vf-c"); }) > 0);
  CHECK(status_of("vf-c").find("\"pci-address\": \"" + freed + "\"") != std::string::npos);
  cluster.shutdown();
}

TEST_CASE("a DataVolume whose import URL never resolves stays ImportInProgress, restarting, and the VM shows DataVolumeError") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  testing::apply_yaml(cluster, kImmediateClass);
  const std::string url = "http://images.example.invalid/fedora.qcow2";
  testing::apply_yaml(cluster, R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: vm-dv, namespace: default}
spec:
  runStrategy: Always
  dataVolumeTemplates:
  - metadata: {name: fedora-dv}
    spec:
      pvc: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 2Gi}}, storageClassName: local}
      source: {http: {url: ")" + url + R"("}}
  template:
    spec:
      domain:
        devices: {disks: [{name: datavolumedisk1, disk: {bus: virtio}}]}
        memory: {guest: 128Mi}
      volumes:
      - {name: datavolumedisk1, dataVolume: {name: fedora-dv}}
)");
  auto dv = [&] { return cluster.store().get<models::DataVolume>("default", "fedora-dv"); };
  REQUIRE(testing::run_until_true(cluster, 60, [&] { return dv() && dv()->status.phase == "ImportInProgress"; }) > 0);
  const double started = cluster.now();
  // The importer fails 2 s after each start, and kubelet restarts it 10, 20, 40 s later.
  std::vector<double> failures, restarts;
  std::int32_t last_restarts = 0;
  bool was_error = false;
  std::set<std::string> vm_statuses_seen;
  while (cluster.now() < started + 90) {
    cluster.run_until(cluster.now() + 0.1);
    const auto d = dv();
    REQUIRE(d);
    CHECK(d->status.phase == "ImportInProgress");
    const auto* running = models::find_condition(d->status.conditions, "Running");
    const bool error = running && running->status == "False" && running->reason == "Error";
    if (error && !was_error) failures.push_back(cluster.now() - started);
    was_error = error;
    if (d->status.restartCount.value_or(0) > last_restarts) restarts.push_back(cluster.now() - started);
    last_restarts = d->status.restartCount.value_or(0);
    vm_statuses_seen.insert(vm(cluster, "vm-dv")->status.printableStatus);
  }
  REQUIRE(failures.size() >= 3);
  REQUIRE(restarts.size() >= 3);
  CHECK(failures[0] == Approx(2).margin(0.15));
  CHECK(restarts[0] == Approx(12).margin(0.15));
  CHECK(failures[1] == Approx(14).margin(0.15));
  CHECK(restarts[1] == Approx(34).margin(0.15));
  CHECK(restarts[2] == Approx(76).margin(0.15));
  const auto d = dv();
  const auto* running = models::find_condition(d->status.conditions, "Running");
  REQUIRE(running);
  CHECK(running->message == "Unable to connect to http data source: Get \"" + url +
                                "\": dial tcp: lookup images.example.invalid on 172.30.0.10:53: no such host");
  CHECK(vm_statuses_seen.contains("DataVolumeError"));
  CHECK(vm_statuses_seen.contains("Provisioning"));  // while the restarted importer runs
  CHECK_FALSE(vmi(cluster, "vm-dv"));
  sim::commands::Executor ex(cluster);
  CHECK_THAT(testing::run_ok(ex, "get dv"), Catch::StartsWith("NAME        PHASE              PROGRESS   RESTARTS   AGE\n"
                                                              "fedora-dv   ImportInProgress   0.00%      3  "));
  cluster.shutdown();
}

TEST_CASE("dataVolumeTemplates: the VM is Provisioning while CDI imports, then starts on the imported claim") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  testing::apply_yaml(cluster, kImmediateClass);
  testing::apply_yaml(cluster, R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: vm-dv, namespace: default}
spec:
  runStrategy: Always
  dataVolumeTemplates:
  - metadata: {name: alpine-dv}
    spec:
      pvc: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 2Gi}}, storageClassName: local}
      source: {registry: {url: "docker://quay.io/kubevirt/alpine-container-disk-demo"}}
  template:
    spec:
      domain:
        devices: {disks: [{name: datavolumedisk1, disk: {bus: virtio}}]}
        memory: {guest: 128Mi}
      volumes:
      - {name: datavolumedisk1, dataVolume: {name: alpine-dv}}
)");
  cluster.run_until(10);
  auto dv = cluster.store().get<models::DataVolume>("default", "alpine-dv");
  REQUIRE(dv);
  REQUIRE(dv->metadata.controller_ref());
  CHECK(dv->metadata.controller_ref()->kind == "VirtualMachine");
  CHECK(dv->status.phase == "ImportInProgress");
  CHECK(vm(cluster, "vm-dv")->status.printableStatus == "Provisioning");
  CHECK_FALSE(vmi(cluster, "vm-dv"));  // no VMI before the import is done
  const double imported = testing::run_until_true(cluster, 120, [&] {
    auto d = cluster.store().get<models::DataVolume>("default", "alpine-dv");
    return d && d->succeeded();
  });
  // From the claim's binding: importer start 5 s + import 30 s (profile), plus a watch latency.
  double bound = -1;
  for (const auto& r : cluster.trace().records())
    if (r.kind == "DataVolume" && r.change == "phase Pending -> ImportScheduled") bound = r.time;
  REQUIRE(bound > 0);
  // CDI creates the claim, the provisioner makes its PV in 2 s, the PV controller binds them.
  CHECK(bound < 6);
  CHECK(imported == Approx(bound + 35).margin(0.1));
  sim::commands::Executor ex(cluster);
  // AGE: from the DataVolume's creation, once virt-controller is up, to about 38 s later.
  CHECK_THAT(testing::run_ok(ex, "get dv"), Catch::StartsWith("NAME        PHASE       PROGRESS   RESTARTS   AGE\n"
                                                              "alpine-dv   Succeeded   100.0%     0          3"));
  const double running = testing::run_until_true(cluster, 200, [&] { return vmi_running(cluster, "vm-dv"); });
  CHECK(running > imported);
  CHECK(running < imported + 60);
  cluster.run_until(cluster.now() + 1);
  CHECK(vm_statuses(cluster, "vm-dv") == std::vector<std::string>{"Provisioning", "Starting", "Running"});
  CHECK(launcher_of(cluster, "vm-dv")->spec.volumes[0].persistentVolumeClaim->claimName == "alpine-dv");
  cluster.shutdown();
}

TEST_CASE("data the guest writes survives a restart on a PVC and is lost on a containerDisk") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  testing::apply_yaml(cluster, kImmediateClass);
  testing::apply_yaml(cluster, R"(
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: default}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
  storageClassName: local
)");
  testing::apply_yaml(cluster, vm_with_volumes_yaml("keeper", "      - {name: rootdisk, containerDisk: {image: quay.io/containerdisks/fedora:40}}\n"
                                                                "      - {name: datadisk, persistentVolumeClaim: {claimName: data}}\n"));
  REQUIRE(testing::run_until_true(cluster, 120, [&] { return vmi_running(cluster, "keeper"); }) > 0);
  const auto first_uid = vmi(cluster, "keeper")->metadata.uid;
  const auto pv = cluster.store().get<models::PersistentVolumeClaim>("default", "data")->spec.volumeName;
  CHECK(testing::run_ok(ex, "guest write keeper datadisk hello from the first boot") ==
        "wrote 25 bytes to disk datadisk of keeper: PersistentVolumeClaim data (volume " + pv + "): kept when the VMI goes\n");
  CHECK_THAT(testing::run_ok(ex, "guest write keeper rootdisk scratch"),
             Catch::StartsWith("wrote 7 bytes to disk rootdisk of keeper: containerDisk rootdisk: a writable layer in "
                               "launcher pod virt-launcher-keeper-"));
  CHECK(testing::run_ok(ex, "guest read keeper rootdisk") == "scratch\n");
  testing::run_ok(ex, "restart keeper");
  REQUIRE(testing::run_until_true(cluster, cluster.now() + 180, [&] {
            auto v = vmi(cluster, "keeper");
            return v && v->metadata.uid != first_uid && v->status.phase == "Running";
          }) > 0);
  CHECK(testing::run_ok(ex, "guest read keeper datadisk") == "hello from the first boot\n");
  CHECK(testing::run_ok(ex, "guest read keeper rootdisk") == "(disk rootdisk holds no data written by the guest)\n");
  auto refused = ex.run("guest write keeper cloudinit x");
  CHECK(refused.error == "error: VMI keeper has no disk \"cloudinit\"");
  cluster.shutdown();
}

TEST_CASE("port-forward explains virtctl's path to a masquerade port and refuses one not forwarded") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  testing::apply_yaml(cluster, R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachineInstance
metadata: {name: web, namespace: default}
spec:
  domain:
    devices:
      interfaces: [{name: default, masquerade: {}, ports: [{name: http, port: 80}]}]
    memory: {guest: 1Gi}
  networks: [{name: default, pod: {}}]
)");
  auto early = ex.run("port-forward vmi/web 8080:80");
  CHECK(early.error == "error: can't access VMI web: VMI is not running");
  REQUIRE(testing::run_until_true(cluster, 120, [&] { return vmi_running(cluster, "web"); }) > 0);
  auto v = vmi(cluster, "web");
  auto pod = launcher_of(cluster, "web");
  CHECK(testing::run_ok(ex, "port-forward vmi/web 8080:80") ==
        "Forwarding from 127.0.0.1:8080 -> 80\nForwarding from [::1]:8080 -> 80\n"
        "path: localhost:8080 -> API server (virtualmachineinstances/web/portforward/80/tcp, upgraded to a stream) -> "
        "virt-handler on " + v->status.nodeName + " -> launcher pod " + pod->metadata.name + " (" + pod->status.podIP +
        ") -> masquerade NAT (" + pod->status.podIP + ":80 -> guest 10.0.2.2:80)\n"
        "(the guest port is otherwise reachable only from inside the cluster, unless a Service or Route exposes it)\n");
  auto refused = ex.run("port-forward vmi/web 2222:22");
  CHECK(refused.error ==
        "error: port 22 of VMI web is not forwarded: masquerade interface default forwards only ports [80] to the guest "
        "(add it to spec.domain.devices.interfaces[].ports)");
  cluster.shutdown();
}

TEST_CASE("a DataVolume on a WaitForFirstConsumer class is bound by CDI's importer pod, and the VM follows its volume") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  testing::apply_yaml(cluster, R"(
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: lvms}
provisioner: topolvm.io
volumeBindingMode: WaitForFirstConsumer
---
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: vm-wffc-dv, namespace: default}
spec:
  runStrategy: Always
  dataVolumeTemplates:
  - metadata: {name: root}
    spec:
      storage: {resources: {requests: {storage: 10Gi}}, storageClassName: lvms}
      source: {http: {url: "https://download.fedoraproject.org/fedora.qcow2"}}
  template:
    spec:
      domain:
        devices: {disks: [{name: root, disk: {bus: virtio}}]}
        memory: {guest: 1Gi}
      volumes:
      - {name: root, dataVolume: {name: root}}
)");
  cluster.run_until(3);
  auto dv = cluster.store().get<models::DataVolume>("default", "root");
  REQUIRE(dv);
  // Before the importer pod is scheduled nothing has chosen a node for the volume.
  auto importer = testing::pod(cluster, "importer-root");
  REQUIRE(importer);
  REQUIRE(testing::run_until_true(cluster, 120, [&] {
            auto d = cluster.store().get<models::DataVolume>("default", "root");
            return d && d->succeeded();
          }) > 0);
  const auto pv_name = cluster.store().get<models::PersistentVolumeClaim>("default", "root")->spec.volumeName;
  auto pv = cluster.store().get<models::PersistentVolume>("", pv_name);
  REQUIRE(pv);
  REQUIRE(testing::run_until_true(cluster, cluster.now() + 120, [&] { return vmi_running(cluster, "vm-wffc-dv"); }) > 0);
  // The volume was made on the importer's node; the VM can only run there.
  const std::string node = vmi(cluster, "vm-wffc-dv")->status.nodeName;
  CHECK(pv->spec.nodeAffinity.dump().find("\"" + node + "\"") != std::string::npos);
  cluster.run_until(cluster.now() + 5);
  CHECK_FALSE(testing::pod(cluster, "importer-root"));
  const auto statuses = vm_statuses(cluster, "vm-wffc-dv");
  REQUIRE_FALSE(statuses.empty());
  CHECK(statuses.front() == "Provisioning");
  CHECK(statuses.back() == "Running");
  cluster.shutdown();
}
