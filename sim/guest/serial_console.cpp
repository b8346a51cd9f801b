#include "sim/guest/serial_console.hpp"

#include <fmt/format.h>

#include <cmath>
#include <optional>

namespace kvsim::sim::guest {
namespace {

std::vector<std::string> words_of(const std::string& line) {
  std::vector<std::string> words;
  std::string cur;
  for (char c : line) {
    if (c == ' ' || c == '\t') {
      if (!cur.empty()) words.push_back(cur), cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) words.push_back(cur);
  return words;
}

std::string not_found(const GuestOs& os, const std::string& cmd) {
  return os.busybox ? fmt::format("-sh: {}: not found\n", cmd) : fmt::format("-bash: {}: command not found\n", cmd);
}

// busybox/procps style: "up 3 min", "up 1:05", "up 2 days, 3:04".
std::string uptime_text(double seconds) {
  const auto total_min = static_cast<long long>(seconds / 60);
  const long long days = total_min / (24 * 60), hours = (total_min / 60) % 24, minutes = total_min % 60;
  std::string up = days > 0 ? fmt::format("{} day{}, ", days, days == 1 ? "" : "s") : "";
  if (days == 0 && hours == 0) up += fmt::format("{} min", minutes);
  else up += fmt::format("{}:{:02}", hours, minutes);
  return fmt::format(" up {},  1 user,  load average: 0.00, 0.00, 0.00\n", up);
}

std::string ip_brief(const GuestView& view) {
  std::string out = fmt::format("{:<16} {:<14} {}\n", "lo", "UNKNOWN", "127.0.0.1/8 ::1/128");
  for (const auto& itf : view.interfaces) out += fmt::format("{:<16} {:<14} {}\n", itf.device, "UP", itf.cidr);
  return out;
}

std::string ip_addr(const GuestView& view) {
  std::string out =
      "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN qlen 1000\n"
      "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n"
      "    inet 127.0.0.1/8 scope host lo\n";
  int index = 2;
  for (const auto& itf : view.interfaces) {
    out += fmt::format("{}: {}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1400 qdisc fq_codel state UP qlen 1000\n", index++,
                       itf.device);
    if (!itf.cidr.empty()) out += fmt::format("    inet {} scope global {}\n", itf.cidr, itf.device);
  }
  return out;
}

std::string home_of(const std::string& user) { return user == "root" ? "/root" : "/home/" + user; }

// The files the guest's provisioning made, read by the default user (`root`: with sudo).
// Paths as the shell hands them to cat: ~ and relative ones from the default user's home.
std::optional<ExecResult> read_guest_file(const GuestOs& os, const GuestView& view, std::string path, bool root) {
  if (path.starts_with("~/")) path = home_of(os.user) + path.substr(1);
  else if (!path.starts_with("/")) path = home_of(os.user) + "/" + path;
  const auto& p = view.provisioning;
  const auto missing = ExecResult{fmt::format("cat: {}: No such file or directory\n", path), 1};
  constexpr std::string_view kKeys = "/.ssh/authorized_keys";
  if (path.ends_with(kKeys)) {
    const auto home = path.substr(0, path.size() - kKeys.size());
    std::string user;
    if (home == "/root") user = "root";
    else if (home.starts_with("/home/") && home.find('/', 6) == std::string::npos) user = home.substr(6);
    if (user.empty()) return std::nullopt;
    std::string content;
    if (!authorized_keys_file(p, user, os.user, content)) return missing;
    // ~/.ssh is 700 and the file 600, owned by their user.
    if (!root && user != os.user) return ExecResult{fmt::format("cat: {}: Permission denied\n", path), 1};
    return ExecResult{content, 0};
  }
  // cloud-init's copies of what its data source gave (root-only: they may hold secrets).
  if (path == "/var/lib/cloud/instance/user-data.txt" || path == "/run/cloud-init/network-config.json") {
    const bool user_data = path.ends_with(".txt");
    const auto content = user_data ? p.user_data : network_config_json(p.network_data);
    if (!p.cloud_init || content.empty()) return missing;
    if (!root && user_data) return ExecResult{fmt::format("cat: {}: Permission denied\n", path), 1};
    return ExecResult{content.ends_with("\n") ? content : content + "\n", 0};
  }
  return std::nullopt;
}

std::string os_release(const GuestOs& os) {
  return fmt::format("NAME=\"{}\"\nID={}\nVERSION_ID=\"{}\"\nPRETTY_NAME=\"{}\"\n",
                     os.pretty_name.substr(0, os.pretty_name.find(' ')), os.os_id, os.version_id, os.pretty_name);
}

}  // namespace

GuestView view_of(const models::VirtualMachineInstance& vmi, double now) {
  GuestView v;
  v.hostname = vmi.spec.hostname.empty() ? vmi.metadata.name : vmi.spec.hostname;
  int index = 0;
  for (const auto& itf : vmi.spec.domain.devices.interfaces) {
    GuestAddress a{fmt::format("eth{}", index++), {}};
    const models::Network* net = nullptr;
    for (const auto& n : vmi.spec.networks)
      if (n.name == itf.name) net = &n;
    if (itf.masquerade) {
      // The guest's side of the NAT (FIDELITY.md §5); vmNetworkCIDR would move it.
      a.cidr = "10.0.2.2/24";
    } else if (itf.bridge && net && net->pod) {
      for (const auto& s : vmi.status.interfaces)
        if (s.name == itf.name && !s.ipAddress.empty()) a.cidr = s.ipAddress + "/23";
    }
    v.interfaces.push_back(a);
  }
  for (const auto& t : vmi.status.phaseTransitionTimestamps)
    if (t.phase == "Running" && t.phaseTransitionTimestamp) v.uptime_seconds = now - t.phaseTransitionTimestamp->seconds;
  return v;
}

GuestView view_of(const models::VirtualMachineInstance& vmi, double now, GuestProvisioning provisioning) {
  GuestView v = view_of(vmi, now);
  const auto addresses = static_addresses(provisioning.network_data);
  for (auto& itf : v.interfaces)
    if (auto it = addresses.find(itf.device); it != addresses.end()) itf.cidr = it->second;
  v.provisioning = std::move(provisioning);
  return v;
}

std::string login_prompt(const GuestOs& os, const GuestView& view) {
  std::string text;
  if (os.family == "cirros")
    text = fmt::format("login as '{}' user. default password: '{}'. use 'sudo' for root.\n", os.user, os.password);
  return text + fmt::format("{} login: ", view.hostname);
}

std::string boot_screen(const GuestOs& os, const GuestView& view) {
  if (os.windows())
    return "(Windows writes nothing to the serial port unless Emergency Management Services are enabled:\n"
           " use `vnc` or `rdp` for this guest.)\n";
  std::string text = fmt::format("[    0.000000] Linux version {} (kvsim simulated guest)\n", os.kernel);
  text += "[    0.412093] virtio_blk virtio2: [vda] disk attached\n";
  text += fmt::format("[    2.180455] cloud-init: hostname set to {}\n\n", view.hostname);
  if (os.family == "cirros" || os.family == "alpine")
    text += fmt::format("Welcome to {}\nKernel {} on an x86_64 (/dev/ttyS0)\n\n", os.pretty_name, os.kernel);
  else
    text += fmt::format("{}\nKernel {} on an x86_64 (ttyS0)\n\n", os.pretty_name, os.kernel);
  return text + login_prompt(os, view);
}

std::string shell_prompt(const GuestOs& os, const GuestView& view) {
  if (os.family == "cirros") return "$ ";
  if (os.user == "root") return fmt::format("{}:~# ", view.hostname);
  return fmt::format("[{}@{} ~]$ ", os.user, view.hostname);
}

ExecResult run_in_guest(const GuestOs& os, const GuestView& view, const std::string& line) {
  auto w = words_of(line);
  if (w.empty()) return {};
  if (os.windows()) return {"'" + w[0] + "' cannot be run: this Windows guest has no serial shell\n", 1};
  const bool root = os.user == "root" || (w[0] == "sudo" && w.size() > 1);
  if (w[0] == "sudo" && w.size() > 1) w.erase(w.begin());
  const auto& cmd = w[0];
  if (cmd == "uname") {
    if (w.size() == 1 || w[1] == "-s") return {"Linux\n", 0};
    if (w[1] == "-r") return {os.kernel + "\n", 0};
    if (w[1] == "-n") return {view.hostname + "\n", 0};
    if (w[1] == "-m") return {"x86_64\n", 0};
    if (w[1] == "-a") return {fmt::format("Linux {} {} #1 SMP x86_64 GNU/Linux\n", view.hostname, os.kernel), 0};
    return {fmt::format("uname: invalid option -- '{}'\n", w[1].substr(w[1].find_first_not_of('-'))), 1};
  }
  if (cmd == "hostname") return {view.hostname + "\n", 0};
  if (cmd == "whoami") return {(root ? std::string("root") : os.user) + "\n", 0};
  if (cmd == "uptime") return {uptime_text(view.uptime_seconds), 0};
  if (cmd == "true") return {};
  if (cmd == "false") return {"", 1};
  if (cmd == "echo") {
    std::string out;
    for (std::size_t i = 1; i < w.size(); ++i) out += (i > 1 ? " " : "") + w[i];
    return {out + "\n", 0};
  }
  if (cmd == "cat" && w.size() == 2 && (w[1] == "/etc/os-release" || w[1] == "/usr/lib/os-release"))
    return {os_release(os), 0};
  if (cmd == "cat" && w.size() == 2 && w[1] == "/etc/hostname") return {view.hostname + "\n", 0};
  if (cmd == "cat" && w.size() == 2) {
    if (auto file = read_guest_file(os, view, w[1], root)) return *file;
  }
  if (cmd == "cat" && w.size() == 2) return {fmt::format("cat: {}: No such file or directory\n", w[1]), 1};
  if (cmd == "ip" && w.size() >= 2) {
    if (w[1] == "-br" && w.size() >= 3 && (w[2] == "a" || w[2] == "addr")) return {ip_brief(view), 0};
    if (w[1] == "a" || w[1] == "addr") return {ip_addr(view), 0};
  }
  return {not_found(os, cmd), 127};
}

std::string LoginSession::feed(const GuestOs& os, const GuestView& view, const std::string& line) {
  switch (state_) {
    case State::User:
      if (line.empty()) return login_prompt(os, view);
      user_ = line;
      state_ = State::Password;
      return "Password: ";
    case State::Password:
      if (user_ == os.user && !os.password.empty() && line == os.password) {
        state_ = State::Shell;
        return shell_prompt(os, view);
      }
      state_ = State::User;
      return "\nLogin incorrect\n" + login_prompt(os, view);
    case State::Shell: {
      if (line == "exit" || line == "logout") {
        state_ = State::User;
        return "\n" + login_prompt(os, view);
      }
      return run_in_guest(os, view, line).output + shell_prompt(os, view);
    }
  }
  return {};
}

std::string LoginSession::interrupt(const GuestOs& os, const GuestView& view) {
  if (state_ == State::Shell) return shell_prompt(os, view);
  state_ = State::User;
  return login_prompt(os, view);
}

}  // namespace kvsim::sim::guest
