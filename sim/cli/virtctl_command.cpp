#include "sim/cli/virtctl_command.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "sim/client/console_session.hpp"
#include "sim/client/create_vm.hpp"
#include "sim/client/https_client.hpp"
#include "sim/client/rest_kubevirt_api.hpp"
#include "sim/client/virtctl_verbs.hpp"
#include "sim/client/vnc_proxy.hpp"
#include "sim/commands/flags.hpp"
#include "sim/engine/rng.hpp"

namespace kvsim::sim::cli {
namespace {

std::string usage(const std::string& program) {
  return fmt::format(
      "{0} controls virtual machine related operations on your kubernetes cluster (kvsim's virtctl: it speaks\n"
      "the Kubernetes API through your kubeconfig, to kvsim's endpoint or a real cluster).\n\n"
      "Available Commands:\n"
      "  console      Connect to a console of a virtual machine instance.\n"
      "  create       Create a manifest for the specified Kind (vm).\n"
      "  expose       Expose a virtual machine instance, virtual machine, or virtual machine instance replica set as a new service.\n"
      "  fslist       Return full list of filesystems available on the guest machine.\n"
      "  guestosinfo  Return guest agent info about operating system.\n"
      "  migrate      Migrate a virtual machine.\n"
      "  pause        Pause a virtual machine\n"
      "  restart      Restart a virtual machine.\n"
      "  start        Start a virtual machine.\n"
      "  stop         Stop a virtual machine.\n"
      "  unpause      Unpause a virtual machine\n"
      "  userlist     Return full list of logged in users on the guest machine.\n"
      "  version      Print the client and server version information.\n"
      "  vnc          Open a vnc connection to a virtual machine instance.\n\n"
      "Examples:\n"
      "  {0} start vm1\n"
      "  {0} stop vm1 --grace-period=0 --force\n"
      "  {0} console vm1\n"
      "  {0} vnc vm1 --proxy-only\n\n"
      "Flags: --kubeconfig FILE, --context NAME, -n/--namespace NS (else the context's namespace)\n",
      program);
}

struct Globals {
  std::string kubeconfig, context;
  std::vector<std::string> rest;  // the verb and its own arguments
  std::string error;
};

// --kubeconfig and --context are the client's; everything else goes to the verb,
// which may come after flags (`virtctl -n ns start vm1`).
Globals split_globals(const std::vector<std::string>& args) {
  Globals g;
  std::vector<std::string> before_verb;
  bool verb_seen = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    auto take = [&](const std::string& flag, std::string& out) {
      if (a == flag) {
        if (i + 1 >= args.size()) g.error = "flag needs an argument: " + flag;
        else out = args[++i];
        return true;
      }
      if (a.starts_with(flag + "=")) {
        out = a.substr(flag.size() + 1);
        return true;
      }
      return false;
    };
    if (take("--kubeconfig", g.kubeconfig) || take("--context", g.context)) continue;
    if (!verb_seen && !a.starts_with("-")) {
      verb_seen = true;
      g.rest.insert(g.rest.begin(), a);
      continue;
    }
    if (!verb_seen) {
      before_verb.push_back(a);
      // A valued flag's value is not the verb.
      const std::string name = a.starts_with("--") ? a.substr(2) : "";
      if ((a == "-n" || (!name.empty() && name.find('=') == std::string::npos && !commands::switch_flags().contains(name))) &&
          i + 1 < args.size())
        before_verb.push_back(args[++i]);
      continue;
    }
    g.rest.push_back(a);
  }
  g.rest.insert(g.rest.end(), before_verb.begin(), before_verb.end());
  return g;
}

int fail(const std::string& message) {
  std::cerr << message << "\n";
  return 1;
}

// `virtctl create vm ...`: the manifest from the flags alone, no cluster. A
// generated name draws from a generator of fixed seed, so runs repeat.
int create_manifest(const std::vector<std::string>& rest, const std::string& program) {
  if (rest.size() < 2 || rest[1] != "vm")
    return fail(rest.size() < 2 ? fmt::format("Error: must specify a Kind to create (vm)\nRun '{} create --help' for usage.", program)
                                : fmt::format("unknown command \"{}\" for \"{} create\"", rest[1], program));
  std::string ns;
  std::vector<std::string> flags;
  for (std::size_t i = 2; i < rest.size(); ++i) {
    if ((rest[i] == "-n" || rest[i] == "--namespace") && i + 1 < rest.size()) ns = rest[++i];
    else if (rest[i].starts_with("--namespace=")) ns = rest[i].substr(12);
    else flags.push_back(rest[i]);
  }
  engine::Rng rng(1);
  const auto r = client::create_vm_manifest(flags, ns, [&rng] { return rng.name_suffix(); });
  std::cerr << r.warnings;
  if (!r.ok()) return fail(r.error);
  std::cout << r.manifest << std::flush;
  return 0;
}

}  // namespace

