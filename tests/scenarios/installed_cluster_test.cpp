// The cluster starts installed (issue 20, item 16, with item 15's openshift-cnv workloads):
// a trainee logs into a cluster that has run for days, so at t=0 the openshift-cnv pods of
// a real 4.19 install (FIDELITY.md §10 "openshift-cnv contents") are Running, the nodes
// are the profile's clusterAge old, and the install's Events have expired
// (kube-apiserver --event-ttl, 3 h on OpenShift). clusterAge 0 keeps the install visible.
#include "small_cluster.hpp"

#include <iterator>
#include <map>
#include <sstream>

using namespace kvsim;

namespace {

std::vector<std::vector<std::string>> rows(const std::string& table) {
  std::vector<std::vector<std::string>> out;
  std::istringstream lines(table);
  std::string line;
  std::getline(lines, line);  // the header
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    out.push_back({std::istream_iterator<std::string>(words), {}});
  }
  return out;
}

// The workload a pod belongs to: its name less the ReplicaSet hash and the pod suffix
// (a Deployment's pod) or less the pod suffix (a DaemonSet's).
std::string workload(const std::string& pod, bool daemon) {
  auto cut = pod.rfind('-');
  if (!daemon) cut = pod.rfind('-', cut - 1);
  return pod.substr(0, cut);
}

const std::map<std::string, int> kExpectedPods = {
    {"virt-operator", 2},  {"virt-api", 2},       {"virt-controller", 2},  {"virt-exportproxy", 2},
    {"hco-operator", 1},   {"cdi-operator", 1},   {"cdi-apiserver", 1},    {"cdi-deployment", 1},
    {"cdi-uploadproxy", 1}, {"ssp-operator", 1},  {"kubemacpool-cert-manager", 1},
    {"kubemacpool-mac-controller-manager", 1},
    {"virt-handler", 3},   {"bridge-marker", 3},  // a DaemonSet's pod on each of the 3 workers
};

}  // namespace

TEST_CASE("a cluster starts installed: at t=0 the openshift-cnv pods are Running and the nodes days old") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor exec(cluster);
  REQUIRE(cluster.now() == 0);

  // NAME READY STATUS RESTARTS AGE
  std::map<std::string, int> pods;
  for (const auto& row : rows(testing::run_ok(exec, "get pods -n openshift-cnv"))) {
    REQUIRE(row.size() == 5);
    INFO(row[0]);
    CHECK(row[1] == "1/1");
    CHECK(row[2] == "Running");
    CHECK(row[3] == "0");
    CHECK(row[4] == "3d");  // the default clusterAge: 72h
    const bool daemon = row[0].rfind("virt-handler-", 0) == 0 || row[0].rfind("bridge-marker-", 0) == 0;
    ++pods[workload(row[0], daemon)];
  }
  CHECK(pods == kExpectedPods);

  // NAME STATUS ROLES AGE VERSION
  const auto nodes = rows(testing::run_ok(exec, "get nodes"));
  REQUIRE(nodes.size() == 6);
  for (const auto& row : nodes) {
    INFO(row[0]);
    CHECK(row[1] == "Ready");
    CHECK(row[3] == "3d");
  }
  // The install's Scheduled/Pulled/Started events expired long ago.
  CHECK(exec.run("get events -n openshift-cnv").output.find("No resources found") != std::string::npos);

  // The first VM of the scenario finds the launcher image on its node (virt-handler's
  // init container pulled it at install): its launcher pod pulls only the containerDisk.
  testing::apply_yaml(cluster, testing::vm_yaml("vm1"));
  REQUIRE(testing::run_until_true(cluster, 60, [&] {
            return exec.run("get vmi vm1").output.find("Running") != std::string::npos;
          }) > 0);
  std::vector<std::string> pulled;
  for (const auto& o : cluster.store().list(models::Pod::kind_info(), "default"))
    for (const auto& e : cluster.store().events_for(o->metadata.uid))
      if (e->reason == "Pulling") pulled.push_back(e->message);
  CHECK(pulled == std::vector<std::string>{"Pulling image \"" + std::string(testing::kCirrosImage) + "\""});
}

TEST_CASE("a cluster of clusterAge 0 is born at t=0 and its install is watched") {
  auto options = testing::small_cluster_options();
  options.profile.cluster_age = 0;
  sim::cluster::Cluster cluster(options);
  sim::commands::Executor exec(cluster);
  REQUIRE(cluster.now() == 0);
  CHECK(exec.run("get pods -n openshift-cnv").output.find("No resources found") != std::string::npos);
  for (const auto& row : rows(testing::run_ok(exec, "get nodes"))) CHECK(row[3] == "0s");

  cluster.run_until(30);
  std::map<std::string, int> pods;
  for (const auto& row : rows(testing::run_ok(exec, "get pods -n openshift-cnv"))) {
    INFO(row[0]);
    CHECK(row[2] == "Running");
    REQUIRE(row[4].back() == 's');  // seconds old: created during the 30 s watched
    CHECK(std::stoi(row[4]) <= 30);
    const bool daemon = row[0].rfind("virt-handler-", 0) == 0 || row[0].rfind("bridge-marker-", 0) == 0;
    ++pods[workload(row[0], daemon)];
  }
  CHECK(pods == kExpectedPods);
  // Its Scheduled events are still there, as on a fresh cluster.
  CHECK(testing::run_ok(exec, "get events -n openshift-cnv").find("Scheduled") != std::string::npos);
}
