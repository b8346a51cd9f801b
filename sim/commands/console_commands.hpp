#pragma once
// virtctl's ways into a guest: the serial console (interactive, or one
// command with --exec), VNC (what a viewer connects to) and RDP (the web
// console's desktop viewer, which needs the guest agent).
#include <memory>
#include <string>
#include <vector>

#include "sim/cluster/cluster.hpp"
#include "sim/commands/executor.hpp"
#include "sim/guest/serial_console.hpp"

namespace kvsim::sim::commands {

// An interactive serial console the shell is attached to: every line goes
// to the guest until the escape sequence (^] or ~.) detaches.
struct ConsoleAttachment {
  std::string ns, name, uid;
  guest::LoginSession login;
  // Hybrid mode: the domain's real serial console, read from this offset on.
  bool real = false;
  std::size_t offset = 0;
};

// A modelled guest as its console finds it: what it runs (a password the guest agent set
// for its default user replaces cloud-init's) and what it sees of itself (its cloud-init
// data and the files virt-launcher wrote, as the VMI's virt-handler knows them).
struct SeenGuest {
  guest::GuestOs os;
  guest::GuestView view;
};
SeenGuest seen_guest(cluster::Cluster& cluster, const models::VirtualMachineInstance& vmi);

Outcome console_command(cluster::Cluster& cluster, const std::vector<std::string>& args,
                        std::shared_ptr<ConsoleAttachment>& attached);
// One line typed while attached.
Outcome console_input(cluster::Cluster& cluster, std::shared_ptr<ConsoleAttachment>& attached, const std::string& line);
Outcome vnc_command(cluster::Cluster& cluster, const std::vector<std::string>& args);
Outcome rdp_command(cluster::Cluster& cluster, const std::vector<std::string>& args);

}  // namespace kvsim::sim::commands
