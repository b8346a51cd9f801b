// kubelet's events and pod addresses (issue 20, item 15): "Created container: NAME" before
// "Started container NAME" for every container (kubelet 1.32 kuberuntime_container.go), the
// full Pulled text "Successfully pulled image %q in %v (%v including waiting). Image size: %v
// bytes." or "Container image %q already present on machine" (image_manager.go), and pod IPs
// from .3 of the node's subnet (.1 gateway, .2 ovn-k8s-mp0: ovn-kubernetes pkg/util/net.go).
#include "small_cluster.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

using namespace kvsim;

namespace {

std::vector<std::string> events_of(sim::cluster::Cluster& c, const models::Pod& pod) {
  auto events = c.store().events_for(pod.metadata.uid);
  // In the order they were recorded: first seen, then created (resourceVersion).
  std::stable_sort(events.begin(), events.end(), [](const auto& a, const auto& b) {
    return std::make_pair(a->firstTimestamp, std::stoull(a->metadata.resourceVersion)) <
           std::make_pair(b->firstTimestamp, std::stoull(b->metadata.resourceVersion));
  });
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(*e->reason + ": " + *e->message);
  return out;
}

std::uint32_t address(const std::string& ip) {
  unsigned a = 0, b = 0, c = 0, d = 0;
  std::sscanf(ip.c_str(), "%u.%u.%u.%u", &a, &b, &c, &d);
  return (a << 24) | (b << 16) | (c << 8) | d;
}

}  // namespace

TEST_CASE("kubelet reports Pulled with pull and wait times and image size, then Created and Started per container") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  testing::apply_yaml(cluster, testing::web_replicaset_yaml(4));
  REQUIRE(testing::run_until_true(cluster, 120, [&] {
            const auto pods = cluster.store().list(models::Pod::kind_info(), "default");
            return pods.size() == 4 && std::all_of(pods.begin(), pods.end(), [](const auto& o) {
                     return testing::running_ready(std::static_pointer_cast<const models::Pod>(o));
                   });
          }) > 0);
  // Each node pulls the image once over the network; a pod that queued behind that pull
  // finds every layer present ("in 0s", after its wait).
  int transferred = 0, behind = 0;
  std::set<std::string> nodes;
  for (const auto& o : cluster.store().list(models::Pod::kind_info(), "default")) {
    const auto& pod = static_cast<const models::Pod&>(*o);
    nodes.insert(pod.spec.nodeName);
    const auto events = events_of(cluster, pod);
    INFO(pod.metadata.name);
    REQUIRE(events.size() == 5);
    CHECK(events[0] == "Scheduled: Successfully assigned default/" + pod.metadata.name + " to " + pod.spec.nodeName);
    CHECK(events[1] == "Pulling: Pulling image \"registry.example/web:1.0\"");
    const std::string prefix = "Pulled: Successfully pulled image \"registry.example/web:1.0\" in ";
    REQUIRE(events[2].rfind(prefix, 0) == 0);
    CHECK(events[2].find(" including waiting). Image size: 50000000 bytes.") != std::string::npos);
    (events[2].rfind(prefix + "0s (", 0) == 0 ? behind : transferred)++;
    CHECK(events[3] == "Created: Created container: web");
    CHECK(events[4] == "Started: Started container web");
  }
  CHECK(transferred == static_cast<int>(nodes.size()));
  CHECK(behind == 4 - static_cast<int>(nodes.size()));

  // A pod started later on a node that holds the image pulls nothing.
  const std::string node = *nodes.begin();
  testing::apply_yaml(cluster, "apiVersion: v1\nkind: Pod\nmetadata: {name: late, namespace: default}\n"
                               "spec:\n  nodeName: " + node + "\n  containers:\n"
                               "  - {name: web, image: \"registry.example/web:1.0\"}\n");
  REQUIRE(testing::run_until_true(cluster, cluster.now() + 30, [&] { return testing::running_ready(testing::pod(cluster, "late")); }) > 0);
  CHECK(events_of(cluster, *testing::pod(cluster, "late")) ==
        std::vector<std::string>{"Pulled: Container image \"registry.example/web:1.0\" already present on machine",
                                 "Created: Created container: web", "Started: Started container web"});
}

TEST_CASE("pod IPs on a node start at .3 of its subnet, after the gateway and ovn-k8s-mp0") {
  auto options = testing::small_cluster_options();
  options.profile.cluster_age = 0;  // every pod of the cluster is watched from its start
  sim::cluster::Cluster cluster(options);
  testing::apply_yaml(cluster, testing::web_replicaset_yaml(6));
  cluster.run_until(60);
  std::map<std::string, std::uint32_t> lowest;  // node -> lowest pod address
  for (const auto& o : cluster.store().list(models::Pod::kind_info())) {
    const auto& pod = static_cast<const models::Pod&>(*o);
    if (pod.status.podIP.empty() || pod.spec.nodeName.empty()) continue;
    const auto a = address(pod.status.podIP);
    auto [it, fresh] = lowest.emplace(pod.spec.nodeName, a);
    if (!fresh) it->second = std::min(it->second, a);
  }
  REQUIRE(lowest.size() == 3);  // the workers
  for (const auto& [node, a] : lowest) {
    INFO(node);
    const auto n = cluster.store().get<models::Node>("", node);
    REQUIRE(n);
    CHECK(a - address(n->spec.podCIDR) == 3);
  }
}
