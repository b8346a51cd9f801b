#pragma once
// Fidelity numbers as data: grace periods, intervals, transfer sizes and
// start-up times. Defaults are the upstream values of FIDELITY.md; values
// marked UNCONFIRMED there are modelling choices, overridable per scenario.
#include <map>
#include <string>

#include "models/codec/decoder.hpp"

namespace kvsim::sim::engine {

struct TimingProfile {
  std::string name = "default";
  std::string kubernetes_version = "1.32";  // OpenShift 4.19
  // Node lifecycle (kube-controller-manager, kubelet).
  double node_lease_interval = 10;          // kubelet renews its Lease
  double node_monitor_grace_period = 50;    // 40 before Kubernetes 1.32 (PR #126287)
  double default_toleration_seconds = 300;  // DefaultTolerationSeconds admission
  // API machinery.
  double watch_latency = 0.05;  // write -> watcher sees it (UNCONFIRMED)
  double api_latency = 0.01;    // one client request round trip (UNCONFIRMED)
  double scheduler_latency = 0.02;  // one scheduling cycle (UNCONFIRMED)
  // virt-controller's client rate limiter (token bucket).
  double virt_controller_qps = 200;
  double virt_controller_burst = 400;
  // Images and containers (UNCONFIRMED: per-step times are not published).
  std::map<std::string, double> image_size_mb;  // by image, else default below
  double default_image_size_mb = 50;
  double launcher_image_size_mb = 380;
  double container_start = 1.5;     // runtime creates and starts one container
  double container_stop = 0.5;      // SIGTERM honoured by a well-behaved process
  double pod_network_setup = 0.5;   // CNI ADD
  // KubeVirt.
  double handler_sync_latency = 0.2;  // virt-handler picks up a Scheduled VMI
  double domain_define = 0.5;         // virt-launcher defines the libvirt domain
  double domain_start = 1.5;          // QEMU process up, domain Running
  double guest_shutdown = 4;          // guest OS answers ACPI power-off
  double virt_handler_heartbeat = 60; // kubevirt.io/heartbeat every minute, jitter 1.2
  // Networking.
  std::string cluster_cidr = "10.128.0.0/14";  // OpenShift default; a /23 per node
};

// Reads a profile document (keys as in scenarios/profiles/*.yaml) over `base`.
// Problems are located in ctx.
void read_profile(const YAML::Node& node, TimingProfile& base, models::DecodeContext& ctx);

// The profile for a Kubernetes version: only the grace period differs.
TimingProfile profile_for_version(const std::string& version);

}  // namespace kvsim::sim::engine
