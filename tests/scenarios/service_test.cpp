// Services and namespaces end to end: ClusterIP allocation, Endpoints that
// follow pod readiness, headless Services, a Service in front of a VM, and
// namespace deletion. One simulation per TEST_CASE.
#include "models/discovery.hpp"
#include "models/kubevirt.hpp"
#include "small_cluster.hpp"

using namespace kvsim;
using testing::apply_yaml;
using testing::run_ok;
using testing::run_until_true;

namespace {

const char* kWeb = R"(
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
)";

std::string web_pod(const std::string& name) {
  return "apiVersion: v1\nkind: Pod\nmetadata: {name: " + name +
         ", labels: {app: web}}\nspec:\n  containers: [{name: nginx, image: nginx:1.27, ports: [{containerPort: 8080}]}]\n";
}

std::shared_ptr<const models::Endpoints> endpoints(sim::cluster::Cluster& c, const std::string& name,
                                                   const std::string& ns = "default") {
  return c.store().get<models::Endpoints>(ns, name);
}

std::size_t ready_addresses(sim::cluster::Cluster& c, const std::string& name) {
  auto ep = endpoints(c, name);
  std::size_t n = 0;
  if (ep)
    for (const auto& s : ep->subsets) n += s.addresses.size();
  return n;
}

std::string pod_ip(sim::cluster::Cluster& c, const std::string& name) {
  auto p = c.store().get<models::Pod>("default", name);
  return p ? p->status.podIP : std::string();
}

}  // namespace

TEST_CASE("a Service gets a ClusterIP and Endpoints that follow its pods' readiness") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  const auto& p = cluster.profile();
  apply_yaml(cluster, kWeb);
  auto svc = cluster.store().get<models::Service>("default", "web");
  REQUIRE(svc);
  CHECK(svc->spec.clusterIP.rfind("172.30.", 0) == 0);
  CHECK(svc->spec.clusterIPs == std::vector<std::string>{svc->spec.clusterIP});
  cluster.run_until(1);
  CHECK(run_ok(ex, "get ep web") == "NAME   ENDPOINTS   AGE\nweb    <none>      1s\n");
  apply_yaml(cluster, web_pod("web-a"));
  apply_yaml(cluster, web_pod("web-b"));
  const double both = run_until_true(cluster, 60, [&] { return ready_addresses(cluster, "web") == 2; });
  REQUIRE(both > 0);
  // Each pod's Ready write reaches the endpoints controller one watch latency later.
  double last_ready = 0;
  for (const auto& r : cluster.trace().records())
    if (r.kind == "Pod" && r.change == "phase Pending -> Running") last_ready = std::max(last_ready, r.time);
  CHECK(both == Approx(last_ready + p.watch_latency).margin(0.011));
  const auto a = pod_ip(cluster, "web-a"), b = pod_ip(cluster, "web-b");
  const auto listed = run_ok(ex, "get endpoints web");
  CHECK((listed.find(a + ":8080," + b + ":8080") != std::string::npos ||
         listed.find(b + ":8080," + a + ":8080") != std::string::npos));
  // web-a's readiness probe starts failing: it moves to notReadyAddresses.
  auto pod_a = std::static_pointer_cast<models::Pod>(cluster.store().get<models::Pod>("default", "web-a")->clone());
  models::set_condition(pod_a->status.conditions, {"Ready", "False", "ContainersNotReady", "containers with unready status: [nginx]"},
                        cluster.now());
  pod_a->metadata.resourceVersion.clear();
  REQUIRE(cluster.store().update(pod_a, sim::api::Cause{"kubelet/" + pod_a->spec.nodeName, "Ready -> False", "readiness probe failed"}).ok());
  const double t = cluster.now();
  const double dropped = run_until_true(cluster, t + 10, [&] { return ready_addresses(cluster, "web") == 1; });
  CHECK(dropped - t == Approx(p.watch_latency).margin(0.011));
  auto ep = endpoints(cluster, "web");
  REQUIRE(ep->subsets.size() == 1);
  CHECK(ep->subsets[0].addresses[0].ip == b);
  REQUIRE(ep->subsets[0].notReadyAddresses.size() == 1);
  CHECK(ep->subsets[0].notReadyAddresses[0].ip == a);
  const auto described = run_ok(ex, "describe svc web");
  CHECK(described.find("Name:                     web\n"
                       "Namespace:                default\n"
                       "Labels:                   <none>\n"
                       "Annotations:              <none>\n"
                       "Selector:                 app=web\n"
                       "Type:                     ClusterIP\n"
                       "IP Family Policy:         SingleStack\n"
                       "IP Families:              IPv4\n"
                       "IP:                       " + svc->spec.clusterIP + "\n"
                       "IPs:                      " + svc->spec.clusterIP + "\n"
                       "Port:                     <unset>  80/TCP\n"
                       "TargetPort:               8080/TCP\n"
                       "Endpoints:                " + b + ":8080\n"
                       "Session Affinity:         None\n"
                       "Internal Traffic Policy:  Cluster\n"
                       "Events:                   <none>\n") == 0);
  // A deleted pod leaves the Endpoints (it is not ready while terminating, then gone).
  run_ok(ex, "delete pod web-b");
  CHECK(run_until_true(cluster, cluster.now() + 10, [&] { return ready_addresses(cluster, "web") == 0; }) > 0);
  // The Service goes, and its Endpoints with it.
  run_ok(ex, "delete svc web");
  CHECK(run_until_true(cluster, cluster.now() + 10, [&] { return !endpoints(cluster, "web"); }) > 0);
  cluster.shutdown();
}

