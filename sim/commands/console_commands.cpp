#include "sim/commands/console_commands.hpp"

#include <fmt/format.h>

#include "models/kubevirt.hpp"
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

Outcome console_command(cluster::Cluster& cluster, const std::vector<std::string>& args,
                        std::shared_ptr<ConsoleAttachment>& attached) {
  Flags f = parse_flags(args);
  if (!f.error.empty()) return {{}, "error: " + f.error};
  if (f.positional.size() != 1) return {{}, "error: usage: console VMI [-n NS] [--exec COMMAND]"};
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
  const auto os = guest::identify_guest(vmi.spec);
  const auto view = guest::view_of(vmi, cluster.now());
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
  const auto os = guest::identify_guest(vmi->spec);
  return {attached->login.feed(os, guest::view_of(*vmi, cluster.now()), line), {}};
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

Outcome rdp_command(cluster::Cluster& cluster, const std::vector<std::string>& args) {
  Flags f = parse_flags(args);
  if (!f.error.empty()) return {{}, "error: " + f.error};
  if (f.positional.size() != 1) return {{}, "error: usage: rdp VMI [-n NS]"};
  auto reached = reach_vmi(cluster, f.ns, f.positional[0]);
  if (!reached.vmi) return {{}, reached.error};
  const auto& vmi = *reached.vmi;
  const auto& name = vmi.metadata.name;
  const auto os = guest::identify_guest(vmi.spec);
  if (!os.windows())
    return {{}, fmt::format("error: VMI {} runs {}, which serves no RDP: use `console {}` or `vnc {}`", name,
                            os.pretty_name, name, name)};
  if (!condition_true(vmi, "AgentConnected"))
    return {{}, fmt::format("error: can't open the desktop viewer (RDP) of VMI {}: VMI does not have guest agent "
                            "connected. The viewer learns the guest's address from the QEMU guest agent: install "
                            "and start it in the guest (AgentConnected=True), or use `vnc {}`",
                            name, name)};
  std::string guest_ip;
  for (const auto& itf : vmi.status.interfaces)
    if (!itf.ipAddress.empty() && guest_ip.empty()) guest_ip = itf.ipAddress;
  return {fmt::format("RDP to VMI {}/{} ({}), as the web console's desktop viewer opens it:\n"
                      "  guest address reported by the guest agent: {}\n"
                      "  virtctl port-forward vmi/{} tcp/3389   forwards 127.0.0.1:3389 through virt-api and "
                      "virt-handler on {} to the guest\n"
                      "  then an RDP client connects to 127.0.0.1:3389 (e.g. xfreerdp /v:127.0.0.1:3389 /u:{})\n",
                      vmi.metadata.namespace_, name, os.pretty_name, guest_ip.empty() ? "(none reported)" : guest_ip,
                      name, vmi.status.nodeName, os.user),
          {}};
}

}  // namespace kvsim::sim::commands
