#pragma once
// The assembled cluster: SimGrid world, API store, control plane components
// on the control-plane hosts, a kubelet per node, a virt-handler per worker.
// Main drives it with run_until() and acts between steps.
#include <map>
#include <memory>
#include <vector>

#include "sim/api/eviction.hpp"
#include "sim/api/store.hpp"
#include "sim/controllers/component.hpp"
#include "sim/engine/platform.hpp"
#include "sim/engine/profile.hpp"
#include "sim/engine/trace.hpp"
#include "sim/kubevirt/kubevirt_config.hpp"
#include "sim/node/leases.hpp"

namespace kvsim::sim::node {
class Kubelet;
}
namespace kvsim::sim::kubevirt {
class VirtHandler;
}

namespace kvsim::sim::cluster {

struct ClusterOptions {
  engine::PlatformSpec platform;
  engine::TimingProfile profile;
  kubevirt::KubeVirtConfig kubevirt;
  std::uint64_t seed = 1;
  std::string trace_file;  // JSON Lines, optional
  // Off: trace records are streamed (the file, the listener) and counted, not kept in memory.
  // Only the TUI and tests read them back; a headless run does not need them.
  bool keep_trace_records = true;
};

class Cluster {
 public:
  explicit Cluster(ClusterOptions options);
  ~Cluster();
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  api::Store& store() { return *store_; }
  engine::Trace& trace() { return trace_; }
  const engine::TimingProfile& profile() const { return options_.profile; }
  const ClusterOptions& options() const { return options_; }
  double now() const;
  std::uint64_t seed() const { return options_.seed; }
  // The simulation's seeded RNG, for draws a command makes (oc process's generated values).
  engine::Rng& rng() { return rng_; }

  // Advances sim time to t (never backwards); components run meanwhile.
  void run_until(double t);
  // Runs until nothing is left to do before `limit` (the cluster settles).
  void shutdown();

  // Node operations (the `node` commands). Each returns "" or the error to print.
  // The node's host powers off: its kubelet and virt-handler stop, its
  // containers die; the Node object stays until the control plane notices.
  std::string fail_node(const std::string& name);
  // The host powers on: kubelet and virt-handler start again (a reboot).
  std::string recover_node(const std::string& name);
  // A new host joins; its kubelet registers the Node, a worker also runs a virt-handler.
  std::string add_node(const engine::NodeSpec& spec);
  bool has_node_host(const std::string& name) const { return kubelets_.contains(name); }
  bool node_host_up(const std::string& name) const;
  const node::Leases& leases() const { return leases_; }
  // The virt-handler of a worker node (nullptr if none): guest and pause commands go through it.
  kubevirt::VirtHandler* virt_handler(const std::string& node) const {
    auto it = handlers_.find(node);
    return it == handlers_.end() ? nullptr : it->second;
  }
  // Admission webhooks on pods/eviction (drain goes through them). KubeVirt's
  // virt-api registers its evictionStrategy check here (issue 4).
  std::vector<api::EvictionWebhook>& eviction_webhooks() { return eviction_webhooks_; }

 private:
  void bootstrap_objects();
  void install();
  void create_node_agents(const engine::NodeSpec& spec);
  void record_host_change(const std::string& node, const std::string& change, const std::string& reason);

  ClusterOptions options_;
  engine::Rng rng_;
  engine::Trace trace_;
  std::unique_ptr<api::Store> store_;
  std::unique_ptr<controllers::Context> ctx_;
  node::Leases leases_;
  std::vector<std::unique_ptr<controllers::Component>> components_;
  std::string control_host_;
  std::map<std::string, std::shared_ptr<const models::Node>> registrations_;  // what each kubelet registers
  std::map<std::string, node::Kubelet*> kubelets_;
  std::map<std::string, kubevirt::VirtHandler*> handlers_;
  std::vector<api::EvictionWebhook> eviction_webhooks_;
  bool shut_down_ = false;
  double install_window_ = 0;  // simulated before t=0 (0: the cluster is born at t=0)
};

// The /23 pod CIDR of the i-th node carved from the cluster CIDR.
std::string node_pod_cidr(const std::string& cluster_cidr, std::size_t index);

}  // namespace kvsim::sim::cluster
