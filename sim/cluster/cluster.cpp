#include "sim/cluster/cluster.hpp"

#include "sim/node/image_pull.hpp"

#include <fmt/format.h>

#include <cstring>

#include <simgrid/s4u.hpp>

#include "models/apps.hpp"
#include "models/pod_admission.hpp"
#include "sim/api/stateful_admission.hpp"
#include "sim/cluster/common_templates.hpp"
#include "sim/cluster/event_expiry.hpp"
#include "sim/cluster/golden_images.hpp"
#include "sim/cluster/openshift_cnv.hpp"
#include "sim/cluster/common_instancetypes.hpp"
#include "sim/kubevirt/instancetype/webhook.hpp"
#include "sim/cluster/platform_services.hpp"
#include "sim/controllers/attachdetach/attach_detach_controller.hpp"
#include "sim/controllers/daemonset/daemonset_controller.hpp"
#include "sim/controllers/deployment/deployment_controller.hpp"
#include "sim/controllers/disruption/disruption_controller.hpp"
#include "sim/controllers/endpoints/endpoints_controller.hpp"
#include "sim/controllers/gc/garbage_collector.hpp"
#include "sim/controllers/nodelifecycle/node_lifecycle_controller.hpp"
#include "sim/controllers/namespace/namespace_controller.hpp"
#include "sim/controllers/nodelifecycle/taint_eviction_controller.hpp"
#include "sim/controllers/podgc/pod_gc_controller.hpp"
#include "sim/controllers/pvbinder/protection_controller.hpp"
#include "sim/controllers/pvbinder/provisioner.hpp"
#include "sim/controllers/pvbinder/pv_controller.hpp"
#include "sim/controllers/replicaset/replicaset_controller.hpp"
#include "sim/controllers/scheduler/scheduler.hpp"
#include "sim/controllers/statefulset/statefulset_controller.hpp"
#include "sim/engine/clock.hpp"
#include "sim/engine/host_activities.hpp"
#include "sim/engine/simgrid_engine.hpp"
#include "sim/hypervisor/libvirt_runtime.hpp"
#include "sim/kubevirt/launcher_pod.hpp"
#include "sim/kubevirt/evacuation_controller.hpp"
#include "sim/kubevirt/migration_controller.hpp"
#include "sim/kubevirt/migration_webhook.hpp"
#include "sim/kubevirt/eviction_admitter.hpp"
#include "sim/kubevirt/kubevirt_admission.hpp"
#include "sim/kubevirt/virt_controller.hpp"
#include "sim/kubevirt/virt_controller_leader.hpp"
#include "sim/kubevirt/virt_node_controller.hpp"
#include "sim/kubevirt/vmirs_controller.hpp"
#include "sim/kubevirt/virt_handler.hpp"
#include "sim/kubevirt/network/sriov_operator.hpp"
#include "sim/kubevirt/storage/cdi_controller.hpp"
#include "sim/node/kubelet.hpp"
#include "sim/node/node_object.hpp"

