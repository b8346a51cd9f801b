#include "sim/cluster/cluster.hpp"

#include <fmt/format.h>

#include <simgrid/s4u.hpp>

#include "models/apps.hpp"
#include "sim/controllers/gc/garbage_collector.hpp"
#include "sim/controllers/replicaset/replicaset_controller.hpp"
#include "sim/controllers/scheduler/scheduler.hpp"
#include "sim/engine/clock.hpp"
#include "sim/kubevirt/virt_controller.hpp"
#include "sim/kubevirt/virt_handler.hpp"
#include "sim/node/kubelet.hpp"

namespace kvsim::sim::cluster {

namespace sg4 = simgrid::s4u;

namespace {

// One engine per process (SimGrid cannot reset it).
sg4::Engine& engine_instance() {
  static int argc = 1;
  static char name[] = "kvsim";
  static char log1[] = "--log=root.thresh:critical";
  static char* argv[] = {name, log1, nullptr};
  static int real_argc = 2;
  (void)argc;
  static sg4::Engine engine(&real_argc, argv);
  return engine;
}

const api::Cause kBootstrap{"cluster-bootstrap", "", "scenario platform"};

}  // namespace

std::string node_pod_cidr(const std::string& cluster_cidr, std::size_t index) {
  unsigned a = 10, b = 128, c = 0, d = 0, bits = 14;
  std::sscanf(cluster_cidr.c_str(), "%u.%u.%u.%u/%u", &a, &b, &c, &d, &bits);
  const std::uint32_t base = (a << 24) | (b << 16) | (c << 8) | d;
  const std::uint32_t net = base + static_cast<std::uint32_t>(index) * 512;  // a /23 is 512 addresses
  return fmt::format("{}.{}.{}.{}/23", net >> 24, (net >> 16) & 255, (net >> 8) & 255, net & 255);
}

Cluster::Cluster(ClusterOptions options) : options_(std::move(options)), rng_(options_.seed) {
  engine_instance();
  sg4::Engine::set_config("contexts/guard-size:0");
  engine::build_platform(options_.platform);
  if (!options_.trace_file.empty() && !trace_.open_file(options_.trace_file))
    throw std::runtime_error(fmt::format("cannot write the trace file {}", options_.trace_file));
  store_ = std::make_unique<api::Store>(rng_, trace_);
  ctx_ = std::make_unique<controllers::Context>(controllers::Context{*store_, options_.profile, rng_});
  bootstrap_objects();

  std::string control_host;
  for (const auto& n : options_.platform.nodes)
    if (n.role == "control-plane") {
      control_host = n.name;
      break;
    }
  if (control_host.empty()) throw std::runtime_error("the platform needs at least one control-plane node");

  auto gc = std::make_unique<controllers::gc::GarbageCollector>(*ctx_, control_host);
  auto* gc_ptr = gc.get();
  store_->add_change_listener([gc_ptr](const api::WatchEvent& e) { gc_ptr->observe(e); });
  components_.push_back(std::move(gc));
  components_.push_back(std::make_unique<controllers::scheduler::Scheduler>(*ctx_, control_host));
  components_.push_back(std::make_unique<controllers::replicaset::ReplicaSetController>(*ctx_, control_host));
  components_.push_back(std::make_unique<kubevirt::VirtController>(*ctx_, control_host));
  for (const auto& n : options_.platform.nodes) {
    auto kubelet = std::make_unique<node::Kubelet>(*ctx_, leases_, n.name);
    kubelets_.push_back(kubelet.get());
    components_.push_back(std::move(kubelet));
    if (n.role == "worker") {
      auto handler = std::make_unique<kubevirt::VirtHandler>(*ctx_, n.name);
      handlers_.push_back(handler.get());
      components_.push_back(std::move(handler));
    }
  }
  bootstrap_kubevirt();
  for (auto& c : components_) c->start();
}

Cluster::~Cluster() { shutdown(); }

double Cluster::now() const { return engine::now(); }

void Cluster::run_until(double t) {
  auto& e = engine_instance();
  e.run_until(std::max(t, sg4::Engine::get_clock()));
}

void Cluster::shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  trace_.close_file();
  sg4::Actor::kill_all();
  engine_instance().run_until(sg4::Engine::get_clock());
}

