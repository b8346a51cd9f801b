#include "sim/commands/create_vm_command.hpp"

#include "sim/client/create_vm.hpp"

namespace kvsim::sim::commands {

bool is_create_vm(const std::vector<std::string>& args) {
  return !args.empty() && (args[0] == "vm" || args[0] == "virtualmachine");
}

Outcome create_vm_command(cluster::Cluster& cluster, const std::vector<std::string>& args, std::string& warnings) {
  // -n/--namespace is virtctl's global flag: the manifest names it only when given.
  std::string ns;
  std::vector<std::string> rest;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const auto& a = args[i];
    if ((a == "-n" || a == "--namespace") && i + 1 < args.size()) ns = args[++i];
    else if (a.starts_with("--namespace=")) ns = a.substr(12);
    else rest.push_back(a);
  }
  auto r = client::create_vm_manifest(rest, ns, [&cluster] { return cluster.store().rng().name_suffix(); });
  warnings += r.warnings;
  if (!r.ok()) return {{}, r.error};
  return {r.manifest, {}};
}

}  // namespace kvsim::sim::commands