TEST_CASE("a headless Service has no ClusterIP and publishes pod hostnames, a taken ClusterIP is refused") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  apply_yaml(cluster, R"(
apiVersion: v1
kind: Service
metadata: {name: nginx, labels: {app: nginx}}
spec:
  clusterIP: None
  selector: {app: nginx}
  ports: [{port: 80, name: web}]
---
apiVersion: v1
kind: Pod
metadata: {name: web-0, labels: {app: nginx}}
spec:
  hostname: web-0
  subdomain: nginx
  containers: [{name: nginx, image: registry.k8s.io/nginx-slim:0.24, ports: [{containerPort: 80, name: web}]}]
)");
  REQUIRE(run_until_true(cluster, 60, [&] { return ready_addresses(cluster, "nginx") == 1; }) > 0);
  const auto svc_table = run_ok(ex, "get svc nginx");
  CHECK(svc_table.find("nginx   ClusterIP   None         <none>        80/TCP") != std::string::npos);
  auto ep = endpoints(cluster, "nginx");
  CHECK(ep->subsets[0].addresses[0].hostname == "web-0");
  CHECK(ep->metadata.labels.at("service.kubernetes.io/headless").empty());
  // `kubernetes` holds 172.30.0.1: asking for it again is refused with the allocator's words.
  auto loaded = models::load_manifests(R"(
apiVersion: v1
kind: Service
metadata: {name: clash}
spec:
  clusterIP: 172.30.0.1
  ports: [{port: 443}]
)", "clash.yaml");
  REQUIRE(loaded.ok());
  auto r = cluster.store().create(loaded.objects[0], sim::api::Cause{"user", "", "test"});
  CHECK(r.error ==
        "Service \"clash\" is invalid: spec.clusterIPs: Invalid value: []string{\"172.30.0.1\"}: failed to allocate IP "
        "172.30.0.1: provided IP is already allocated");
  CHECK(run_ok(ex, "get svc kubernetes").find("kubernetes   ClusterIP   172.30.0.1   <none>        443/TCP") !=
        std::string::npos);
  cluster.shutdown();
}

TEST_CASE("a Service selecting a VM's label reaches its virt-launcher pod") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  apply_yaml(cluster, R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: vm1}
spec:
  runStrategy: Always
  template:
    metadata: {labels: {kubevirt.io/vm: vm1}}
    spec:
      domain:
        devices: {disks: [{name: rootdisk, disk: {bus: virtio}}]}
        memory: {guest: 1Gi}
      volumes: [{name: rootdisk, containerDisk: {image: quay.io/containerdisks/fedora:40}}]
---
apiVersion: v1
kind: Service
metadata: {name: vm1-ssh}
spec:
  selector: {kubevirt.io/vm: vm1}
  ports: [{port: 22, targetPort: 22}]
)");
  REQUIRE(run_until_true(cluster, 120, [&] { return ready_addresses(cluster, "vm1-ssh") == 1; }) > 0);
  const auto& address = endpoints(cluster, "vm1-ssh")->subsets[0].addresses[0];
  REQUIRE(address.targetRef);
  CHECK(address.targetRef->name.rfind("virt-launcher-vm1-", 0) == 0);
  auto launcher = cluster.store().get<models::Pod>("default", address.targetRef->name);
  REQUIRE(launcher);
  CHECK(address.ip == launcher->status.podIP);
  CHECK(address.nodeName == launcher->spec.nodeName);
  cluster.shutdown();
}

TEST_CASE("deleting a namespace marks it Terminating, refuses new content, empties it, then it goes") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  sim::commands::Executor ex(cluster);
  CHECK(run_ok(ex, "get ns") ==
        "NAME                                 STATUS   AGE\n"
        "default                              Active   3d\n"
        "kube-node-lease                      Active   3d\n"
        "kube-system                          Active   3d\n"
        "openshift                            Active   3d\n"
        "openshift-cnv                        Active   3d\n"
        "openshift-virtualization-os-images   Active   3d\n");
  apply_yaml(cluster, R"(
apiVersion: v1
kind: Namespace
metadata: {name: demo}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: demo}
spec:
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: web-0, namespace: demo, labels: {app: web}}
spec:
  terminationGracePeriodSeconds: 5
  containers: [{name: nginx, image: nginx:1.27}]
)");
  REQUIRE(run_until_true(cluster, 60, [&] {
            auto p = cluster.store().get<models::Pod>("demo", "web-0");
            return p && p->status.phase == "Running";
          }) > 0);
  CHECK(run_ok(ex, "delete ns demo") == "namespace \"demo\" deleted\n");
  const double t = cluster.now();
  CHECK(run_ok(ex, "get ns demo").find("demo   Terminating") != std::string::npos);
  auto late = models::load_manifests(web_pod("late"), "late.yaml");
  late.objects[0]->metadata.namespace_ = "demo";
  auto refused = cluster.store().create(late.objects[0], sim::api::Cause{"user", "", "test"});
  CHECK(refused.code == 403);
  CHECK(refused.error ==
        "pods \"late\" is forbidden: unable to create new content in namespace demo because it is being terminated");
  const double gone = run_until_true(cluster, t + 60, [&] { return !cluster.store().get<models::Namespace>("", "demo"); });
  REQUIRE(gone > 0);
  CHECK(cluster.store().list(models::Pod::kind_info(), "demo").empty());
  CHECK(cluster.store().list(models::Service::kind_info(), "demo").empty());
  // The controller looks again after the pods' grace period (5 s), as upstream estimates it.
  CHECK(gone - t == Approx(cluster.profile().watch_latency + 5).margin(0.011));
  cluster.shutdown();
}
