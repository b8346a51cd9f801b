#include "sim/node/node_object.hpp"

#include <fmt/format.h>

namespace kvsim::sim::node {

bool post_healthy_conditions(std::vector<models::Condition>& conditions, double now) {
  struct Healthy {
    const char* type;
    const char* status;
    const char* reason;
    const char* message;
  };
  // The kubelet's order and wording (pkg/kubelet/nodestatus/setters.go).
  static const Healthy kHealthy[] = {
      {"MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"},
      {"DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"},
      {"PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"},
      {"Ready", "True", "KubeletReady", "kubelet is posting ready status"},
  };
  bool changed = false;
  for (const auto& h : kHealthy) {
    const auto* before = models::find_condition(conditions, h.type);
    const bool differs = !before || before->status != h.status;
    models::Condition c{h.type, h.status, h.reason, h.message};
    c.lastHeartbeatTime = models::Timestamp{now};
    models::set_condition(conditions, c, now);
    // set_condition keeps an unchanged condition as it was: refresh its heartbeat.
    for (auto& existing : conditions)
      if (existing.type == h.type) existing.lastHeartbeatTime = models::Timestamp{now};
    changed = changed || differs;
  }
  return changed;
}

namespace {

// `uname -m` for a Go architecture name, as the kernel version string carries it.
std::string kernel_machine(const std::string& arch) {
  if (arch == "amd64") return "x86_64";
  if (arch == "arm64") return "aarch64";
  return arch;  // s390x and ppc64le are spelt the same
}

}  // namespace

std::shared_ptr<models::Node> make_node_object(const engine::NodeSpec& spec, std::size_t index,
                                               const std::string& pod_cidr, const engine::TimingProfile& profile,
                                               double now) {
  auto node = std::make_shared<models::Node>();
  node->apiVersion = "v1";
  node->kind = "Node";
  node->metadata.name = spec.name;
  node->metadata.labels = spec.labels;
  node->metadata.labels["kubernetes.io/hostname"] = spec.name;
  node->metadata.labels["kubernetes.io/os"] = "linux";
  node->metadata.labels["kubernetes.io/arch"] = spec.architecture;
  node->metadata.labels["node-role.kubernetes.io/" + spec.role] = "";
  if (spec.role == "control-plane") node->metadata.labels["node-role.kubernetes.io/master"] = "";
  node->spec.taints = spec.taints;
  node->spec.podCIDR = pod_cidr;
  node->spec.podCIDRs = {pod_cidr};
  auto& st = node->status;
  st.capacity["cpu"] = spec.cpu;
  st.capacity["memory"] = spec.memory;
  st.capacity["pods"] = models::Quantity::from_units(spec.max_pods);
  // The kubelet's root filesystem, which pods' ephemeral-storage requests (virt-launcher's
  // 50M each) are counted against: a 120 GiB RHCOS disk as the kubelet reports it
  // (UNCONFIRMED: a typical size, not read from a real cluster).
  st.capacity["ephemeral-storage"] = *models::Quantity::parse("125293548Ki");
  for (const auto& [k, v] : spec.extended) st.capacity[k] = v;
  st.allocatable = st.capacity;
  post_healthy_conditions(st.conditions, now);
  st.addresses = {{"InternalIP", fmt::format("192.168.{}.{}", 10 + index / 250, 10 + index % 250)},
                  {"Hostname", spec.name}};
  st.nodeInfo = {"v" + profile.kubernetes_version + ".5", "Red Hat Enterprise Linux CoreOS 4.19",
                 "5.14.0-570.el9_6." + kernel_machine(spec.architecture), "cri-o://1.32.5", spec.architecture, "linux"};
  return node;
}

}  // namespace kvsim::sim::node
