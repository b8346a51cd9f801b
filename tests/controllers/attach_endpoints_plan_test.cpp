// The attach/detach controller's and the endpoints controller's decisions as
// tables, and the ClusterIP allocator.
#include <catch2/catch.hpp>

#include "sim/api/stateful_admission.hpp"
#include "sim/controllers/attachdetach/attachment_name.hpp"
#include "sim/controllers/attachdetach/plan.hpp"
#include "sim/controllers/endpoints/plan.hpp"

using namespace kvsim;
namespace attachdetach = sim::controllers::attachdetach;
namespace endpoints = sim::controllers::endpoints;

namespace {

models::PersistentVolume csi_pv(std::vector<std::string> modes) {
  models::PersistentVolume v;
  v.metadata.name = "pvc-1";
  v.spec.accessModes = std::move(modes);
  v.spec.csi = {{"driver", "openshift-storage.rbd.csi.ceph.com"}, {"volumeHandle", "h"}};
  return v;
}

models::Pod named_pod(const std::string& name, const std::string& ns = "default") {
  models::Pod p;
  p.metadata.name = name;
  p.metadata.namespace_ = ns;
  p.metadata.uid = "uid-" + name;
  return p;
}

}  // namespace

TEST_CASE("a ReadWriteOnce volume attaches to one node, pods elsewhere get a Multi-Attach error naming the holders") {
  const auto pv = csi_pv({"ReadWriteOnce"});
  const auto a = named_pod("db-a"), b = named_pod("db-b"), other_ns = named_pod("x", "team2");
  attachdetach::AttachView v;
  v.pv = &pv;
  v.wanted = {{"worker-1", {&a}}, {"worker-2", {&b}}};
  v.attached = {"worker-1"};
  auto plan = attachdetach::plan_attachments(v);
  CHECK(plan.attach.empty());
  CHECK(plan.detach.empty());
  REQUIRE(plan.refused.size() == 1);
  CHECK(plan.refused[0].node == "worker-2");
  CHECK(plan.refused[0].message == "Multi-Attach error for volume \"pvc-1\" Volume is already used by pod(s) db-a");
  // Holders in another namespace are only counted.
  v.wanted = {{"worker-1", {&a, &other_ns}}, {"worker-2", {&b}}};
  plan = attachdetach::plan_attachments(v);
  CHECK(plan.refused[0].message ==
        "Multi-Attach error for volume \"pvc-1\" Volume is already used by pod(s) db-a and 1 pod(s) in different "
        "namespaces");
  // The holder is gone but the volume is still attached (detaching): no pod to name.
  v.wanted = {{"worker-2", {&b}}};
  plan = attachdetach::plan_attachments(v);
  CHECK(plan.detach == std::vector<std::string>{"worker-1"});
  CHECK(plan.refused[0].message ==
        "Multi-Attach error for volume \"pvc-1\" Volume is already exclusively attached to one node and can't be "
        "attached to another");
  // Once detached, the waiting node gets it.
  v.attached.clear();
  plan = attachdetach::plan_attachments(v);
  CHECK(plan.attach == std::vector<std::string>{"worker-2"});
  CHECK(plan.refused.empty());
}

TEST_CASE("two nodes asking at once: the earlier asker attaches, RWX volumes attach everywhere") {
  const auto a = named_pod("a"), b = named_pod("b");
  auto rwo = csi_pv({"ReadWriteOnce"});
  attachdetach::AttachView v;
  v.pv = &rwo;
  v.wanted = {{"worker-3", {&a}}, {"worker-1", {&b}}};
  auto plan = attachdetach::plan_attachments(v);
  CHECK(plan.attach == std::vector<std::string>{"worker-3"});
  REQUIRE(plan.refused.size() == 1);
  CHECK(plan.refused[0].pod == &b);
  auto rwx = csi_pv({"ReadWriteMany"});
  v.pv = &rwx;
  plan = attachdetach::plan_attachments(v);
  CHECK(plan.attach == std::vector<std::string>{"worker-3", "worker-1"});
  CHECK(plan.refused.empty());
  CHECK(attachdetach::multi_attach_allowed(csi_pv({"ReadOnlyMany"})));
  models::PersistentVolume host_path;
  host_path.spec.hostPath = models::HostPathVolumeSource{"/mnt/data", ""};
  CHECK_FALSE(attachdetach::attachable(host_path));
}

