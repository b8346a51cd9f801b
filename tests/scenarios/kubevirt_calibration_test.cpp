// Calibration against published KubeVirt figures (FIDELITY.md §2, issue 4 item 10):
// virt-controller's client rate limiter (QPS/burst) paces mass starts at low QPS, its workers
// waiting out their requests at high QPS, and the nodes' CPUs starting containers under density.
// The probe ([.probe], hidden) measures other settings: KVSIM_PROBE_N=1000 KVSIM_PROBE_QPS=400 KVSIM_PROBE_BURST=600 (or
// KVSIM_PROBE_GAP=0.1 for VMs 100 ms apart) build/tests/kvsim_scenario_tests "[.probe]".
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>

#include "models/kubevirt.hpp"
#include "small_cluster.hpp"
#include "sim/build_paths.hpp"

using namespace kvsim;

namespace {

std::string numbered_vm_yaml(int i) {
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
    kvsim::testing::apply_yaml(cluster, numbered_vm_yaml(i));
  }
  return kvsim::testing::run_until_true(cluster, limit, [&] { return running_vmis(cluster) == count; }, 1.0);
}

// Loads a calibration scenario from scenarios/calibration and runs it to its end.
struct CalibrationRun {
  std::unique_ptr<sim::cluster::Cluster> cluster;
  sim::scenario::RunResult result;
  double wall_seconds = 0;
};
CalibrationRun run_calibration(const std::string& file) {
  models::Problems problems;
  auto s = sim::scenario::load_scenario(std::string(kvsim::build_paths::source_dir()) + "/scenarios/calibration/" + file, problems);
  for (const auto& p : problems) FAIL(p.str());
  REQUIRE(s);
  CalibrationRun run;
  const auto wall = std::chrono::steady_clock::now();
  run.cluster = std::make_unique<sim::cluster::Cluster>(s->cluster);
  run.result = sim::scenario::run_scenario(*s, *run.cluster);
  run.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count();
  REQUIRE(run.result.command_errors.empty());
  REQUIRE(run.result.results.size() == 1);
  INFO(run.result.results[0].found);
  REQUIRE(run.result.results[0].held);
  return run;
}

}  // namespace

TEST_CASE("calibration: 1000 VMs on 12 nodes with QPS 5 and burst 10 are Running in about 22.7 min", "[calibration]") {
  // scenarios/calibration/qps-5-1000-vms.yaml: 1000 VMs generated at 10 s.
  auto run = run_calibration("qps-5-1000-vms.yaml");
  const double minutes = (run.result.results[0].at - 10) / 60;
  WARN(fmt::format("1000 VMs Running after {:.1f} min; wall {:.1f} s", minutes, run.wall_seconds));
  // kubevirt issue #7879: up to 22.7 min with the default client QPS 5 / burst 10 (+-25%).
  CHECK(minutes == Approx(22.7).epsilon(0.25));
  run.cluster->shutdown();
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

TEST_CASE("calibration: 1000 VMs on 12 nodes with QPS 400 and burst 600 get VMIs at about 17 per second", "[calibration]") {
  // scenarios/calibration/qps-400-1000-vms.yaml. The limiter no longer paces: virt-controller's
  // three VM workers do, each waiting out its requests (and virt-api's webhooks).
  auto run = run_calibration("qps-400-1000-vms.yaml");
  const auto t = start_times(*run.cluster);
  REQUIRE(t.created.size() == 1000);
  const double span = t.created.back() - t.created.front();
  const double rate = (t.created.size() - 1) / span;
  WARN(fmt::format("VMI creations {:.1f}/s over {:.1f} s; all Running at {:.1f} s; wall {:.1f} s", rate, span,
                   run.result.results[0].at, run.wall_seconds));
  // kubevirt PR #7879: up to 17 VMIs created per second at 400/600 (+-25%).
  CHECK(rate == Approx(17).epsilon(0.25));
  run.cluster->shutdown();
}

TEST_CASE("calibration: 100 VMIs created 100 ms apart reach Running with P50 15-25 s and P95 20-30 s", "[calibration]") {
  // scenarios/calibration/density-100-vmis.yaml, as KubeVirt's density CI (docs/perf-scale-benchmarks.md).
  auto run = run_calibration("density-100-vmis.yaml");
  const auto t = start_times(*run.cluster);
  REQUIRE(t.running.size() == 100);
  const double p50 = percentile(t.running, 0.5), p95 = percentile(t.running, 0.95);
  WARN(fmt::format("created->Running P50 {:.1f} s, P95 {:.1f} s, max {:.1f} s; wall {:.1f} s", p50, p95,
                   t.running.back(), run.wall_seconds));
  CHECK(p50 >= 15);
  CHECK(p50 <= 25);
  CHECK(p95 >= 20);
  CHECK(p95 <= 30);
  run.cluster->shutdown();
}