namespace kvsim::sim::cluster {

namespace sg4 = simgrid::s4u;

namespace {

const api::Cause kBootstrap{"cluster-bootstrap", "", "scenario platform"};

// How much of a cluster's life before the scenario is simulated when it starts installed:
// its install, which settles in about 10 s on a lab-sized cluster (measured on the
// default scenario's 6 nodes), with room for larger ones.
constexpr double kInstallWindow = 120;
// kube-apiserver's --event-ttl: Events go this long after their last write, and the install's
// are gone on an older cluster. OpenShift runs it at 3 h (the kube-apiserver operator's
// defaultconfig.yaml, `event-ttl: 3h`; openshift/api#2520 keeps that default); upstream's is 1 h.
constexpr double kEventTtl = 3 * 3600;

}  // namespace

std::string node_pod_cidr(const std::string& cluster_cidr, std::size_t index) {
  unsigned a = 10, b = 128, c = 0, d = 0, bits = 14;
  std::sscanf(cluster_cidr.c_str(), "%u.%u.%u.%u/%u", &a, &b, &c, &d, &bits);
  const std::uint32_t base = (a << 24) | (b << 16) | (c << 8) | d;
  const std::uint32_t net = base + static_cast<std::uint32_t>(index) * 512;  // a /23 is 512 addresses
  return fmt::format("{}.{}.{}.{}/23", net >> 24, (net >> 16) & 255, (net >> 8) & 255, net & 255);
}

Cluster::Cluster(ClusterOptions options) : options_(std::move(options)), rng_(options_.seed) {
  // A cluster that starts installed runs its install before t=0 (see install()).
  install_window_ = std::min(options_.profile.cluster_age, kInstallWindow);
  engine::set_time_origin(install_window_);
  engine::simgrid_engine(options_.platform.nodes.size());
  engine::build_platform(options_.platform);
  node::set_registry_reachable(true);  // a fault of an earlier simulation in this process does not carry over
  trace_.keep_records(options_.keep_trace_records);
  if (!options_.trace_file.empty() && !trace_.open_file(options_.trace_file))
    throw std::runtime_error(fmt::format("cannot write the trace file {}: {}", options_.trace_file, std::strerror(errno)));
  store_ = std::make_unique<api::Store>(rng_, trace_);
  store_->set_stateful_admission(api::stateful_admission(options_.profile.service_cidr));
  // virt-api's webhooks for KubeVirt kinds, which read the KubeVirt configuration.
  store_->add_webhook_admission([config = options_.kubevirt](const api::Store&, const models::Object* old,
                                                             models::Object& obj) {
    return kubevirt::admit_kubevirt(config, old, obj);
  });
  // virt-api's webhooks for VMs with an instance type or preference (they read the store).
  store_->add_webhook_admission(kubevirt::instancetype::admit_vm);
  // The API server's DefaultTolerationSeconds flags come from the profile.
  const auto toleration = static_cast<std::int64_t>(options_.profile.default_toleration_seconds);
  models::default_toleration_seconds() = {toleration, toleration};
  ctx_ = std::make_unique<controllers::Context>(controllers::Context{*store_, options_.profile, rng_});
  bootstrap_objects();

  std::string control_host;
  for (const auto& n : options_.platform.nodes)
    if (n.role == "control-plane") {
      control_host = n.name;
      break;
    }
  if (control_host.empty()) throw std::runtime_error("the platform needs at least one control-plane node");
  control_host_ = control_host;

  auto gc = std::make_unique<controllers::gc::GarbageCollector>(*ctx_, control_host);
  auto* gc_ptr = gc.get();
  store_->add_change_listener([gc_ptr](const api::WatchEvent& e) { gc_ptr->observe(e); });
  components_.push_back(std::move(gc));
  components_.push_back(std::make_unique<controllers::scheduler::Scheduler>(*ctx_, control_host));
  components_.push_back(std::make_unique<controllers::replicaset::ReplicaSetController>(*ctx_, control_host));
  components_.push_back(std::make_unique<controllers::deployment::DeploymentController>(*ctx_, control_host));
  components_.push_back(std::make_unique<controllers::daemonset::DaemonSetController>(*ctx_, control_host));
  components_.push_back(std::make_unique<controllers::statefulset::StatefulSetController>(*ctx_, control_host));
  {
    // virt-controller's loops act only while one of its pods holds the lease.
    auto leader = std::make_unique<kubevirt::VirtControllerLeader>(*ctx_, control_host);
    auto controller = std::make_unique<kubevirt::VirtController>(*ctx_, control_host);
    auto nodes = std::make_unique<kubevirt::VirtNodeController>(*ctx_, control_host, *leader);
    auto evacuation = std::make_unique<kubevirt::EvacuationController>(*ctx_, control_host, *leader);
    auto vmirs = std::make_unique<kubevirt::VmirsController>(*ctx_, control_host, *leader);
    auto migrations = std::make_unique<kubevirt::MigrationController>(*ctx_, control_host, *leader);
    controller->follow(*leader);
    leader->on_acquired([c = controller.get(), n = nodes.get(), e = evacuation.get(), r = vmirs.get(),
                         m = migrations.get()] {
      c->resync();
      n->resync();
      e->resync();
      r->resync();
      m->resync();
    });
    components_.push_back(std::move(leader));
    components_.push_back(std::move(controller));
    components_.push_back(std::move(nodes));
    components_.push_back(std::move(evacuation));
    components_.push_back(std::move(vmirs));
    components_.push_back(std::move(migrations));
    // virt-api's admission webhooks on new migrations.
    store_->add_webhook_admission(kubevirt::virt_api_webhooks());
    // virt-api's webhook on pods/eviction (evictionStrategy).
    eviction_webhooks_.push_back(kubevirt::virt_api_eviction_webhook(*store_, options_.profile));
  }
  components_.push_back(std::make_unique<kubevirt::storage::CdiController>(*ctx_, control_host));
  components_.push_back(std::make_unique<kubevirt::network::SriovOperator>(*ctx_, control_host));
  components_.push_back(std::make_unique<controllers::nodelifecycle::NodeLifecycleController>(*ctx_, leases_, control_host));
  components_.push_back(std::make_unique<controllers::nodelifecycle::TaintEvictionController>(*ctx_, control_host));
  components_.push_back(std::make_unique<controllers::podgc::PodGarbageCollector>(*ctx_, control_host));
  components_.push_back(std::make_unique<controllers::disruption::DisruptionController>(*ctx_, control_host));
  components_.push_back(std::make_unique<controllers::pvbinder::PersistentVolumeController>(*ctx_, control_host));
  components_.push_back(std::make_unique<controllers::pvbinder::Provisioner>(*ctx_, control_host));
  components_.push_back(std::make_unique<controllers::pvbinder::PvcProtectionController>(*ctx_, control_host));
  components_.push_back(std::make_unique<controllers::pvbinder::PvProtectionController>(*ctx_, control_host));
  components_.push_back(std::make_unique<controllers::attachdetach::AttachDetachController>(*ctx_, control_host));
  components_.push_back(std::make_unique<controllers::endpoints::EndpointsController>(*ctx_, control_host));
  components_.push_back(std::make_unique<controllers::ns::NamespaceController>(*ctx_, control_host));
  for (const auto& n : options_.platform.nodes) create_node_agents(n);
  install_openshift_cnv(*store_, kBootstrap);
  // Last, so that the actors of the components before it keep their order (same-instant ties).
  components_.push_back(std::make_unique<EventExpiry>(*ctx_, control_host, kEventTtl));
  for (auto& c : components_) c->start();
  install();
}

// A trainee logs into a cluster that has run for days (profile clusterAge): its
// control plane and openshift-cnv pods are Running, its nodes days old. So the
// platform's objects are created at t = -install window, the controllers install
// it (scheduling, image pulls, virt-controller's leader election) up to t = 0, and
// objects created meanwhile are dated clusterAge before t = 0. The days between the
// install and the scenario are quiet and not simulated; the install's Events have
// expired by then. clusterAge 0 keeps the install at t >= 0, for a lab that shows it.
void Cluster::install() {
  if (install_window_ <= 0) return;
  run_until(0);
  store_->set_creation_backdate(0);
  if (options_.profile.cluster_age < kEventTtl) return;
  const api::Cause expired{"kube-apiserver", "expired", "--event-ttl", true};
  for (const auto& e : store_->list(models::Event::kind_info()))
    store_->remove(models::Event::kind_info(), e->metadata.namespace_, e->metadata.name, expired);
}

Cluster::~Cluster() { shutdown(); }

double Cluster::now() const { return engine::now(); }

void Cluster::run_until(double t) {
  auto& e = *sg4::Engine::get_instance();
  t = std::max(t + engine::time_origin(), sg4::Engine::get_clock());  // scenario time -> SimGrid's
  // Hybrid mode: libvirt's events are delivered between steps, and real guests pace the clock.
  if (hypervisor::libvirt_in_use()) hypervisor::run_libvirt_paced(t, [&e](double step) { e.run_until(step); });
  else e.run_until(t);
}

void Cluster::shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  trace_.close_file();
  engine::stop_waiters();
  sg4::Engine::get_instance()->run_until(sg4::Engine::get_clock());
  sg4::Actor::kill_all();
  sg4::Engine::get_instance()->run_until(sg4::Engine::get_clock());
}

