#include "sim/commands/node_commands.hpp"

#include "sim/node/image_pull.hpp"

#include <fmt/format.h>

#include <cmath>

#include "models/duration.hpp"
#include "models/names.hpp"
#include "sim/commands/flags.hpp"

namespace kvsim::sim::commands {

std::string set_unschedulable(cluster::Cluster& cluster, const std::string& name, bool unschedulable) {
  auto& store = cluster.store();
  auto node = store.get<models::Node>("", name);
  const bool is = node->spec.unschedulable.value_or(false);
  if (is == unschedulable) return fmt::format("node/{} already {}", name, unschedulable ? "cordoned" : "uncordoned");
  auto next = std::static_pointer_cast<models::Node>(node->clone());
  if (unschedulable) next->spec.unschedulable = true;
  else next->spec.unschedulable.reset();  // false is omitted on the wire
  next->metadata.resourceVersion.clear();
  store.update(next, api::Cause{"user", fmt::format("spec.unschedulable {}", unschedulable ? "true" : "false"),
                                fmt::format("{} {}", unschedulable ? "cordon" : "uncordon", name)});
  return fmt::format("node/{} {}", name, unschedulable ? "cordoned" : "uncordoned");
}

Outcome cordon_command(cluster::Cluster& cluster, bool cordon, const std::vector<std::string>& args) {
  Flags f = parse_flags(args);
  if (!f.error.empty()) return {{}, "error: " + f.error};
  const char* verb = cordon ? "cordon" : "uncordon";
  if (f.positional.empty()) return {{}, fmt::format("error: USAGE: {} NODE [flags]", verb)};
  std::string text;
  for (const auto& name : f.positional) {
    if (!cluster.store().get(models::Node::kind_info(), "", name))
      return {text, fmt::format("Error from server (NotFound): nodes \"{}\" not found", name)};
    text += set_unschedulable(cluster, name, cordon) + "\n";
  }
  return {text, {}};
}

namespace {

// --labels k=v,k2=v2
std::optional<models::Labels> parse_labels(const std::string& text, std::string& error) {
  models::Labels out;
  std::size_t start = 0;
  while (start <= text.size() && !text.empty()) {
    const auto comma = text.find(',', start);
    const auto item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0) {
      error = fmt::format("error: --labels: \"{}\" is not key=value", item);
      return std::nullopt;
    }
    out[item.substr(0, eq)] = item.substr(eq + 1);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

Outcome node_add(cluster::Cluster& cluster, const Flags& f) {
  if (f.positional.size() != 2) return {{}, "error: usage: node add NAME [--role worker|control-plane] [--labels k=v,...] [--cpu N] [--memory Q]"};
  engine::NodeSpec spec;
  spec.name = f.positional[1];
  if (auto err = models::check_dns1123_subdomain(spec.name); !err.empty())
    return {{}, fmt::format("error: node name \"{}\": {}", spec.name, err)};
  spec.role = f.value("role").value_or("worker");
  if (spec.role != "worker" && spec.role != "control-plane")
    return {{}, fmt::format("error: --role: \"{}\" is not one of worker, control-plane", spec.role)};
  if (spec.role == "control-plane") spec.taints = {{"node-role.kubernetes.io/master", "", "NoSchedule", std::nullopt}};
  for (const char* resource : {"cpu", "memory"})
    if (auto v = f.value(resource)) {
      auto q = models::Quantity::parse(*v);
      if (!q) return {{}, fmt::format("error: --{}: \"{}\" is not a quantity (e.g. 16, 64Gi)", resource, *v)};
      (std::string(resource) == "cpu" ? spec.cpu : spec.memory) = *q;
    }
  if (auto v = f.value("labels")) {
    std::string error;
    auto labels = parse_labels(*v, error);
    if (!labels) return {{}, error};
    spec.labels = *labels;
  }
  if (auto err = cluster.add_node(spec); !err.empty()) return {{}, err};
  return {fmt::format("node/{} added ({}, kubelet starting)\n", spec.name, spec.role), {}};
}

}  // namespace

Outcome node_command(cluster::Cluster& cluster, const std::vector<std::string>& args) {
  Flags f = parse_flags(args);
  if (!f.error.empty()) return {{}, "error: " + f.error};
  const char* usage = "error: usage: node fail|recover NAME, node add NAME [--role R] [--labels k=v,...] [--cpu N] [--memory Q]";
  if (f.positional.empty()) return {{}, usage};
  const auto& action = f.positional[0];
  if (action == "add") return node_add(cluster, f);
  if ((action != "fail" && action != "recover") || f.positional.size() != 2) return {{}, usage};
  const auto& name = f.positional[1];
  if (action == "fail") {
    if (auto err = cluster.fail_node(name); !err.empty()) return {{}, err};
    return {fmt::format("node/{} powered off (kubelet and virt-handler stopped)\n", name), {}};
  }
  if (auto err = cluster.recover_node(name); !err.empty()) return {{}, err};
  return {fmt::format("node/{} powered on (booting: kubelet and virt-handler start in {})\n", name,
                      models::go_duration_string(cluster.profile().node_boot)),
          {}};
}

Outcome registry_command(const std::vector<std::string>& args) {
  if (args.size() != 1 || (args[0] != "fail" && args[0] != "recover"))
    return {{}, "error: usage: registry fail|recover"};
  const bool reachable = args[0] == "recover";
  node::set_registry_reachable(reachable);
  return {reachable ? "image registry reachable again\n" : "image registry unreachable (pulls time out)\n", {}};
}

}  // namespace kvsim::sim::commands
