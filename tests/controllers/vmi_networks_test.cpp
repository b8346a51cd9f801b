// Multus and SR-IOV decisions, pure (FIDELITY.md §5): NAD lookup by
// networkName, the launcher pod's networks annotation and VF requests, the
// VF pools a SriovNetworkNodePolicy gives a node, the NAD a SriovNetwork renders.
#include <catch2/catch.hpp>

#include "models/manifest.hpp"
#include "sim/kubevirt/launcher_pod.hpp"
#include "sim/kubevirt/network/multus.hpp"
#include "sim/kubevirt/network/sriov_operator.hpp"

using namespace kvsim;
using namespace kvsim::sim::kubevirt;

namespace {

template <class T>
std::shared_ptr<T> load_one(const std::string& yaml) {
  auto loaded = models::load_manifests(yaml, "test.yaml");
  for (const auto& p : loaded.problems) FAIL(p.str());
  REQUIRE(loaded.objects.size() == 1);
  return std::static_pointer_cast<T>(loaded.objects.front());
}

// The shape of vmi-sriov.yaml: masquerade on the pod network plus one SR-IOV interface.
const char* kSriovVmi = R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachineInstance
metadata: {name: vmi-sriov, namespace: default}
spec:
  domain:
    devices:
      interfaces:
      - {name: default, masquerade: {}}
      - {name: sriov-net, sriov: {}}
      - {name: ptp, bridge: {}}
    memory: {guest: 1024M}
  networks:
  - {name: default, pod: {}}
  - {name: sriov-net, multus: {networkName: sriov/sriov-network}}
  - {name: ptp, multus: {networkName: ptp-conf}}
)";

models::NetworkAttachmentDefinition nad(const std::string& ns, const std::string& name, const std::string& resource) {
  models::NetworkAttachmentDefinition n;
  n.metadata.namespace_ = ns;
  n.metadata.name = name;
  if (!resource.empty()) n.metadata.annotations[network::kResourceNameAnnotation] = resource;
  return n;
}

}  // namespace

TEST_CASE("networkName is a NAD in the VMI's namespace unless written ns/name") {
  CHECK(network::nad_of("vms", "vlan-22") == std::pair<std::string, std::string>{"vms", "vlan-22"});
  CHECK(network::nad_of("vms", "default/vlan-22") == std::pair<std::string, std::string>{"default", "vlan-22"});
}

TEST_CASE("a missing NAD fails rendering with upstream's message, naming the namespace it looked in") {
  auto vmi = load_one<models::VirtualMachineInstance>(kSriovVmi);
  const auto sriov = nad("sriov", "sriov-network", "openshift.io/mlxnics");
  // ptp-conf exists, but in another namespace: a bare name never looks there.
  const auto other = nad("other", "ptp-conf", "");
  auto r = network::resolve_networks(*vmi, [&](const std::string& ns, const std::string& name) -> const models::NetworkAttachmentDefinition* {
    if (ns == "sriov" && name == "sriov-network") return &sriov;
    if (ns == "other" && name == "ptp-conf") return &other;
    return nullptr;
  });
  CHECK(r.error == "failed to render launch manifest: failed to locate network attachment definition default/ptp-conf");
  CHECK(r.multus.empty());
}

