#include "sim/bench/baseline.hpp"

#include <simgrid/s4u.hpp>

#include <cmath>
#include <deque>
#include <memory>
#include <vector>

#include "models/manifest.hpp"
#include "sim/engine/node_cpu.hpp"
#include "sim/engine/platform.hpp"
#include "sim/engine/reactor.hpp"
#include "sim/engine/simgrid_engine.hpp"

namespace kvsim::sim::bench {

namespace {

// The launcher pod of a containerDisk VM starts four containers in turn (container-disk-binary
// and the volume's init container, compute, the volume's container: kubevirt/launcher_pod.cpp).
constexpr int kLauncherContainers = 4;
// virt-controller's VM reconcile writes per new VM before its VMI exists (finalizer, VMI,
// VM status), each waiting out an API round trip in one of its VM workers: what paces creation.
constexpr int kVmWritesPerCreate = 4;

struct Node {
  std::unique_ptr<engine::Reactor> kubelet, handler;
  bool has_image = false;
  std::deque<std::function<void()>> waiting_for_image;  // pods on the node waiting for the pull
  bool pulling = false;
};

class Baseline {
 public:
  Baseline(const scenario::Scenario& s, const BaselineWork& w) : w_(w), p_(s.cluster.profile) {
    for (const auto& n : s.cluster.platform.nodes) {
      if (n.role == "control-plane" && control_.empty()) control_ = n.name;
      if (n.role != "worker") continue;
      workers_.push_back(n.name);
      auto& node = nodes_.emplace_back();
      node.kubelet = std::make_unique<engine::Reactor>("kubelet/" + n.name, n.name);
      node.handler = std::make_unique<engine::Reactor>("virt-handler/" + n.name, n.name);
    }
    vm_controller_ = std::make_unique<engine::Reactor>("virt-controller", control_);
    scheduler_ = std::make_unique<engine::Reactor>("scheduler", control_);
    const auto bytes = p_.image_size_mb.contains(w.image) ? p_.image_size_mb.at(w.image) : p_.default_image_size_mb;
    image_bytes_ = bytes * 1e6;
  }

  void start() {
    vm_controller_->start();
    scheduler_->start();
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      nodes_[i].kubelet->start();
      nodes_[i].handler->start();
      heartbeat(*nodes_[i].kubelet, p_.node_lease_interval);
      heartbeat(*nodes_[i].handler, p_.virt_handler_heartbeat);
    }
    // The VM controller's workers take the new VMs in turn, each write an API round trip.
    const auto lanes = static_cast<std::size_t>(std::max(1, p_.virt_controller_vm_workers));
    const double per_vm = kVmWritesPerCreate * p_.api_latency;
    for (std::size_t v = 0; v < w_.vms; ++v) {
      const double at = w_.created_at + p_.watch_latency + static_cast<double>(v / lanes + 1) * per_vm;
      vm_controller_->post(at, [this, v] { write(); vmi_created(v); });
    }
  }

  BaselineResult result() const { return {running_, writes_, last_running_}; }
  bool done() const { return running_ == w_.vms; }

 private:
  void write() { ++writes_; }

  void heartbeat(engine::Reactor& r, double every) {
    r.post(every, [this, &r, every] {
      write();
      heartbeat(r, every);
    });
  }

  // The VMI controller creates the launcher pod; the scheduler binds it to a node in turn.
  void vmi_created(std::size_t v) {
    vm_controller_->post(p_.watch_latency + p_.api_latency, [this, v] {
      write();
      scheduler_->post(p_.watch_latency + p_.scheduler_latency, [this, v] {
        write();
        auto& node = nodes_[v % nodes_.size()];
        node.kubelet->post(p_.watch_latency, [this, v, &node] { pod_on_node(v, node); });
      });
    });
  }

  void pod_on_node(std::size_t v, Node& node) {
    write();  // pod Pending, ContainerCreating
    auto go = [this, v, &node] { node.kubelet->post(p_.pod_network_setup, [this, v, &node] { container(v, node, 0); }); };
    if (node.has_image) return go();
    node.waiting_for_image.push_back(go);
    if (node.pulling) return;
    node.pulling = true;
    const auto& host = workers_[static_cast<std::size_t>(&node - nodes_.data())];
    engine::transfer(engine::kRegistryHost, host, image_bytes_, [this, &node](bool) {
      node.kubelet->post(0, [this, &node] {
        write();  // Pulled
        node.has_image = true;
        node.pulling = false;
        for (auto& f : node.waiting_for_image) f();
        node.waiting_for_image.clear();
      });
    });
  }

  void container(std::size_t v, Node& node, int index) {
    if (index == kLauncherContainers) {
      write();  // pod Running
      vm_controller_->post(p_.watch_latency + p_.api_latency, [this, v, &node] {
        write();  // VMI Scheduled
        node.handler->post(p_.watch_latency + p_.handler_sync_latency, [this, v, &node] { domain(v, node); });
      });
      return;
    }
    const auto& host = workers_[static_cast<std::size_t>(&node - nodes_.data())];
    engine::run_on_cpu(host, p_.container_start, [this, v, &node, index] {
      node.kubelet->post(0, [this, v, &node, index] {
        write();  // container started
        container(v, node, index + 1);
      });
    });
  }

  void domain(std::size_t, Node& node) {
    write();  // VMI Scheduled -> domain defined
    node.handler->post(p_.domain_define + p_.domain_start, [this] {
      write();  // VMI Running
      vm_controller_->post(p_.watch_latency + p_.api_latency, [this] {
        write();  // VM Running, Ready
        ++running_;
        last_running_ = simgrid::s4u::Engine::get_clock();
      });
    });
  }

  const BaselineWork& w_;
  const engine::TimingProfile& p_;
  std::string control_;
  std::vector<std::string> workers_;
  std::vector<Node> nodes_;
  std::unique_ptr<engine::Reactor> vm_controller_, scheduler_;
  double image_bytes_ = 0;
  std::size_t running_ = 0, writes_ = 0;
  double last_running_ = 0;
};

}  // namespace

BaselineWork baseline_work(const scenario::Scenario& s) {
  BaselineWork w;
  bool first = true;
  for (const auto& c : s.timeline) {
    if (c.object.empty()) continue;
    auto loaded = c.object.load(s.file);
    for (const auto& o : loaded.objects) {
      if (o->kind != "VirtualMachine") continue;
      ++w.vms;
      if (first) w.created_at = c.at, first = false;
      if (w.image.empty()) {
        const auto j = o->to_json();
        for (const auto& v : j["spec"]["template"]["spec"].value("volumes", models::Json::array()))
          if (v.contains("containerDisk")) w.image = v["containerDisk"].value("image", "");
      }
    }
  }
  return w;
}

BaselineResult run_baseline(const scenario::Scenario& s, const BaselineWork& work) {
  auto& e = engine::simgrid_engine(s.cluster.platform.nodes.size());
  engine::build_platform(s.cluster.platform);
  // Never destroyed: its reactors' actors still wait on their semaphores when the run stops,
  // and the bench's child process exits without tearing the simulation down.
  auto& b = *new Baseline(s, work);
  b.start();
  // Stepped as `endWhenMet` steps a scale scenario: a second of sim time at a time.
  double until = 0;
  for (const auto& x : s.expectations) until = std::max(until, x.by);
  while (!b.done() && simgrid::s4u::Engine::get_clock() < until)
    e.run_until(std::floor(simgrid::s4u::Engine::get_clock()) + 1);
  return b.result();
}

}  // namespace kvsim::sim::bench
