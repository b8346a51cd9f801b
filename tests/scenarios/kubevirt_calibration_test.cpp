// Calibration against published KubeVirt figures (FIDELITY.md §2, issue 4 item 10):
// the virt-controller client rate limiter (QPS/burst) is what paces mass starts.
// The 1,000-VM run takes about a minute of wall time; the probe ([.probe], hidden) measures
// other settings: KVSIM_PROBE_N=1000 KVSIM_PROBE_QPS=400 KVSIM_PROBE_BURST=600 (or
// KVSIM_PROBE_GAP=0.1 for VMs 100 ms apart) build/tests/kvsim_scenario_tests "[.probe]".
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <map>

#include "models/kubevirt.hpp"
#include "small_cluster.hpp"

using namespace kvsim;

namespace {

std::string vm_yaml(int i) {
  return fmt::format(R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {{name: vm-{:04d}, namespace: default}}
spec:
  runStrategy: Always
  template:
    metadata: {{labels: {{kubevirt.io/vm: vm-{:04d}}}}}
    spec:
      domain:
        devices:
          disks:
          - {{name: rootdisk, disk: {{bus: virtio}}}}
        resources: {{requests: {{memory: 128Mi}}}}
      volumes:
      - {{name: rootdisk, containerDisk: {{image: quay.io/containerdisks/cirros:0.6}}}}
)",
                     i, i);
}

// The default scenario's control plane with `workers` workers of 64 Gi.
sim::cluster::ClusterOptions cluster_with(int workers, double qps, double burst) {
  auto options = kvsim::testing::small_cluster_options();
  std::vector<sim::engine::NodeSpec> nodes;
  sim::engine::NodeSpec worker;
  for (const auto& n : options.platform.nodes) {
    if (n.role == "worker") worker = n;
    else nodes.push_back(n);
  }
  for (int i = 1; i <= workers; ++i) {
    auto w = worker;
    w.name = fmt::format("worker-{}", i);
    nodes.push_back(w);
  }
  options.platform.nodes = nodes;
  options.profile.virt_controller_qps = qps;
  options.profile.virt_controller_burst = burst;
  return options;
}

int running_vmis(sim::cluster::Cluster& c) {
  int n = 0;
  for (const auto& o : c.store().list(models::VirtualMachineInstance::kind_info(), "default"))
    if (static_cast<const models::VirtualMachineInstance&>(*o).status.phase == "Running") ++n;
  return n;
}

// Creates `count` VMs at `start`, `gap` apart; returns when all are Running (or -1 by `limit`).
double start_all(sim::cluster::Cluster& cluster, int count, double start, double gap, double limit) {
  cluster.run_until(start);
  for (int i = 0; i < count; ++i) {
    if (gap > 0) cluster.run_until(start + i * gap);
    kvsim::testing::apply_yaml(cluster, vm_yaml(i));
  }
  return kvsim::testing::run_until_true(cluster, limit, [&] { return running_vmis(cluster) == count; }, 1.0);
}

}  // namespace

TEST_CASE("calibration: 1000 VMs on 12 nodes with QPS 5 and burst 10 are Running in about 22.7 min", "[calibration]") {
  // scenarios/calibration/qps-5-1000-vms.yaml: 1000 VMs generated at 10 s.
  models::Problems problems;
  auto s = sim::scenario::load_scenario(std::string(KVSIM_DATA_DIR) + "/scenarios/calibration/qps-5-1000-vms.yaml", problems);
  for (const auto& p : problems) FAIL(p.str());
  REQUIRE(s);
  const auto wall = std::chrono::steady_clock::now();
  sim::cluster::Cluster cluster(s->cluster);
  const auto result = sim::scenario::run_scenario(*s, cluster);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count();
  REQUIRE(result.command_errors.empty());
  REQUIRE(result.results.size() == 1);
  const auto& all_running = result.results[0];
  INFO(all_running.found);
  REQUIRE(all_running.held);
  const double minutes = (all_running.at - 10) / 60;
  WARN(fmt::format("1000 VMs Running after {:.0f} s sim ({:.1f} min); wall {:.1f} s", all_running.at - 10, minutes, secs));
  // kubevirt issue #7879: up to 22.7 min with the default client QPS 5 / burst 10 (+-25%).
  CHECK(minutes == Approx(22.7).epsilon(0.25));
  cluster.shutdown();
}

// When each VMI was created and first Running, from the trace (seconds).
struct StartTimes {
  std::vector<double> created, running;
};
StartTimes start_times(sim::cluster::Cluster& c) {
  std::map<std::string, double> created, running;
  for (const auto& r : c.trace().records()) {
    if (r.kind != "VirtualMachineInstance") continue;
    if (r.change == "created" && !created.contains(r.name)) created[r.name] = r.time;
    if (r.change.find("-> Running") != std::string::npos && !running.contains(r.name)) running[r.name] = r.time;
  }
  StartTimes t;
  for (const auto& [name, at] : created) {
    t.created.push_back(at);
    if (auto it = running.find(name); it != running.end()) t.running.push_back(it->second - at);
  }
  std::sort(t.created.begin(), t.created.end());
  std::sort(t.running.begin(), t.running.end());
  return t;
}

double percentile(const std::vector<double>& sorted, double p) {
  return sorted.empty() ? -1 : sorted[std::min(sorted.size() - 1, static_cast<std::size_t>(p * sorted.size()))];
}

TEST_CASE("calibration probe: KVSIM_PROBE_N VMs on 12 nodes at KVSIM_PROBE_QPS and KVSIM_PROBE_BURST", "[.probe]") {
  auto env = [](const char* k, const char* d) { return std::getenv(k) ? std::getenv(k) : d; };
  const int n = std::atoi(env("KVSIM_PROBE_N", "100"));
  const double qps = std::atof(env("KVSIM_PROBE_QPS", "5")), burst = std::atof(env("KVSIM_PROBE_BURST", "10"));
  const double gap = std::atof(env("KVSIM_PROBE_GAP", "0"));
  const auto wall = std::chrono::steady_clock::now();
  sim::cluster::Cluster cluster(cluster_with(12, qps, burst));
  const double done = start_all(cluster, n, 10, gap, 10 + 3600);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count();
  const auto t = start_times(cluster);
  const double span = t.created.empty() ? 0 : t.created.back() - t.created.front();
  WARN(fmt::format("{} VMs Running after {:.1f} s sim; wall {:.1f} s; VMI creations {:.1f}/s over {:.1f} s; "
                   "created->Running P50 {:.1f} s P95 {:.1f} s max {:.1f} s",
                   n, done - 10, secs, span > 0 ? (t.created.size() - 1) / span : 0.0, span, percentile(t.running, 0.5),
                   percentile(t.running, 0.95), t.running.empty() ? -1 : t.running.back()));
  cluster.shutdown();
}