TEST_CASE("the launcher pod carries the networks annotation and one VF per SR-IOV interface") {
  auto vmi = load_one<models::VirtualMachineInstance>(kSriovVmi);
  const auto sriov = nad("sriov", "sriov-network", "openshift.io/mlxnics");
  const auto ptp = nad("default", "ptp-conf", "");
  auto r = network::resolve_networks(*vmi, [&](const std::string& ns, const std::string& name) -> const models::NetworkAttachmentDefinition* {
    if (ns == "sriov" && name == "sriov-network") return &sriov;
    if (ns == "default" && name == "ptp-conf") return &ptp;
    return nullptr;
  });
  REQUIRE(r.error.empty());
  REQUIRE(r.multus.size() == 2);
  CHECK(r.multus[0].binding == "sriov");
  CHECK(r.multus[0].resource == "openshift.io/mlxnics");
  auto pod = launcher_pod(*vmi, r.multus);
  CHECK(pod->metadata.annotations.at("k8s.v1.cni.cncf.io/networks") ==
        R"([{"name":"sriov-network","namespace":"sriov","interface":"pod5862143f341"},{"name":"ptp-conf","namespace":"default","interface":"pode31d7ce2712"}])");
  const auto& compute = pod->spec.containers.front();
  CHECK(compute.resources.requests.at("openshift.io/mlxnics").units_ceil() == 1);
  CHECK(compute.resources.limits.at("openshift.io/mlxnics").units_ceil() == 1);
  // memory.guest 1024M + page tables (1024M / 512) + 220Mi fixed + 8Mi for the vCPU + 8Mi for
  // the IOThread + 16Mi video + 1Gi because the VF is passed through VFIO (renderresources.go).
  CHECK(compute.resources.requests.at("memory").units_ceil() ==
        1024000000 + 1024000000 / 512 + (220 + 8 + 8 + 16 + 1024) * 1048576LL);
  const auto interfaces = network::pod_interfaces(*vmi, *pod);
  CHECK(interfaces.at("default") == "eth0");
  // "pod" + sha256(network name)[:11] (echo -n sriov-net | sha256sum: 5862143f341...)
  CHECK(interfaces.at("sriov-net") == "pod5862143f341");
  CHECK(interfaces.at("ptp") == "pode31d7ce2712");
}

TEST_CASE("a pod with only the pod network has no networks annotation") {
  auto vmi = load_one<models::VirtualMachineInstance>(R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachineInstance
metadata: {name: plain, namespace: default}
spec:
  domain:
    devices: {}
    memory: {guest: 128Mi}
)");
  auto pod = launcher_pod(*vmi, {});
  CHECK_FALSE(pod->metadata.annotations.contains("k8s.v1.cni.cncf.io/networks"));
}

TEST_CASE("SR-IOV policies give the nodes they select VF pools") {
  auto policy = [](const std::string& name, const std::string& resource, int vfs, int priority,
                   std::map<std::string, std::string> selector) {
    models::SriovNetworkNodePolicy p;
    p.metadata.name = name;
    p.spec.resourceName = resource;
    p.spec.numVfs = vfs;
    p.spec.priority = priority;
    p.spec.nodeSelector = std::move(selector);
    return p;
  };
  const auto workers = policy("workers", "mlxnics", 8, 99, {{"node-role.kubernetes.io/worker", ""}});
  const auto worker1 = policy("worker1-more", "mlxnics", 16, 10, {{"kubernetes.io/hostname", "worker-1"}});
  const auto intel = policy("intel", "intelnics", 4, 99, {{"feature.node.kubernetes.io/network-sriov.capable", "true"}});
  const std::vector<const models::SriovNetworkNodePolicy*> all = {&workers, &worker1, &intel};
  struct Row {
    models::Labels labels;
    std::map<std::string, std::int64_t> pools;
  };
  const Row rows[] = {
      {{{"node-role.kubernetes.io/worker", ""}, {"kubernetes.io/hostname", "worker-2"}}, {{"openshift.io/mlxnics", 8}}},
      // Two policies for one resource on a node: the higher priority (lower number) wins.
      {{{"node-role.kubernetes.io/worker", ""}, {"kubernetes.io/hostname", "worker-1"}}, {{"openshift.io/mlxnics", 16}}},
      {{{"kubernetes.io/hostname", "cp-1"}}, {}},
      {{{"feature.node.kubernetes.io/network-sriov.capable", "true"}, {"node-role.kubernetes.io/worker", ""}},
       {{"openshift.io/intelnics", 4}, {"openshift.io/mlxnics", 8}}},
  };
  for (const auto& row : rows) CHECK(network::node_vf_pools(all, row.labels) == row.pools);
}

