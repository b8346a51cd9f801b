#pragma once
// The simulated guest's serial console (ttyS0), pure: the boot log and login
// prompt, the login dialogue, and a small shell that answers the commands a
// trainee types first (uname, hostname, ip, cat /etc/os-release, uptime, ...).
#include <string>
#include <vector>

#include "sim/guest/guest_os.hpp"
#include "sim/guest/guest_provisioning.hpp"

namespace kvsim::sim::guest {

// What the guest can see of itself.
struct GuestAddress {
  std::string device;  // eth0, eth1, ...
  std::string cidr;    // "10.0.2.2/24"; empty when the interface has no IPv4 address
};
struct GuestView {
  std::string hostname;
  std::vector<GuestAddress> interfaces;
  double uptime_seconds = 0;
  GuestProvisioning provisioning;  // cloud-init's data and what the guest agent wrote
};

// The guest's view from its VMI: hostname (spec.hostname, else the VMI name),
// interface addresses (masquerade: 10.0.2.2/24 behind NAT; bridge on the pod
// network: the pod IP; Multus and SR-IOV: whatever DHCP gave, here nothing),
// and the time since the VMI became Running.
GuestView view_of(const models::VirtualMachineInstance& vmi, double now);
// The same, once the guest has read `provisioning`: the static addresses of its network
// config replace what the interfaces would otherwise have.
GuestView view_of(const models::VirtualMachineInstance& vmi, double now, GuestProvisioning provisioning);

// What the console shows on connect: the tail of the boot log, then the login prompt.
std::string boot_screen(const GuestOs& os, const GuestView& view);
std::string login_prompt(const GuestOs& os, const GuestView& view);
std::string shell_prompt(const GuestOs& os, const GuestView& view);

struct ExecResult {
  std::string output;  // ends with a newline when non-empty
  int exit_code = 0;
};
// One command line run by the logged-in default user (`sudo CMD`: as root, as the
// cloud images' default user may without a password).
ExecResult run_in_guest(const GuestOs& os, const GuestView& view, const std::string& line);

// The login dialogue on the serial line: user name, then password.
class LoginSession {
 public:
  enum class State { User, Password, Shell };
  State state() const { return state_; }
  // Feeds one typed line; returns what the console prints next (ending with the next prompt).
  std::string feed(const GuestOs& os, const GuestView& view, const std::string& line);
  // ^C typed: a shell gives a fresh prompt; login gives up on a half-typed
  // login and the getty asks for the user again. Returns that prompt.
  std::string interrupt(const GuestOs& os, const GuestView& view);

 private:
  State state_ = State::User;
  std::string user_;
};

}  // namespace kvsim::sim::guest
