#include "sim/commands/console_commands.hpp"

#include <fmt/format.h>

#include "models/core.hpp"
#include "models/kubevirt.hpp"
#include "models/pod.hpp"
#include "sim/commands/flags.hpp"
#include "sim/hypervisor/libvirt_hypervisor.hpp"
#include "sim/kubevirt/virt_handler.hpp"

namespace kvsim::sim::commands {
namespace {

using models::VirtualMachineInstance;

// virt-api's subresource checks, in its words (pkg/virt-api/rest: "VMI is not
// running", "VMI does not have guest agent connected"), behind virtctl's
// "can't access VMI NAME: ..." prefix. The route goes through the node's
// virt-handler, so a dead node leaves a Running VMI unreachable.
struct Reached {
  std::shared_ptr<const VirtualMachineInstance> vmi;
  std::string error;
};

Reached reach_vmi(cluster::Cluster& cluster, const std::string& ns, std::string name) {
  if (auto slash = name.find('/'); slash != std::string::npos) name = name.substr(slash + 1);  // vmi/NAME
  auto vmi = cluster.store().get<VirtualMachineInstance>(ns, name);
  if (!vmi)
    return {nullptr, fmt::format("Error from server (NotFound): virtualmachineinstances.kubevirt.io \"{}\" not found", name)};
  if (vmi->status.phase != "Running")
    return {nullptr, fmt::format("error: can't access VMI {}: VMI is not running", name)};
  if (!cluster.node_host_up(vmi->status.nodeName))
    return {nullptr, fmt::format("error: can't access VMI {}: virt-handler on {} does not answer (the node is down); "
                                 "the VMI still shows Running because nothing has confirmed its end",
                                 name, vmi->status.nodeName)};
  return {vmi, {}};
}

bool condition_true(const VirtualMachineInstance& vmi, const char* type) {
  const auto* c = models::find_condition(vmi.status.conditions, type);
  return c && c->status == "True";
}

std::string launcher_pod_name(cluster::Cluster& cluster, const VirtualMachineInstance& vmi) {
  for (const auto& o : cluster.store().owned_by(vmi.metadata.uid))
    if (o->kind == "Pod" && !o->metadata.being_deleted()) return o->metadata.name;
  return "virt-launcher-" + vmi.metadata.name;
}

// virtctl listens on an ephemeral port the OS picks; here it is derived
// from the VMI's key so that runs print the same thing.
int local_port(const VirtualMachineInstance& vmi) {
  std::uint32_t h = 2166136261u;
  for (char c : vmi.metadata.namespace_ + "/" + vmi.metadata.name) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  return 40000 + static_cast<int>(h % 20000);
}

std::string paused_warning(const VirtualMachineInstance& vmi) {
  return condition_true(vmi, "Paused")
             ? fmt::format("Warning: VMI {} is paused: the guest shows nothing until `unpause vmi {}`.\n",
                           vmi.metadata.name, vmi.metadata.name)
             : std::string();
}

// Hybrid mode: the libvirt backend running the VMI's domain (nullptr when modelled).
hypervisor::LibvirtHypervisor* real_hypervisor(cluster::Cluster& cluster, const VirtualMachineInstance& vmi) {
  auto* handler = cluster.virt_handler(vmi.status.nodeName);
  return handler ? dynamic_cast<hypervisor::LibvirtHypervisor*>(&handler->hypervisor()) : nullptr;
}

std::string domain_of(const VirtualMachineInstance& vmi) { return vmi.metadata.namespace_ + "_" + vmi.metadata.name; }

}  // namespace

SeenGuest seen_guest(cluster::Cluster& cluster, const VirtualMachineInstance& vmi) {
  SeenGuest g{guest::identify_guest(vmi, cluster.store()), guest::view_of(vmi, cluster.now())};
  if (auto* handler = cluster.virt_handler(vmi.status.nodeName))
    g.view = guest::view_of(vmi, cluster.now(), handler->guest_provisioning(vmi));
  const auto& passwords = g.view.provisioning.agent_passwords;
  if (auto it = passwords.find(g.os.user); it != passwords.end()) g.os.password = it->second;
  return g;
}

Outcome console_command(cluster::Cluster& cluster, const std::vector<std::string>& args,
                        std::shared_ptr<ConsoleAttachment>& attached) {
  Flags f = parse_flags(args);
  if (!f.error.empty()) return {{}, "error: " + f.error};
  if (f.positional.size() != 1) return {{}, "error: usage: console VMI [-n NS] [--exec COMMAND] [--timeout MINUTES]"};
  std::string flag_error;
  const auto timeout = f.integer("timeout", flag_error);
  if (!flag_error.empty()) return {{}, "error: " + flag_error};
  // virtctl console (kubecli SerialConsole with ConnectionTimeout): while virt-api answers that
  // the VMI is not running, it asks again every second, up to --timeout minutes (5); the
  // shell's clock moves on meanwhile.
  std::string name = f.positional[0];
  if (auto slash = name.find('/'); slash != std::string::npos) name = name.substr(slash + 1);
  auto starting = [&] {
    auto v = cluster.store().get<VirtualMachineInstance>(f.ns, name);
    return v && v->status.phase != "Running";
  };
  const double deadline = cluster.now() + 60.0 * static_cast<double>(timeout.value_or(5));
  while (starting() && cluster.now() + 1 <= deadline) cluster.run_until(cluster.now() + 1);
  if (starting()) return {{}, "error: Timeout trying to connect to the virtual machine instance"};
  auto reached = reach_vmi(cluster, f.ns, f.positional[0]);
  if (!reached.vmi) return {{}, reached.error};
  const auto& vmi = *reached.vmi;
  if (auto* real = real_hypervisor(cluster, vmi)) {
    std::string error;
    if (auto command = f.value("exec")) {
      auto answer = real->console_exec(domain_of(vmi), *command, error);
      if (!error.empty()) return {{}, fmt::format("error: can't access VMI {}: {}", vmi.metadata.name, error)};
      return {answer, {}};
    }
    auto attachment = std::make_shared<ConsoleAttachment>(ConsoleAttachment{vmi.metadata.namespace_, vmi.metadata.name, vmi.metadata.uid, {}, true, 0});
    // From what the guest printed since it booted.
    auto shown = real->console_interact(domain_of(vmi), std::nullopt, attachment->offset, error);
    if (!error.empty()) return {{}, fmt::format("error: can't access VMI {}: {}", vmi.metadata.name, error)};
    attached = attachment;
    return {fmt::format("Successfully connected to {} console. The escape sequence is ^]\n", vmi.metadata.name) + shown, {}};
  }
  const auto [os, view] = seen_guest(cluster, vmi);
  if (auto command = f.value("exec")) {
    // Logged in as the image's default user, one command, its output.
    if (condition_true(vmi, "Paused"))
      return {{}, fmt::format("error: VMI {} is paused: the guest cannot answer until it is unpaused", vmi.metadata.name)};
    const auto r = guest::run_in_guest(os, view, *command);
    if (r.exit_code != 0) return {r.output, fmt::format("command terminated with exit code {}", r.exit_code)};
    return {r.output, {}};
  }
  attached = std::make_shared<ConsoleAttachment>(
      ConsoleAttachment{vmi.metadata.namespace_, vmi.metadata.name, vmi.metadata.uid, {}});
  return {fmt::format("Successfully connected to {} console. The escape sequence is ^]\n", vmi.metadata.name) +
              paused_warning(vmi) + "\n" + guest::boot_screen(os, view),
          {}};
}

Outcome console_input(cluster::Cluster& cluster, std::shared_ptr<ConsoleAttachment>& attached, const std::string& line) {
  if (line == "\x1d" || line == "^]" || line == "~.") {
    attached.reset();
    return {"\n", {}};
  }
  auto vmi = cluster.store().get<VirtualMachineInstance>(attached->ns, attached->name);
  if (!vmi || vmi->metadata.uid != attached->uid || vmi->status.phase != "Running" ||
      !cluster.node_host_up(vmi->status.nodeName)) {
    const auto name = attached->name;
    attached.reset();
    return {{}, fmt::format("error: the console connection to {} closed: the VMI is no longer running there", name)};
  }
  if (attached->real) {
    std::string error;
    auto* real = real_hypervisor(cluster, *vmi);
    auto out = real ? real->console_interact(domain_of(*vmi), line, attached->offset, error) : std::string();
    if (!real || !error.empty()) {
      attached.reset();
      return {{}, "error: the console connection closed: " + (error.empty() ? std::string("no libvirt backend") : error)};
    }
    return {out, {}};
  }
  const auto seen = seen_guest(cluster, *vmi);
  return {attached->login.feed(seen.os, seen.view, line), {}};
}

Outcome vnc_command(cluster::Cluster& cluster, const std::vector<std::string>& args) {
  Flags f = parse_flags(args);
  if (!f.error.empty()) return {{}, "error: " + f.error};
  if (f.positional.size() != 1) return {{}, "error: usage: vnc VMI [-n NS] [--proxy-only] [--port N]"};
  auto reached = reach_vmi(cluster, f.ns, f.positional[0]);
  if (!reached.vmi) return {{}, reached.error};
  const auto& vmi = *reached.vmi;
  const auto& graphics = vmi.spec.domain.devices.autoattachGraphicsDevice;
  if (graphics && !*graphics)
    return {{}, fmt::format("error: can't access VMI {}: No graphics devices are present.", vmi.metadata.name)};
  std::string error;
  if (auto* real = real_hypervisor(cluster, vmi)) {
    // Hybrid mode: QEMU's own VNC server, which libvirt bound to 127.0.0.1.
    const auto address = real->vnc_address(domain_of(vmi), error);
    if (!error.empty()) return {{}, fmt::format("error: can't access VMI {}: {}", vmi.metadata.name, error)};
    return {paused_warning(vmi) + fmt::format("A VNC viewer connects to vnc://{} (domain {} on {}: remote-viewer vnc://{}).\n",
                                              address, real->libvirt_name(domain_of(vmi)), real->uri(), address),
            {}};
  }
  const auto port_flag = f.integer("port", error);
  if (!error.empty()) return {{}, "error: " + error};
  const int port = port_flag ? static_cast<int>(*port_flag) : local_port(vmi);
  if (f.value("proxy-only") || f.has("proxy-only")) return {fmt::format("{{\"port\":{}}}\n", port), {}};
  const auto& name = vmi.metadata.name;
  return {paused_warning(vmi) +
              fmt::format("A VNC viewer connects to vnc://127.0.0.1:{} (virtctl runs: remote-viewer vnc://127.0.0.1:{}).\n"
                          "The path of its frames:\n"
                          "     virtctl vnc     listens on 127.0.0.1:{}\n"
                          "  -> virt-api        wss /apis/subresources.kubevirt.io/v1/namespaces/{}/"
                          "virtualmachineinstances/{}/vnc\n"
                          "  -> virt-handler    on {}\n"
                          "  -> virt-launcher   pod {} (unix socket virt-vnc)\n"
                          "  -> QEMU            the VNC server of domain {}_{}\n",
                          port, port, port, vmi.metadata.namespace_, name, vmi.status.nodeName,
                          launcher_pod_name(cluster, vmi), vmi.metadata.namespace_, name),
          {}};
}

namespace {

// The web console's choice of network for the desktop viewer (kubevirt-plugin getVmRdpNetworks,
// getDefaultNetwork): the only network, else the pod network when it has an IP, else a Multus one.
// A VMI that lists no network is on the pod network.
bool rdp_on_pod_network(const VirtualMachineInstance& vmi) {
  const auto& networks = vmi.spec.networks;
  if (networks.empty()) return true;
  for (const auto& n : networks)
    if (n.pod) return true;
  return false;
}

// A Service in the VMI's namespace that selects its launcher pod and has a port whose
// targetPort is 3389 (kubevirt-plugin findRDPServiceAndPort).
std::pair<std::shared_ptr<const models::Service>, const models::ServicePort*> rdp_service(
    cluster::Cluster& cluster, const VirtualMachineInstance& vmi) {
  std::shared_ptr<const models::Pod> pod;
  for (const auto& o : cluster.store().owned_by(vmi.metadata.uid))
    if (o->kind == "Pod" && !o->metadata.being_deleted()) pod = std::static_pointer_cast<const models::Pod>(o);
  const auto& labels = pod ? pod->metadata.labels : vmi.metadata.labels;
  for (const auto& o : cluster.store().list(models::Service::kind_info(), vmi.metadata.namespace_)) {
    auto svc = std::static_pointer_cast<const models::Service>(o);
    if (svc->spec.selector.empty()) continue;
    bool selects = true;
    for (const auto& [k, v] : svc->spec.selector) {
      auto it = labels.find(k);
      selects = selects && it != labels.end() && it->second == v;
    }
    if (!selects) continue;
    for (const auto& port : svc->spec.ports) {
      const auto& target = port.targetPort;
      const bool rdp = target ? (target->is_string ? target->str_value == "3389" : target->int_value == 3389)
                              : port.port == 3389;  // an unset targetPort defaults to the port
      if (rdp) return {svc, &port};
    }
  }
  return {nullptr, nullptr};
}

}  // namespace

// The web console's desktop viewer (kubevirt-plugin DesktopViewer, FIDELITY.md §6): on the pod
// network it connects through a Service exposing the guest's port 3389; on an L2 (Multus)
// network it connects to the guest's own address, which only the QEMU guest agent reports.
Outcome rdp_command(cluster::Cluster& cluster, const std::vector<std::string>& args) {
  Flags f = parse_flags(args);
  if (!f.error.empty()) return {{}, "error: " + f.error};
  if (f.positional.size() != 1) return {{}, "error: usage: rdp VMI [-n NS]"};
  auto reached = reach_vmi(cluster, f.ns, f.positional[0]);
  if (!reached.vmi) return {{}, reached.error};
  const auto& vmi = *reached.vmi;
  const auto& name = vmi.metadata.name;
  const auto os = guest::identify_guest(vmi, cluster.store());
  if (!os.windows())
    return {{}, fmt::format("error: VMI {} runs {}, which serves no RDP: use `console {}` or `vnc {}`", name,
                            os.pretty_name, name, name)};
  auto client = [&](const std::string& address) { return fmt::format("xfreerdp /v:{} /u:{}", address, os.user); };
  if (!rdp_on_pod_network(vmi)) {
    if (!condition_true(vmi, "AgentConnected"))
      return {{}, fmt::format("error: can't open the desktop viewer (RDP) of VMI {} on its L2 network: Missing guest "
                              "agent - Guest agent is not installed on VirtualMachine {}. On a Multus network the "
                              "viewer learns the guest's address from the QEMU guest agent; install it in the guest, "
                              "or use `vnc {}`",
                              name, name, name)};
    std::string guest_ip;
    for (const auto& itf : vmi.status.interfaces)
      if (!itf.ipAddress.empty() && guest_ip.empty()) guest_ip = itf.ipAddress;
    const std::string address = guest_ip.empty() ? "(none reported)" : guest_ip + ":3389";
    return {fmt::format("RDP to VMI {}/{} ({}) on its L2 network, as the web console's desktop viewer opens it:\n"
                        "  guest address reported by the guest agent: {}\n"
                        "  an RDP client connects there (e.g. {})\n",
                        vmi.metadata.namespace_, name, os.pretty_name, address, client(address)),
            {}};
  }
  const auto [svc, port] = rdp_service(cluster, vmi);
  if (!svc)
    return {{}, fmt::format("error: can't open the desktop viewer (RDP) of VMI {}: This is a Windows VirtualMachine but "
                            "no Service for the RDP (Remote Desktop Protocol) can be found. Create one exposing port "
                            "3389/tcp of the VM (`expose vm {} --name {}-rdp --port 3389 --type NodePort`), or use "
                            "`vnc {}`",
                            name, name, name, name)};
  // kubevirt-plugin getRdpAddressPort: the node's IP and the nodePort for a NodePort Service,
  // the external IP for a LoadBalancer, else the cluster IP and the port.
  std::string address;
  if (svc->spec.type == "NodePort" && port->nodePort) {
    std::string host_ip;
    for (const auto& o : cluster.store().owned_by(vmi.metadata.uid))
      if (o->kind == "Pod" && !o->metadata.being_deleted()) host_ip = static_cast<const models::Pod&>(*o).status.hostIP;
    address = fmt::format("{}:{}", host_ip, *port->nodePort);
  } else {
    address = fmt::format("{}:{}", svc->spec.clusterIP, port->port);
  }
  return {fmt::format("RDP to VMI {}/{} ({}), as the web console's desktop viewer opens it:\n"
                      "  Service {} ({}) exposes the guest's port 3389 at {}\n"
                      "  an RDP client connects there (e.g. {}); from outside the cluster,\n"
                      "  `virtctl port-forward vmi/{} tcp/3389` reaches the guest through virt-api and virt-handler on {}\n",
                      vmi.metadata.namespace_, name, os.pretty_name, svc->metadata.name,
                      svc->spec.type.empty() ? "ClusterIP" : svc->spec.type, address,
                      client(address), name, vmi.status.nodeName),
          {}};
}

}  // namespace kvsim::sim::commands