void Cluster::bootstrap_objects() {
  for (const char* ns : {"default", "kube-system", "kube-node-lease", "openshift-cnv"}) {
    auto n = std::make_shared<models::Namespace>();
    n->apiVersion = "v1";
    n->kind = "Namespace";
    n->metadata.name = ns;
    n->status.phase = "Active";
    store_->create(n, kBootstrap);
  }
  std::size_t index = 0;
  for (const auto& spec : options_.platform.nodes) {
    auto node = std::make_shared<models::Node>();
    node->apiVersion = "v1";
    node->kind = "Node";
    node->metadata.name = spec.name;
    node->metadata.labels = spec.labels;
    node->metadata.labels["kubernetes.io/hostname"] = spec.name;
    node->metadata.labels["kubernetes.io/os"] = "linux";
    node->metadata.labels["kubernetes.io/arch"] = "amd64";
    node->metadata.labels["node-role.kubernetes.io/" + spec.role] = "";
    if (spec.role == "control-plane") node->metadata.labels["node-role.kubernetes.io/master"] = "";
    node->spec.taints = spec.taints;
    node->spec.podCIDR = node_pod_cidr(options_.profile.cluster_cidr, index);
    node->spec.podCIDRs = {node->spec.podCIDR};
    auto& st = node->status;
    st.capacity["cpu"] = spec.cpu;
    st.capacity["memory"] = spec.memory;
    st.capacity["pods"] = models::Quantity::from_units(spec.max_pods);
    for (const auto& [k, v] : spec.extended) st.capacity[k] = v;
    st.allocatable = st.capacity;
    st.conditions.push_back({"Ready", "True", "KubeletReady", "kubelet is posting ready status", models::Timestamp{0},
                             std::nullopt, models::Timestamp{0}});
    st.addresses = {{"InternalIP", fmt::format("192.168.{}.{}", 10 + index / 250, 10 + index % 250)},
                    {"Hostname", spec.name}};
    st.nodeInfo = {"v" + options_.profile.kubernetes_version + ".5", "Red Hat Enterprise Linux CoreOS 4.19",
                   "5.14.0-570.el9_6.x86_64", "cri-o://1.32.5", "amd64", "linux"};
    store_->create(node, kBootstrap);
    ++index;
  }
}

// The KubeVirt control plane as OpenShift Virtualization installs it in
// openshift-cnv. virt-api and virt-controller run as ReplicaSets (the
// Deployment controller comes with the workloads issue); virt-handler pods
// are bound to each worker at start (the DaemonSet controller likewise).
void Cluster::bootstrap_kubevirt() {
  auto make_rs = [&](const std::string& name, const std::string& hash) {
    auto rs = std::make_shared<models::ReplicaSet>();
    rs->apiVersion = "apps/v1";
    rs->kind = "ReplicaSet";
    rs->metadata.name = name + "-" + hash;
    rs->metadata.namespace_ = "openshift-cnv";
    rs->metadata.labels = {{"kubevirt.io", name}, {"pod-template-hash", hash}};
    rs->spec.replicas = 2;
    rs->spec.selector = models::LabelSelector{{{"kubevirt.io", name}, {"pod-template-hash", hash}}, {}};
    rs->spec.template_.metadata.labels = rs->metadata.labels;
    models::Container c;
    c.name = name;
    c.image = "registry.redhat.io/container-native-virtualization/" + name + "-rhel9:v4.19";
    c.resources.requests = {{"cpu", *models::Quantity::parse("10m")}, {"memory", *models::Quantity::parse("150Mi")}};
    rs->spec.template_.spec.containers = {c};
    store_->create(rs, kBootstrap);
  };
  make_rs("virt-api", "7d9f8b6c5");
  make_rs("virt-controller", "5b7c6d9f4");

  auto ds = std::make_shared<models::DaemonSet>();
  ds->apiVersion = "apps/v1";
  ds->kind = "DaemonSet";
  ds->metadata.name = "virt-handler";
  ds->metadata.namespace_ = "openshift-cnv";
  ds->metadata.labels = {{"kubevirt.io", "virt-handler"}};
  ds->spec.selector = models::LabelSelector{{{"kubevirt.io", "virt-handler"}}, {}};
  ds->spec.template_.metadata.labels = ds->metadata.labels;
  models::Container c;
  c.name = "virt-handler";
  c.image = "registry.redhat.io/container-native-virtualization/virt-handler-rhel9:v4.19";
  ds->spec.template_.spec.containers = {c};
  auto created = store_->create(ds, kBootstrap);
  if (!created.ok()) throw std::runtime_error(created.error);
  for (const auto& n : options_.platform.nodes) {
    if (n.role != "worker") continue;
    auto pod = std::make_shared<models::Pod>();
    pod->apiVersion = "v1";
    pod->kind = "Pod";
    pod->metadata.generateName = "virt-handler-";
    pod->metadata.namespace_ = "openshift-cnv";
    pod->metadata.labels = ds->metadata.labels;
    pod->metadata.ownerReferences = {{"apps/v1", "DaemonSet", "virt-handler", created.object->metadata.uid, true, true}};
    pod->spec = ds->spec.template_.spec;
    pod->spec.nodeName = n.name;
    store_->create(pod, kBootstrap);
  }
}

}  // namespace kvsim::sim::cluster
