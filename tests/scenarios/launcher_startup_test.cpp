// How a launcher pod starts (issue 4, density): init containers first, then the containers, one
// after the other, each start CPU work on the node that concurrent starts share.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <sstream>

#include "models/kubevirt.hpp"
#include "small_cluster.hpp"

using namespace kvsim;
using kvsim::testing::apply_yaml;
using kvsim::testing::run_until_true;
using testing::vmi_running;

namespace {

std::string vmi_on_node_yaml(const std::string& name, const std::string& node) {
  return fmt::format(R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachineInstance
metadata: {{name: {0}, namespace: default}}
spec:
  nodeSelector: {{kubernetes.io/hostname: {1}}}
  domain:
    devices:
      disks:
      - {{name: rootdisk, disk: {{bus: virtio}}}}
    resources: {{requests: {{memory: 64Mi}}}}
  volumes:
  - {{name: rootdisk, containerDisk: {{image: quay.io/containerdisks/cirros:0.6}}}}
)",
                     name, node);
}

std::shared_ptr<const models::Pod> launcher_by_name(sim::cluster::Cluster& c, const std::string& vmi) {
  for (const auto& o : c.store().list(models::Pod::kind_info(), "default"))
    if (o->metadata.name.starts_with("virt-launcher-" + vmi + "-")) return std::static_pointer_cast<const models::Pod>(o);
  return nullptr;
}

std::string pod_status_column(sim::commands::Executor& ex, const std::string& pod) {
  // NAME READY STATUS RESTARTS AGE: the STATUS cell of the one row under the header.
  const auto out = kvsim::testing::run_ok(ex, "get pod " + pod);
  std::vector<std::string> cols;
  std::istringstream in(out.substr(out.find('\n') + 1));
  for (std::string w; in >> w;) cols.push_back(w);
  return cols.size() > 2 ? cols[2] : std::string();
}

}  // namespace

TEST_CASE("a containerDisk launcher pod runs two init containers before its containers, shown Init:0/2 then PodInitializing") {
  sim::cluster::Cluster cluster(kvsim::testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  cluster.run_until(20);
  apply_yaml(cluster, vmi_on_node_yaml("first", "worker-1"));
  REQUIRE(run_until_true(cluster, 30, [&] { return launcher_by_name(cluster, "first") != nullptr; }) > 0);
  auto pod = launcher_by_name(cluster, "first");
  REQUIRE(pod->spec.initContainers.size() == 2);
  CHECK(pod->spec.initContainers[0].name == "container-disk-binary");
  CHECK(pod->spec.initContainers[1].name == "volumerootdisk-init");
  CHECK(pod->spec.initContainers[1].image == "quay.io/containerdisks/cirros:0.6");
  const std::string name = pod->metadata.name;
  const double initializing = run_until_true(cluster, 40, [&] { return pod_status_column(ex, name) == "Init:0/2"; });
  REQUIRE(initializing > 0);
  const double after_inits = run_until_true(cluster, 60, [&] { return pod_status_column(ex, name) == "PodInitializing"; });
  REQUIRE(after_inits > initializing);
  const double pod_running = run_until_true(cluster, 60, [&] { return pod_status_column(ex, name) == "Running"; });
  REQUIRE(pod_running > after_inits);
  // Two containers (compute, the containerDisk) after the inits, one after the other.
  const double start = cluster.profile().container_start;
  CHECK(pod_running - after_inits == Approx(2 * start).margin(0.05));
  const auto initialized = launcher_by_name(cluster, "first");
  const auto* cond = models::find_condition(initialized->status.conditions, "Initialized");
  REQUIRE(cond);
  CHECK(cond->status == "True");
  REQUIRE(initialized->status.initContainerStatuses.size() == 2);
  CHECK(initialized->status.initContainerStatuses[0].state.terminated->reason == "Completed");
  cluster.shutdown();
}

TEST_CASE("launcher pods starting together on one node share its CPUs: eight on a 2-CPU node take four times one alone") {
  auto options = kvsim::testing::small_cluster_options();
  for (auto& n : options.platform.nodes)
    if (n.name == "worker-1") n.cpu = *models::Quantity::parse("2");
  sim::cluster::Cluster cluster(options);
  cluster.run_until(20);
  // One alone first (it also pulls the containerDisk image, which then stays on the node).
  apply_yaml(cluster, vmi_on_node_yaml("alone", "worker-1"));
  REQUIRE(run_until_true(cluster, 60, [&] { return vmi_running(cluster, "alone"); }) > 0);
  const double t0 = cluster.now();
  apply_yaml(cluster, vmi_on_node_yaml("again", "worker-1"));
  const double alone = run_until_true(cluster, t0 + 60, [&] { return vmi_running(cluster, "again"); }) - t0;
  REQUIRE(alone > 0);
  const double t1 = cluster.now();
  for (int i = 0; i < 8; ++i) apply_yaml(cluster, vmi_on_node_yaml(fmt::format("crowd-{}", i), "worker-1"));
  const double crowd = run_until_true(cluster, t1 + 300, [&] {
    for (int i = 0; i < 8; ++i)
      if (!vmi_running(cluster, fmt::format("crowd-{}", i))) return false;
    return true;
  }) - t1;
  INFO("one alone " << alone << " s, eight together " << crowd << " s");
  REQUIRE(crowd > 0);
  // Four container starts each, 8 pods on 2 cores: each start takes 4x; the rest of the path
  // (scheduling, CNI, virt-handler, the domain) does not stretch.
  const double starts = 4 * cluster.profile().container_start;
  CHECK(crowd - alone == Approx(3 * starts).margin(0.5));
  cluster.shutdown();
}