TEST_CASE("a VolumeAttachment is named csi-<sha256(pv + attacher + node)>") {
  CHECK(attachdetach::sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(attachdetach::sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const auto name = attachdetach::attachment_name("pvc-1", "driver", "worker-1");
  CHECK(name == "csi-" + attachdetach::sha256_hex("pvc-1driverworker-1"));
  CHECK(name.size() == 68);
}

namespace {

models::Service service() {
  models::Service s;
  s.metadata.name = "web";
  s.metadata.namespace_ = "default";
  s.spec.selector = {{"app", "web"}};
  s.spec.clusterIP = "172.30.1.2";
  return s;
}

models::Pod web_pod(const std::string& name, const std::string& ip, bool ready) {
  auto p = named_pod(name);
  p.metadata.labels = {{"app", "web"}};
  p.spec.nodeName = "worker-1";
  p.status.phase = "Running";
  p.status.podIP = ip;
  p.status.conditions.push_back({"Ready", ready ? "True" : "False", "", ""});
  models::Container c;
  c.name = "nginx";
  c.ports.push_back({"http", 8080, std::nullopt, "TCP", ""});
  p.spec.containers.push_back(c);
  return p;
}

std::vector<std::string> ips(const std::vector<models::EndpointAddress>& addresses) {
  std::vector<std::string> out;
  for (const auto& a : addresses) out.push_back(a.ip);
  return out;
}

}  // namespace

TEST_CASE("Endpoints list ready pods, keep the others apart, and drop pods without an IP or being deleted") {
  auto svc = service();
  svc.spec.ports.push_back({"http", 80, models::IntOrString::of(std::string("http")), "TCP", std::nullopt});
  const auto a = web_pod("a", "10.128.2.7", true);
  const auto b = web_pod("b", "10.128.10.3", true);
  const auto c = web_pod("c", "10.128.4.4", false);
  auto no_ip = web_pod("d", "", true);
  auto going = web_pod("e", "10.128.4.9", true);
  going.metadata.deletionTimestamp = models::Timestamp{5};
  auto done = web_pod("f", "10.128.4.10", true);
  done.status.phase = "Succeeded";
  auto subsets = endpoints::endpoint_subsets(svc, {&a, &b, &c, &no_ip, &going, &done});
  REQUIRE(subsets.size() == 1);
  // Sorted by IP as text, as upstream's RepackSubsets leaves them.
  CHECK(ips(subsets[0].addresses) == std::vector<std::string>{"10.128.10.3", "10.128.2.7"});
  CHECK(ips(subsets[0].notReadyAddresses) == std::vector<std::string>{"10.128.4.4"});
  REQUIRE(subsets[0].ports.size() == 1);
  CHECK(subsets[0].ports[0].port == 8080);  // the named targetPort resolved on the pod
  CHECK(subsets[0].ports[0].name == "http");
  CHECK(subsets[0].addresses[0].targetRef->name == "b");
  CHECK(subsets[0].addresses[0].nodeName == "worker-1");
  // publishNotReadyAddresses: everything with an IP counts as ready, deleted pods too.
  svc.spec.publishNotReadyAddresses = true;
  subsets = endpoints::endpoint_subsets(svc, {&a, &b, &c, &going});
  CHECK(ips(subsets[0].addresses) == std::vector<std::string>{"10.128.10.3", "10.128.2.7", "10.128.4.4", "10.128.4.9"});
  CHECK(subsets[0].notReadyAddresses.empty());
}

TEST_CASE("a headless Service without ports lists bare addresses, a pod lacking a named port is left out") {
  auto svc = service();
  svc.spec.clusterIP = "None";
  auto a = web_pod("a", "10.128.2.7", true);
  a.spec.hostname = "a";
  a.spec.subdomain = "web";
  auto subsets = endpoints::endpoint_subsets(svc, {&a});
  REQUIRE(subsets.size() == 1);
  CHECK(subsets[0].ports.empty());
  CHECK(subsets[0].addresses[0].hostname == "a");
  svc.spec.ports.push_back({"metrics", 9090, models::IntOrString::of(std::string("metrics")), "TCP", std::nullopt});
  CHECK(endpoints::endpoint_subsets(svc, {&a}).empty());
}

TEST_CASE("ClusterIPs come from the upper band of the service network, stable per Service, never reused") {
  const auto range = *sim::api::parse_cidr("172.30.0.0/16");
  std::set<std::uint32_t> used;
  const auto first = sim::api::allocate_cluster_ip(range, "default/web", used);
  CHECK(first == sim::api::allocate_cluster_ip(range, "default/web", used));  // same Service, same address
  const auto ip = *sim::api::parse_ipv4(first);
  CHECK(ip >= *sim::api::parse_ipv4("172.30.1.0"));  // the lower 256 addresses are left for static choices
  CHECK(ip < *sim::api::parse_ipv4("172.30.255.255"));
  used.insert(ip);
  const auto again = sim::api::allocate_cluster_ip(range, "default/web", used);
  CHECK(again != first);
  CHECK(*sim::api::parse_ipv4(again) == ip + 1);  // probes past the taken one
  // A full /30 has two usable addresses, then nothing.
  const auto tiny = *sim::api::parse_cidr("10.0.0.0/30");
  std::set<std::uint32_t> taken;
  for (int i = 0; i < 2; ++i) taken.insert(*sim::api::parse_ipv4(sim::api::allocate_cluster_ip(tiny, "x", taken)));
  CHECK(sim::api::allocate_cluster_ip(tiny, "x", taken).empty());
}