int run_virtctl(const std::vector<std::string>& args, const std::string& program) {
  auto g = split_globals(args);
  if (!g.error.empty()) return fail(g.error);
  if (g.rest.empty() || g.rest[0] == "help" || g.rest[0] == "--help" || g.rest[0] == "-h") {
    std::cout << usage(program);
    return 0;
  }
  const std::string verb = g.rest[0];
  for (const auto& a : g.rest)
    if (a == "--help" || a == "-h") {
      std::cout << usage(program);
      return 0;
    }
  if (verb == "create") return create_manifest(g.rest, program);
  const bool known = verb == "console" || verb == "vnc" ||
                     std::find(client::virtctl_verb_names().begin(), client::virtctl_verb_names().end(), verb) !=
                         client::virtctl_verb_names().end();
  if (!known)
    return fail(fmt::format("unknown command \"{}\" for \"{}\"\nRun '{} --help' for usage.", verb, program, program));
  const auto f = commands::parse_flags(std::vector<std::string>(g.rest.begin() + 1, g.rest.end()));
  if (!f.error.empty()) return fail(f.error);
  // `version --client` needs no cluster.
  if (verb == "version" && f.has("client")) {
    std::cout << "Client Version: "
              << client::go_version_info({{"gitVersion", "v1.5.0"}, {"compiler", "kvsim"}, {"platform", "linux/amd64"}})
              << "\n";
    return 0;
  }
  std::string error;
  auto config = client::load_kubeconfig(g.kubeconfig, g.context, error);
  if (!config) return fail("cannot obtain KubeVirt client: " + error);
  const std::string ns = f.ns_given ? f.ns : config->ns;
  if (verb == "console" || verb == "vnc") {
    if (f.positional.size() != 1) return fail(fmt::format("accepts 1 arg(s), received {}", f.positional.size()));
    if (verb == "console") {
      client::ConsoleOptions options;
      if (auto t = f.integer("timeout", error)) options.timeout_minutes = static_cast<int>(*t);
      if (!error.empty()) return fail(error);
      return client::run_console(*config, ns, f.positional[0], options);
    }
    client::VncOptions options;
    options.proxy_only = f.has("proxy-only");
    if (auto p = f.integer("port", error)) options.port = static_cast<int>(*p);
    if (!error.empty()) return fail(error);
    if (auto address = f.value("address")) options.address = *address;
    return client::run_vnc(*config, ns, f.positional[0], options);
  }
  client::HttpsClient http(*config);
  client::RestKubeVirtApi api(http);
  bool handled = false;
  const auto r = client::run_virtctl_verb(api, g.rest, config->ns, handled);
  std::cout << r.output << std::flush;
  if (!r.ok()) return fail(r.error);
  return 0;
}

std::optional<int> virtctl_by_program_name(int argc, char** argv) {
  if (argc < 1) return std::nullopt;
  const std::string name = std::filesystem::path(argv[0]).filename().string();
  if (name != "virtctl" && name != "kubectl-virt") return std::nullopt;
  // virtctl's GetProgramName: as a kubectl plugin it is "kubectl virt".
  return run_virtctl(std::vector<std::string>(argv + 1, argv + argc), name == "kubectl-virt" ? "kubectl virt" : "virtctl");
}

}  // namespace kvsim::sim::cli
