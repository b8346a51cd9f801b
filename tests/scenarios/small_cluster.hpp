#pragma once
// A cluster for scenario tests: the default scenario's shape (3 control-plane
// nodes, 3 workers) without its objects, plus helpers to apply YAML and run commands.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "models/kubevirt.hpp"
#include "models/manifest.hpp"
#include "models/pod.hpp"
#include "sim/commands/executor.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/build_paths.hpp"

namespace kvsim::testing {

inline sim::cluster::ClusterOptions small_cluster_options(const std::string& kubernetes_version = "1.32") {
  models::Problems problems;
  auto s = sim::scenario::load_scenario(std::string(kvsim::build_paths::source_dir()) + "/scenarios/default.yaml", problems);
  REQUIRE(problems.empty());
  auto options = s->cluster;
  options.profile = sim::engine::profile_for_version(kubernetes_version);
  return options;
}

// Creates every object of a YAML text (as `apply -f` would), failing the test on any error.
inline void apply_yaml(sim::cluster::Cluster& cluster, const std::string& yaml) {
  auto loaded = models::load_manifests(yaml, "test.yaml");
  for (const auto& p : loaded.problems) FAIL(p.str());
  for (const auto& o : loaded.objects) {
    auto r = cluster.store().create(o, sim::api::Cause{"user", "", "test"});
    INFO(r.error);
    REQUIRE(r.ok());
  }
}

// A ReplicaSet `web` (app=web) of small pods, the workload most scenarios watch.
constexpr const char* kCirrosImage = "quay.io/kubevirt/cirros-container-disk-demo";
constexpr const char* kFedoraImage = "quay.io/containerdisks/fedora:40";

// The smallest VM most tests need: one containerDisk, 128Mi, in namespace default.
inline std::string vm_yaml(const std::string& name, const std::string& run_strategy = "Always",
                           const std::string& image = kCirrosImage) {
  return "apiVersion: kubevirt.io/v1\nkind: VirtualMachine\nmetadata: {name: " + name +
         ", namespace: default}\nspec:\n  runStrategy: " + run_strategy +
         "\n  template:\n    spec:\n      domain:\n        devices:\n"
         "          disks: [{name: rootdisk, disk: {bus: virtio}}]\n"
         "        resources: {requests: {memory: 128Mi}}\n      volumes:\n"
         "      - {name: rootdisk, containerDisk: {image: " + image + "}}\n";
}

inline std::string web_replicaset_yaml(int replicas) {
  return R"(
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web, namespace: default}
spec:
  replicas: )" + std::to_string(replicas) + R"(
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: registry.example/web:1.0
        resources: {requests: {cpu: 100m, memory: 128Mi}}
)";
}

// The first line of `text` that starts with `prefix` ("" when none does).
inline std::string line_beginning_with(const std::string& text, const std::string& prefix) {
  std::size_t at = 0;
  while (at < text.size()) {
    const auto end = text.find('\n', at);
    const auto line = text.substr(at, end == std::string::npos ? std::string::npos : end - at);
    if (line.starts_with(prefix)) return line;
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return "";
}

// Runs a command line; fails the test when it errs. Returns what it printed.
inline std::string run_ok(sim::commands::Executor& executor, const std::string& line) {
  auto out = executor.run(line);
  INFO(line << " -> " << out.error);
  REQUIRE(out.ok());
  return out.output;
}

// Steps the simulation in `step` increments until `condition` holds or `limit`
// passes; returns the sim time it first held (or -1).
template <class F>
double run_until_true(sim::cluster::Cluster& cluster, double limit, F condition, double step = 0.01) {
  while (cluster.now() <= limit) {
    if (condition()) return cluster.now();
    cluster.run_until(cluster.now() + step);
  }
  return -1;
}

inline std::shared_ptr<const models::Pod> pod(sim::cluster::Cluster& c, const std::string& name) {
  return c.store().get<models::Pod>("default", name);
}

inline bool pod_running(sim::cluster::Cluster& c, const std::string& name) {
  auto p = pod(c, name);
  return p && p->status.phase == "Running";
}

inline std::shared_ptr<const models::VirtualMachineInstance> vmi(sim::cluster::Cluster& c, const std::string& name) {
  return c.store().get<models::VirtualMachineInstance>("default", name);
}

inline bool vmi_running(sim::cluster::Cluster& c, const std::string& name) {
  auto v = vmi(c, name);
  return v && v->status.phase == "Running";
}

inline bool all_vmis_running(sim::cluster::Cluster& c, const std::vector<std::string>& names) {
  for (const auto& n : names)
    if (!vmi_running(c, n)) return false;
  return true;
}

// The virt-launcher pod the VMI owns (nullptr without the VMI or the pod).
inline std::shared_ptr<const models::Pod> launcher_of(sim::cluster::Cluster& c, const std::string& vmi_name) {
  auto v = vmi(c, vmi_name);
  if (!v) return nullptr;
  for (const auto& o : c.store().owned_by(v->metadata.uid))
    if (o->kind == "Pod") return std::static_pointer_cast<const models::Pod>(o);
  return nullptr;
}

// Runs until VMI `name` (other than the one of UID `not_uid`) is in `phase`; returns when (or -1).
inline double when_phase(sim::cluster::Cluster& c, const std::string& name, const std::string& phase, double limit,
                         const std::string& not_uid = "") {
  return run_until_true(c, limit, [&] {
    auto v = vmi(c, name);
    return v && v->metadata.uid != not_uid && v->status.phase == phase;
  });
}

// Running, Ready and not being deleted: what READY 1/1 Running shows.
inline bool running_ready(const std::shared_ptr<const models::Pod>& p) {
  if (!p || p->status.phase != "Running" || p->metadata.being_deleted()) return false;
  const auto* ready = models::find_condition(p->status.conditions, "Ready");
  return ready && ready->status == "True";
}

// When the trace first shows `change` (prefix) on pod `name`, after `after`; -1 if never.
inline double first_time(sim::cluster::Cluster& c, const std::string& name, const std::string& change,
                         double after = -1) {
  for (const auto& r : c.trace().records())
    if (r.kind == "Pod" && r.name == name && r.change.rfind(change, 0) == 0 && r.time > after) return r.time;
  return -1;
}

// When the trace first shows `change` (substring) on `kind name`, after `after`; -1 if never.
inline double first_record(sim::cluster::Cluster& c, const std::string& kind, const std::string& name,
                           const std::string& change, double after = -1) {
  for (const auto& r : c.trace().records())
    if (r.kind == kind && r.name == name && r.time > after && r.change.find(change) != std::string::npos) return r.time;
  return -1;
}

// Writes a manifest for `apply -f` to a per-process temporary file; returns its path.
inline std::string write_file(const std::string& name, const std::string& text) {
  const std::string path = "/tmp/kvsim-test-" + std::to_string(::getpid()) + "-" + name;
  std::ofstream(path) << text;
  return path;
}

}  // namespace kvsim::testing