void Cluster::bootstrap_objects() {
  store_->set_creation_backdate(options_.profile.cluster_age - install_window_);
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
    // Its conditions are posted now, at the start of the install: the node lifecycle
    // controller reads their heartbeats (only the creationTimestamp is dated back).
    auto node = node::make_node_object(spec, index, node_pod_cidr(options_.profile.cluster_cidr, index), options_.profile,
                                       engine::now());
    registrations_[spec.name] = std::static_pointer_cast<const models::Node>(node->clone());
    store_->create(node, kBootstrap);
    ++index;
  }
  bootstrap_platform_services(*store_);
  install_common_instancetypes(*store_);
  {
    // A stream of its own ("golden" in ASCII mixed into the seed), so that adding them moved
    // no other object's name, UID or scheduling tie-break.
    engine::Rng golden_rng(options_.seed ^ 0x676f6c64656eull);
    api::Store::RngOverride own_stream(*store_, golden_rng);
    bootstrap_golden_images(*store_);
    bootstrap_common_templates(*store_);
  }
}

// ---------------------------------------------------------------- node operations

void Cluster::create_node_agents(const engine::NodeSpec& spec) {
  auto kubelet = std::make_unique<node::Kubelet>(*ctx_, leases_, spec.name, registrations_[spec.name]);
  kubelets_[spec.name] = kubelet.get();
  components_.push_back(std::move(kubelet));
  if (spec.role == "worker") {
    auto handler = std::make_unique<kubevirt::VirtHandler>(*ctx_, spec.name, spec.hypervisor);
    handler->on_launcher_exit([kubelet = kubelets_[spec.name]](const std::string& ns, const std::string& pod) {
      kubelet->containers_exited(ns, pod);
    });
    handlers_[spec.name] = handler.get();
    components_.push_back(std::move(handler));
  }
}

