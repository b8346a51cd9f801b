#include "sim/client/virtctl_verbs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>

#include "sim/client/api_errors.hpp"
#include "sim/commands/flags.hpp"
#include "sim/client/json_fields.hpp"

namespace kvsim::sim::client {
namespace {

using models::Json;

std::string lowercase(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// cobra's cobra.ExactArgs(n) refusal.
std::string arg_count_error(std::size_t want, std::size_t got) {
  return fmt::format("accepts {} arg(s), received {}", want, got);
}

std::string options_body(bool dry_run, const Json& extra = Json::object()) {
  Json body = extra;
  if (dry_run) body["dryRun"] = Json::array({"All"});
  return body.dump();
}

Json object_at(const Json& j, const char* key) { return json_object(j, key); }
Json array_at(const Json& j, const char* key) { return json_array(j, key); }

// VirtualMachine.RunStrategy(): spec.runStrategy, else spec.running (true: Always, else Halted).
std::string run_strategy(const Json& vm) {
  const auto spec = object_at(vm, "spec");
  if (spec.contains("runStrategy") && spec["runStrategy"].is_string()) return spec["runStrategy"].get<std::string>();
  return spec.contains("running") && spec["running"] == true ? "Always" : "Halted";
}

struct Ctx {
  KubeVirtApi& api;
  commands::Flags f;
  std::string ns;
  std::string prefix;  // "Dry Run execution\n" when --dry-run
};

VerbResult lifecycle(Ctx& c, const std::string& verb) {
  if (c.f.positional.size() != 1) return {{}, arg_count_error(1, c.f.positional.size())};
  const auto& name = c.f.positional[0];
  Json body = Json::object();
  bool force = false;
  if (verb == "start" && c.f.has("paused")) body["paused"] = true;
  if (verb == "stop" || verb == "restart") {
    // --grace-period and --force go together (virtctl refuses one without the other).
    std::string error;
    const auto grace = c.f.integer("grace-period", error);
    if (!error.empty()) return {{}, error};
    force = c.f.has("force");
    if (grace.has_value() != force) return {{}, "Must both use --force=true and set --grace-period."};
    if (force) body[verb == "stop" ? "gracePeriod" : "gracePeriodSeconds"] = *grace;
  }
  const auto r = c.api.subresource("PUT", c.ns, "virtualmachines", name, verb, options_body(c.f.has("dry-run"), body));
  if (!r.ok()) {
    if (verb == "start") return {c.prefix, "Error starting VirtualMachine " + r.error};
    if (verb == "migrate") return {c.prefix, "Error migrating VirtualMachine " + r.error};
    if (verb == "stop")
      return {c.prefix, force ? "error force stopping VirtualMachine: " + r.error : "error stopping VirtualMachine " + r.error};
    return {c.prefix, force ? "error force restarting VirtualMachine: " + r.error : "error restarting VirtualMachine: " + r.error};
  }
  return {c.prefix + fmt::format("VM {} was scheduled to {}\n", name, verb), {}};
}

VerbResult pause(Ctx& c, const std::string& verb) {
  if (c.f.positional.size() != 2) return {{}, arg_count_error(2, c.f.positional.size())};
  const std::string type = lowercase(c.f.positional[0]);
  const std::string& name = c.f.positional[1];
  const std::string ing = verb == "pause" ? "pausing" : "unpausing";
  const std::string body = options_body(c.f.has("dry-run"));
  if (type == "virtualmachine" || type == "vm") {
    // The VM is read first; its VMI has the same name.
    const auto vm = c.api.get("kubevirt.io/v1", "virtualmachines", c.ns, name);
    if (!vm.ok()) return {c.prefix, fmt::format("Error getting VirtualMachine {}: {}", name, vm.error)};
    const auto r = c.api.subresource("PUT", c.ns, "virtualmachineinstances", name, verb, body);
    if (!r.ok()) {
      if (verb == "pause" && r.code == 404) {
        if (run_strategy(vm.body) == "Halted")
          return {c.prefix, fmt::format("Error pausing VirtualMachineInstance {}. VirtualMachine {} is not set to run", name, name)};
        return {c.prefix, fmt::format("Error pausing VirtualMachineInstance {}, it was not found", name)};
      }
      return {c.prefix, fmt::format("Error {} VirtualMachineInstance {}: {}", ing, name, r.error)};
    }
    return {c.prefix + fmt::format("VMI {} was scheduled to {}\n", name, verb), {}};
  }
  if (type == "virtualmachineinstance" || type == "vmi") {
    const auto r = c.api.subresource("PUT", c.ns, "virtualmachineinstances", name, verb, body);
    if (!r.ok()) return {c.prefix, fmt::format("Error {} VirtualMachineInstance {}: {}", ing, name, r.error)};
    return {c.prefix + fmt::format("VMI {} was scheduled to {}\n", name, verb), {}};
  }
  // virtctl silently does nothing for another type; kvsim says so.
  return {{}, fmt::format("unsupported resource type: {} (expected vm or vmi)", c.f.positional[0])};
}

VerbResult guest_report(Ctx& c, const std::string& verb) {
  if (c.f.positional.size() != 1) return {{}, arg_count_error(1, c.f.positional.size())};
  const auto& name = c.f.positional[0];
  const std::string sub = verb == "fslist" ? "filesystemlist" : verb;
  const auto r = c.api.subresource("GET", c.ns, "virtualmachineinstances", name, sub, {});
  if (!r.ok()) {
    if (verb == "guestosinfo") return {{}, fmt::format("Error getting guestosinfo of VirtualMachineInstance {}, {}", name, r.error)};
    if (verb == "userlist") return {{}, fmt::format("Error listing users of VirtualMachineInstance {}, {}", name, r.error)};
    return {{}, fmt::format("Error listing filesystems of VirtualMachineInstance {}, {}", name, r.error)};
  }
  return {r.body.dump(2) + "\n", {}};
}

// The ports of the interface on the pod network (expose.go podNetworkPorts).
Json pod_network_ports(const Json& vmi_spec) {
  std::string pod_network;
  for (const auto& n : array_at(vmi_spec, "networks"))
    if (n.is_object() && n.contains("pod")) {
      pod_network = json_string(n, "name");
      break;
    }
  Json ports = Json::array();
  if (pod_network.empty()) return ports;
  for (const auto& itf : array_at(object_at(object_at(vmi_spec, "domain"), "devices"), "interfaces")) {
    if (json_string(itf, "name") != pod_network) continue;
    int i = 0;
    for (const auto& p : array_at(itf, "ports")) {
      if (!p.is_object()) continue;
      Json port = {{"name", fmt::format("port-{}", ++i)}, {"port", p.contains("port") && p["port"].is_number_integer() ? p["port"] : Json(0)}};
      port["protocol"] = json_string(p, "protocol", "TCP");
      ports.push_back(port);
    }
  }
  return ports;
}

VerbResult expose(Ctx& c) {
  if (c.f.positional.size() != 2) return {{}, arg_count_error(2, c.f.positional.size())};
  const auto service_name = c.f.value("name");
  if (!service_name) return {{}, "required flag(s) \"name\" not set"};
  const std::string type = lowercase(c.f.positional[0]);
  const std::string& name = c.f.positional[1];
  // expose.go parseFlags: protocol, service type, IP families.
  static const std::map<std::string, std::string> protocols = {{"tcp", "TCP"}, {"udp", "UDP"}};
  static const std::map<std::string, std::string> types = {
      {"clusterip", "ClusterIP"}, {"nodeport", "NodePort"}, {"loadbalancer", "LoadBalancer"}};
  const std::string protocol_flag = c.f.value("protocol").value_or("TCP");
  const auto protocol = protocols.find(lowercase(protocol_flag));
  if (protocol == protocols.end()) return {{}, "unknown protocol: " + protocol_flag};
  const std::string type_flag = c.f.value("type").value_or("ClusterIP");
  if (lowercase(type_flag) == "externalname") return {{}, fmt::format("type: {} not supported", type_flag)};
  const auto service_type = types.find(lowercase(type_flag));
  if (service_type == types.end()) return {{}, "unknown service type: " + type_flag};
  Json families = Json::array();
  const std::string family_flag = c.f.value("ip-family").value_or("");
  static const std::map<std::string, std::vector<std::string>> family_lists = {
      {"ipv4", {"IPv4"}}, {"ipv6", {"IPv6"}}, {"ipv4,ipv6", {"IPv4", "IPv6"}}, {"ipv6,ipv4", {"IPv6", "IPv4"}}};
  if (!family_flag.empty()) {
    const auto it = family_lists.find(lowercase(family_flag));
    if (it == family_lists.end()) return {{}, "unknown IPFamily/s: " + family_flag};
    for (const auto& fam : it->second) families.push_back(fam);
  }
  std::string policy;
  const std::string policy_flag = c.f.value("ip-family-policy").value_or("");
  static const std::map<std::string, std::string> policies = {
      {"singlestack", "SingleStack"}, {"preferdualstack", "PreferDualStack"}, {"requiredualstack", "RequireDualStack"}};
  if (policy_flag.empty()) policy = families.size() > 1 ? "PreferDualStack" : "";
  else if (auto it = policies.find(lowercase(policy_flag)); it != policies.end()) policy = it->second;
  else return {{}, "unknown IPFamilyPolicy/s: " + policy_flag};
  std::string error;
  const auto port = c.f.integer("port", error);
  if (!error.empty()) return {{}, error};

  Json selector, ports;
  if (type == "vmi" || type == "vmis" || type == "virtualmachineinstance" || type == "virtualmachineinstances") {
    const auto r = c.api.get("kubevirt.io/v1", "virtualmachineinstances", c.ns, name);
    if (!r.ok()) return {{}, "error fetching VirtualMachineInstance: " + r.error};
    ports = pod_network_ports(object_at(r.body, "spec"));
    selector = {{"vm.kubevirt.io/name", name}};
  } else if (type == "vm" || type == "vms" || type == "virtualmachine" || type == "virtualmachines") {
    const auto r = c.api.get("kubevirt.io/v1", "virtualmachines", c.ns, name);
    if (!r.ok()) return {{}, "error fetching VirtualMachine: " + r.error};
    ports = pod_network_ports(object_at(object_at(object_at(r.body, "spec"), "template"), "spec"));
    selector = {{"vm.kubevirt.io/name", name}};
  } else if (type == "vmirs" || type == "vmirss" || type == "virtualmachineinstancereplicaset" ||
             type == "virtualmachineinstancereplicasets") {
    const auto r = c.api.get("kubevirt.io/v1", "virtualmachineinstancereplicasets", c.ns, name);
    if (!r.ok()) return {{}, "error fetching VirtualMachineInstanceReplicaSet: " + r.error};
    const auto spec = object_at(r.body, "spec");
    ports = pod_network_ports(object_at(object_at(spec, "template"), "spec"));
    const auto rs_selector = object_at(spec, "selector");
    if (object_at(rs_selector, "matchLabels").empty())
      return {{}, "cannot expose VirtualMachineInstanceReplicaSet without any selector labels"};
    if (!array_at(rs_selector, "matchExpressions").empty())
      return {{}, "cannot expose VirtualMachineInstanceReplicaSet with match expressions"};
    selector = rs_selector["matchLabels"];
  } else {
    return {{}, "unsupported resource type: " + type};
  }
  if (port && *port != 0) {
    Json p = {{"protocol", protocol->second}, {"port", *port}};
    if (auto name_flag = c.f.value("port-name"); name_flag && !name_flag->empty()) p["name"] = *name_flag;
    if (auto target = c.f.value("target-port"); target && !target->empty()) {
      int n = 0;
      auto [end, ec] = std::from_chars(target->data(), target->data() + target->size(), n);
      if (ec == std::errc() && end == target->data() + target->size()) p["targetPort"] = n;
      else p["targetPort"] = *target;
    }
    ports = Json::array({p});
  }
  if (ports.empty()) return {{}, "couldn't find port via --port flag or introspection"};
  Json service = {{"apiVersion", "v1"},
                  {"kind", "Service"},
                  {"metadata", {{"name", *service_name}, {"namespace", c.ns}}},
                  {"spec", {{"ports", ports}, {"selector", selector}, {"type", service_type->second}}}};
  if (auto ip = c.f.value("cluster-ip"); ip && !ip->empty()) service["spec"]["clusterIP"] = *ip;
  if (!families.empty()) service["spec"]["ipFamilies"] = families;
  if (auto ip = c.f.value("external-ip"); ip && !ip->empty()) service["spec"]["externalIPs"] = Json::array({*ip});
  if (!policy.empty()) service["spec"]["ipFamilyPolicy"] = policy;
  const auto r = c.api.create("v1", "services", c.ns, service);
  if (!r.ok()) return {{}, "service creation failed: " + r.error};
  return {fmt::format("Service {} successfully created for {} {}\n", *service_name, type, name), {}};
}

// What this client reports as its own version: it speaks KubeVirt v1.5's API.
Json client_version_info() {
  return {{"gitVersion", "v1.5.0"}, {"gitCommit", ""},      {"gitTreeState", ""}, {"buildDate", ""},
          {"goVersion", ""},        {"compiler", "kvsim"}, {"platform", "linux/amd64"}};
}

VerbResult version(Ctx& c) {
  if (!c.f.positional.empty()) return {{}, arg_count_error(0, c.f.positional.size())};
  std::string out = "Client Version: " + go_version_info(client_version_info()) + "\n";
  if (c.f.has("client")) return {out, {}};
  const auto r = c.api.kubevirt_version();
  if (!r.ok()) return {out, r.error};
  return {out + "Server Version: " + go_version_info(r.body) + "\n", {}};
}

}  // namespace

std::string go_version_info(const models::Json& info) {
  auto field = [&](const char* key) { return go_quote(json_string(info, key)); };
  return fmt::format("version.Info{{GitVersion:{}, GitCommit:{}, GitTreeState:{}, BuildDate:{}, GoVersion:{}, "
                     "Compiler:{}, Platform:{}}}",
                     field("gitVersion"), field("gitCommit"), field("gitTreeState"), field("buildDate"),
                     field("goVersion"), field("compiler"), field("platform"));
}

const std::vector<std::string>& virtctl_verb_names() {
  static const std::vector<std::string> names = {"start",    "stop",        "restart",  "migrate", "pause", "unpause",
                                                 "guestosinfo", "userlist", "fslist",   "expose",  "version"};
  return names;
}

VerbResult run_virtctl_verb(KubeVirtApi& api, const std::vector<std::string>& args, const std::string& default_ns,
                            bool& handled) {
  handled = !args.empty() && std::find(virtctl_verb_names().begin(), virtctl_verb_names().end(), args[0]) !=
                                 virtctl_verb_names().end();
  if (!handled) return {};
  const std::string verb = args[0];
  Ctx c{api, commands::parse_flags(std::vector<std::string>(args.begin() + 1, args.end())), default_ns, {}};
  if (!c.f.error.empty()) return {{}, c.f.error};
  if (c.f.ns_given) c.ns = c.f.ns;
  // The verbs that take --dry-run announce it first (virtctl's setDryRunOption).
  if (c.f.has("dry-run")) c.prefix = "Dry Run execution\n";
  if (verb == "start" || verb == "stop" || verb == "restart" || verb == "migrate") return lifecycle(c, verb);
  if (verb == "pause" || verb == "unpause") return pause(c, verb);
  if (verb == "guestosinfo" || verb == "userlist" || verb == "fslist") return guest_report(c, verb);
  if (verb == "expose") return expose(c);
  return version(c);
}

}  // namespace kvsim::sim::client