TEST_CASE("a SriovNetwork renders an sriov NAD in its networkNamespace with the resource annotation") {
  auto net = load_one<models::SriovNetwork>(R"(
apiVersion: sriovnetwork.openshift.io/v1
kind: SriovNetwork
metadata: {name: sriov-network, namespace: openshift-sriov-network-operator}
spec: {resourceName: mlxnics, networkNamespace: sriov, vlan: 100, spoofChk: "off", ipam: '{"type":"host-local","subnet":"10.56.217.0/24"}'}
)");
  auto n = network::sriov_nad(*net);
  CHECK(n->metadata.namespace_ == "sriov");
  CHECK(n->metadata.name == "sriov-network");
  CHECK(n->metadata.annotations.at("k8s.v1.cni.cncf.io/resourceName") == "openshift.io/mlxnics");
  CHECK(n->metadata.annotations.at("sriovnetwork.openshift.io/owner-ref") ==
        "SriovNetwork.sriovnetwork.openshift.io/openshift-sriov-network-operator/sriov-network");
  auto config = models::Json::parse(n->spec.config);
  CHECK(config["type"] == "sriov");
  CHECK(config["vlan"] == 100);
  CHECK(config["spoofchk"] == "off");
  CHECK(config["ipam"]["type"] == "host-local");
}

TEST_CASE("SR-IOV objects are decoded strictly and validated") {
  struct Row {
    const char* yaml;
    const char* problem;  // a substring of the first problem
  };
  const Row rows[] = {
      {"apiVersion: sriovnetwork.openshift.io/v1\nkind: SriovNetworkNodePolicy\nmetadata: {name: p, namespace: openshift-sriov-network-operator}\n"
       "spec: {resourceName: mlx-nics, numVfs: 4, nodeSelector: {}, nicSelector: {vendor: \"15b3\"}}\n",
       "spec.resourceName in body should match '^[a-zA-Z0-9_]+$'"},
      {"apiVersion: sriovnetwork.openshift.io/v1\nkind: SriovNetworkNodePolicy\nmetadata: {name: p, namespace: openshift-sriov-network-operator}\n"
       "spec: {resourceName: mlxnics, numVfs: 4, nodeSelector: {}, nicSelector: {vendor: \"15b3\"}, deviceType: pci}\n",
       "Unsupported value: \"pci\""},
      {"apiVersion: sriovnetwork.openshift.io/v1\nkind: SriovNetworkNodePolicy\nmetadata: {name: p, namespace: openshift-sriov-network-operator}\n"
       "spec: {resourceName: mlxnics, nodeSelector: {}, nicSelector: {}}\n",
       "numVfs"},
      {"apiVersion: sriovnetwork.openshift.io/v1\nkind: SriovNetwork\nmetadata: {name: n, namespace: openshift-sriov-network-operator}\n"
       "spec: {resourceName: mlxnics, vlan: 5000}\n",
       "spec.vlan in body should be less than or equal to 4095"},
      {"apiVersion: sriovnetwork.openshift.io/v1\nkind: SriovNetwork\nmetadata: {name: n, namespace: openshift-sriov-network-operator}\n"
       "spec: {resourceName: mlxnics, colour: blue}\n",
       "colour"},
  };
  for (const auto& row : rows) {
    auto loaded = models::load_manifests(row.yaml, "test.yaml");
    INFO(row.yaml);
    REQUIRE_FALSE(loaded.problems.empty());
    CHECK_THAT(loaded.problems.front().str(), Catch::Contains(row.problem));
  }
}

TEST_CASE("an interface naming an unregistered binding plugin fails rendering as upstream does") {
  auto vmi = load_one<models::VirtualMachineInstance>(R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachineInstance
metadata: {name: passt, namespace: default}
spec:
  domain:
    devices:
      interfaces: [{name: default, binding: {name: passt}}]
    memory: {guest: 128Mi}
  networks: [{name: default, pod: {}}]
)");
  auto r = network::resolve_networks(*vmi, [](const std::string&, const std::string&) { return nullptr; });
  CHECK(r.error ==
        "failed to render launch manifest: unable to find the network binding plugin 'passt' in Kubevirt configuration");
}