// The host itself is no API object: its power changes are trace records of their own.
void Cluster::record_host_change(const std::string& node, const std::string& change, const std::string& reason) {
  auto obj = store_->get(models::Node::kind_info(), "", node);
  trace_.record(engine::TraceRecord{engine::now(), "user", "Node", "", node, obj ? obj->metadata.uid : std::string(),
                                    change, reason});
}

bool Cluster::node_host_up(const std::string& name) const {
  return kubelets_.contains(name) && engine::host_is_on(name);
}

std::string Cluster::fail_node(const std::string& name) {
  if (!kubelets_.contains(name)) return fmt::format("Error from server (NotFound): nodes \"{}\" not found", name);
  if (name == control_host_)
    return fmt::format("error: {} runs the simulated control plane (kube-controller-manager, kube-scheduler, "
                       "virt-controller); leader election onto another control-plane node is not modelled",
                       name);
  if (!engine::host_is_on(name)) return fmt::format("error: node {} is already down", name);
  kubelets_.at(name)->lost();
  if (auto it = handlers_.find(name); it != handlers_.end()) it->second->lost();
  engine::set_host_on(name, false);
  record_host_change(name, "host down", "node fail");
  return {};
}

std::string Cluster::recover_node(const std::string& name) {
  if (!kubelets_.contains(name)) return fmt::format("Error from server (NotFound): nodes \"{}\" not found", name);
  if (engine::host_is_on(name)) return fmt::format("error: node {} is not down", name);
  engine::set_host_on(name, true);
  record_host_change(name, "host up", "node recover");
  // The OS boots first; kubelet starts, then virt-handler (its pod restarted by that kubelet).
  auto* handler = handlers_.contains(name) ? handlers_.at(name) : nullptr;
  kubelets_.at(name)->boot(profile().node_boot, [handler] {
    if (handler) handler->start();
  });
  return {};
}

std::string Cluster::add_node(const engine::NodeSpec& spec) {
  if (kubelets_.contains(spec.name) || engine::host_exists(spec.name) ||
      store_->get(models::Node::kind_info(), "", spec.name))
    return fmt::format("Error from server (AlreadyExists): nodes \"{}\" already exists", spec.name);
  try {
    engine::add_node_host(spec, options_.platform.network);
  } catch (const std::exception& e) {
    return std::string("error: ") + e.what();
  }
  const std::size_t index = options_.platform.nodes.size();
  options_.platform.nodes.push_back(spec);
  registrations_[spec.name] = node::make_node_object(spec, index, node_pod_cidr(options_.profile.cluster_cidr, index),
                                                     options_.profile, engine::now());
  record_host_change(spec.name, "host added", "node add");
  create_node_agents(spec);
  // The new agents start now; the kubelet registers the Node.
  kubelets_.at(spec.name)->start();
  if (auto it = handlers_.find(spec.name); it != handlers_.end()) it->second->start();
  return {};
}

}  // namespace kvsim::sim::cluster
