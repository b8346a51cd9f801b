#include "sim/hypervisor/libvirt_hypervisor.hpp"

#include <fmt/format.h>

#include <grp.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <memory>

#include "sim/hypervisor/domain_xml.hpp"
#include "sim/hypervisor/libvirt_connection.hpp"
#include "sim/hypervisor/libvirt_runtime.hpp"
#include "sim/hypervisor/serial_console.hpp"
#include "sim/build_paths.hpp"

namespace kvsim::sim::hypervisor {

namespace {

// QEMU runs as the daemon's unprivileged user (libvirt-qemu), not as kvsim: /dev/kvm must be
// open to it. Seen here: a machine whose /dev/kvm is 0600 root, where a KVM domain fails at
// once ("Could not access KVM kernel module: Permission denied"). Debian gives it 0660
// root:kvm, and libvirt-qemu is in the kvm group; world access also does. Where scripts/setup
// --hybrid found it 0600 root, it gives it to the libvirt-qemu group only for libvirtd's cache:
// those hosts stay on TCG (see scripts/hybrid-setup).
bool kvm_usable_by_qemu() {
  struct stat st {};
  if (::stat("/dev/kvm", &st) != 0) return false;
  if ((st.st_mode & S_IROTH) && (st.st_mode & S_IWOTH)) return true;
  const struct group* g = ::getgrgid(st.st_gid);
  return (st.st_mode & S_IRGRP) && (st.st_mode & S_IWGRP) && g && std::string(g->gr_name) == "kvm";
}


// Seconds `console --exec` waits for the guest's answer.
constexpr double kExecTimeout = 10;

struct DomainRef {
  virDomainPtr ptr = nullptr;
  ~DomainRef() {
    if (ptr) virDomainFree(ptr);
  }
  explicit operator bool() const { return ptr != nullptr; }
};

}  // namespace

// Absolute: libvirtd, not kvsim, opens the kernel and initrd, from its own working
// directory (a relative KVSIM_GUEST_DIR failed every start with "unable to stat").
std::string guest_dir() {
  if (const char* dir = std::getenv("KVSIM_GUEST_DIR"); dir && *dir) {
    std::error_code ignored;
    const auto absolute = std::filesystem::absolute(dir, ignored);
    return absolute.empty() ? dir : absolute.lexically_normal().string();
  }
  return build_paths::guest_dir();
}

LibvirtHypervisor::LibvirtHypervisor(engine::Reactor& reactor, std::string uri,
                                     std::function<void(const DomainEvent&)> on_event)
    : reactor_(reactor), uri_(std::move(uri)), on_event_(std::move(on_event)) {
  backend_created();
  // Connect at once: leftovers of a killed run are found and reported at start. A
  // failure is reported on the first VMI (the daemon may be started meanwhile).
  std::string ignored;
  connect(ignored);
}

LibvirtHypervisor::~LibvirtHypervisor() {
  // Nothing leaks: every domain this run made is destroyed and undefined.
  for (auto& [name, d] : domains_) {
    d.console.reset();
    if (conn_ && d.in_libvirt) {
      DomainRef dom{virDomainLookupByName(conn_->get(), libvirt_name(name).c_str())};
      if (dom) {
        if (virDomainIsActive(dom.ptr) == 1) virDomainDestroy(dom.ptr);
        virDomainUndefine(dom.ptr);
      }
    }
    unregister_owner(libvirt_name(name));
  }
}

OutsideDestroy LibvirtHypervisor::destroy_from_outside(const std::string& domain) {
  OutsideDestroy out{libvirt_name(domain), {}};
  virConnectPtr outside = virConnectOpen(uri_.c_str());
  if (!outside) return {out.name, "failed to connect to the hypervisor: " + last_libvirt_error()};
  {
    DomainRef dom{virDomainLookupByName(outside, out.name.c_str())};
    if (!dom) out.error = "failed to get domain '" + out.name + "'";
    else if (virDomainDestroy(dom.ptr) < 0) out.error = "Failed to destroy domain '" + out.name + "': " + last_libvirt_error();
  }
  virConnectClose(outside);
  return out;
}

std::string LibvirtHypervisor::libvirt_name(const std::string& domain) const {
  return std::string(kDomainPrefix) + run_id() + "-" + domain;
}

std::string LibvirtHypervisor::fix_hint() const {
  if (uri_.starts_with("test:")) return "check the node's hypervisor URI";
  if (uri_.find("+ssh://") != std::string::npos)
    return "check that the host answers `virsh -c " + uri_ + " uri` and has run scripts/setup --hybrid";
  return "run scripts/setup --hybrid (it installs and starts libvirtd and builds the guest)";
}

bool LibvirtHypervisor::connect(std::string& error) {
  if (conn_) return true;
  conn_ = Connection::open(uri_, error);
  if (!conn_) error = fmt::format("cannot connect to libvirt at {}: {}", uri_, error);
  return conn_ != nullptr;
}

void LibvirtHypervisor::emit(const std::string& domain, DomainState s, StopReason r) {
  auto it = domains_.find(domain);
  if (it == domains_.end()) return;
  if (it->second.state == s && r != StopReason::Unpaused) return;  // libvirt repeats itself
  it->second.state = s;
  on_event_(DomainEvent{domain, s, r, {}});
}

void LibvirtHypervisor::fail(const std::string& domain, const std::string& error) {
  auto& d = domains_[domain];
  d.failure = fmt::format("{}; {}", error, fix_hint());
  d.state = DomainState::Crashed;
  // On virt-handler's timeline, like every domain event.
  reactor_.post(0, [this, domain, message = d.failure] {
    on_event_(DomainEvent{domain, DomainState::Crashed, StopReason::Crashed, message});
  });
}

void LibvirtHypervisor::define(const DomainConfig& config) {
  auto& d = domains_[config.name];
  d = Domain{};
  d.config = config;
  std::string error;
  if (!connect(error)) return fail(config.name, error);
  const std::string name = libvirt_name(config.name);
  DomainXmlSpec spec;
  spec.name = name;
  spec.memory_mb = config.memory_mb;
  spec.vcpus = config.vcpus;
  spec.description = "kvsim VMI " + config.name;
  for (const auto& disk : config.disks) spec.description += "; disk " + disk + ": the guest image";
  if (conn_->is_test_driver()) {
    spec.type = "test";
  } else {
    // A local daemon (no host in the URI) runs the guest on this machine: KVM when it has
    // /dev/kvm, and the guest image must be here. A remote host gets TCG and needs the image at the same path.
    const bool local = uri_.find(":///") != std::string::npos;
    spec.type = local && kvm_usable_by_qemu() ? "kvm" : "qemu";
    spec.kernel = guest_dir() + "/vmlinuz";
    spec.initrd = guest_dir() + "/initrd.img";
    if (local)
      for (const auto& file : {spec.kernel, spec.initrd})
        if (!std::filesystem::exists(file))
          return fail(config.name, fmt::format("guest image {} does not exist", file));
  }
  register_owner(name, this);
  DomainRef dom{virDomainDefineXML(conn_->get(), domain_xml(spec).c_str())};
  if (!dom) return fail(config.name, fmt::format("defining domain {} on {} failed: {}", name, uri_, last_libvirt_error()));
  d.in_libvirt = true;
}

void LibvirtHypervisor::start(const std::string& domain) {
  auto it = domains_.find(domain);
  if (it == domains_.end() || !it->second.failure.empty() || it->second.state == DomainState::Running) return;
  auto& d = it->second;
  const std::string name = libvirt_name(domain);
  DomainRef dom{virDomainLookupByName(conn_->get(), name.c_str())};
  if (!dom) return fail(domain, fmt::format("domain {} vanished from {}: {}", name, uri_, last_libvirt_error()));
  d.crash_requested = false;
  if (conn_->is_test_driver()) {
    // No guest: libvirt's STARTED event is the domain running.
    if (virDomainCreate(dom.ptr) < 0) return fail(domain, fmt::format("starting domain {} failed: {}", name, last_libvirt_error()));
    return settle(domain, VIR_DOMAIN_EVENT_STARTED);
  }
  // A real guest: start it paused, attach the serial console, then let it run, so
  // that nothing it prints (the ready marker above all) is missed.
  if (virDomainCreateWithFlags(dom.ptr, VIR_DOMAIN_START_PAUSED) < 0)
    return fail(domain, fmt::format("starting domain {} failed: {}", name, last_libvirt_error()));
  std::string error;
  d.console = SerialConsole::open(conn_->get(), dom.ptr, name, kReadyMarker, error);
  d.booting = true;
  set_paced(name, true);
  if (!d.console) {
    virDomainDestroy(dom.ptr);
    return fail(domain, error);
  }
  if (virDomainResume(dom.ptr) < 0) {
    virDomainDestroy(dom.ptr);
    return fail(domain, fmt::format("resuming domain {} failed: {}", name, last_libvirt_error()));
  }
}

void LibvirtHypervisor::shutdown(const std::string& domain, double grace) {
  auto it = domains_.find(domain);
  if (it == domains_.end() || (it->second.state != DomainState::Running && it->second.state != DomainState::Paused)) return;
  DomainRef dom{virDomainLookupByName(conn_->get(), libvirt_name(domain).c_str())};
  if (!dom) return;
  if (virDomainShutdown(dom.ptr) == 0 && conn_->is_test_driver()) settle(domain, VIR_DOMAIN_EVENT_STOPPED);  // ACPI power button
  // The guest did not power off within the grace period: virt-launcher destroys it.
  reactor_.post(grace, [this, domain] {
    auto d = domains_.find(domain);
    if (d != domains_.end() && (d->second.state == DomainState::Running || d->second.state == DomainState::Paused)) destroy(domain);
  });
}

void LibvirtHypervisor::destroy(const std::string& domain) {
  auto it = domains_.find(domain);
  if (it == domains_.end() || !it->second.in_libvirt || !conn_) return;
  DomainRef dom{virDomainLookupByName(conn_->get(), libvirt_name(domain).c_str())};
  if (dom && virDomainIsActive(dom.ptr) == 1 && virDomainDestroy(dom.ptr) == 0) settle(domain, VIR_DOMAIN_EVENT_STOPPED);
}

void LibvirtHypervisor::undefine(const std::string& domain) {
  auto it = domains_.find(domain);
  if (it == domains_.end()) return;
  it->second.console.reset();
  const std::string name = libvirt_name(domain);
  if (conn_ && it->second.in_libvirt) {
    DomainRef dom{virDomainLookupByName(conn_->get(), name.c_str())};
    if (dom) {
      if (virDomainIsActive(dom.ptr) == 1) virDomainDestroy(dom.ptr);
      virDomainUndefine(dom.ptr);
    }
  }
  unregister_owner(name);
  domains_.erase(it);
}

void LibvirtHypervisor::guest_poweroff(const std::string& domain) {
  auto it = domains_.find(domain);
  if (it == domains_.end() || it->second.state != DomainState::Running) return;
  // The guest powers itself off: busybox's poweroff on the console, ACPI for the test driver.
  if (it->second.console) {
    it->second.console->send("poweroff -f\r");
    return;
  }
  DomainRef dom{virDomainLookupByName(conn_->get(), libvirt_name(domain).c_str())};
  if (dom && virDomainShutdown(dom.ptr) == 0) settle(domain, VIR_DOMAIN_EVENT_STOPPED);
}

void LibvirtHypervisor::guest_crash(const std::string& domain) {
  auto it = domains_.find(domain);
  if (it == domains_.end() || (it->second.state != DomainState::Running && it->second.state != DomainState::Paused)) return;
  // The stop that follows is reported as the crash it stands for.
  it->second.crash_requested = true;
  destroy(domain);
}

void LibvirtHypervisor::pause(const std::string& domain) {
  auto it = domains_.find(domain);
  if (it == domains_.end() || it->second.state != DomainState::Running) return;
  DomainRef dom{virDomainLookupByName(conn_->get(), libvirt_name(domain).c_str())};
  if (dom && virDomainSuspend(dom.ptr) == 0) settle(domain, VIR_DOMAIN_EVENT_SUSPENDED);
}

void LibvirtHypervisor::resume(const std::string& domain) {
  auto it = domains_.find(domain);
  if (it == domains_.end() || it->second.state != DomainState::Paused) return;
  DomainRef dom{virDomainLookupByName(conn_->get(), libvirt_name(domain).c_str())};
  if (dom && virDomainResume(dom.ptr) == 0) settle(domain, VIR_DOMAIN_EVENT_RESUMED);
}

DomainState LibvirtHypervisor::state(const std::string& domain) const {
  auto it = domains_.find(domain);
  return it == domains_.end() ? DomainState::NoState : it->second.state;
}

bool LibvirtHypervisor::defined(const std::string& domain) const { return domains_.contains(domain); }

// Live migration between real libvirt hosts is not done: the target boots a fresh
// domain from the guest image and the source's is removed (the memory is not carried).
void LibvirtHypervisor::prepare_incoming(const DomainConfig& config) {
  define(config);
  start(config.name);
}
void LibvirtHypervisor::incoming_done(const std::string&) {}
void LibvirtHypervisor::migrated_away(const std::string& domain) { undefine(domain); }

void LibvirtHypervisor::deliver(const QueuedEvent& e) {
  const std::string prefix = std::string(kDomainPrefix) + run_id() + "-";
  if (!e.domain.starts_with(prefix)) return;
  reactor_.post(0, [this, domain = e.domain.substr(prefix.size()), event = e.event, detail = e.detail] {
    apply(domain, event, detail);
  });
}

void LibvirtHypervisor::settle(const std::string& domain, int event) {
  constexpr double kEventWait = 2;  // wall seconds; libvirt's thread queues it within milliseconds
  if (auto e = await_event(libvirt_name(domain), event, kEventWait)) apply(domain, e->event, e->detail);
}

void LibvirtHypervisor::apply(const std::string& domain, int event, int detail) {
  auto it = domains_.find(domain);
  if (it == domains_.end() || !it->second.failure.empty()) return;
  auto& d = it->second;
  switch (event) {
    case kReadyMarkerSeen:
      if (!d.booting) return;
      d.booting = false;
      return emit(domain, DomainState::Running, StopReason::None);
    case VIR_DOMAIN_EVENT_STARTED:
      // The test driver has no guest to wait for; a real one is Running at its ready marker.
      if (conn_->is_test_driver()) emit(domain, DomainState::Running, StopReason::None);
      return;
    case VIR_DOMAIN_EVENT_SUSPENDED:
      if (!d.booting) emit(domain, DomainState::Paused, StopReason::Paused);
      return;
    case VIR_DOMAIN_EVENT_RESUMED:
      if (!d.booting && d.state == DomainState::Paused) emit(domain, DomainState::Running, StopReason::Unpaused);
      return;
    case VIR_DOMAIN_EVENT_STOPPED:
    case VIR_DOMAIN_EVENT_CRASHED: {
      d.booting = false;
      d.console.reset();
      set_paced(libvirt_name(domain), false);
      if (d.crash_requested || event == VIR_DOMAIN_EVENT_CRASHED || detail == VIR_DOMAIN_EVENT_STOPPED_CRASHED ||
          detail == VIR_DOMAIN_EVENT_STOPPED_FAILED)
        return emit(domain, DomainState::Crashed, StopReason::Crashed);
      // FIDELITY.md §2: Destroyed (virsh destroy from outside, or the grace expired) -> Failed;
      // the guest's own power-off, a save or a snapshot -> Succeeded.
      return emit(domain, DomainState::Shutoff,
                  detail == VIR_DOMAIN_EVENT_STOPPED_DESTROYED ? StopReason::Destroyed : StopReason::Shutdown);
    }
    default:
      return;
  }
}

std::string LibvirtHypervisor::no_console_reason() const {
  if (conn_ && conn_->is_test_driver())
    return "libvirt's test driver (" + uri_ + ") runs no guest, so its domains have no serial console";
  return "the domain has no serial console open (it is not running)";
}

std::string LibvirtHypervisor::console_interact(const std::string& domain, const std::optional<std::string>& line,
                                                std::size_t& offset, std::string& error) {
  auto it = domains_.find(domain);
  if (it == domains_.end() || !it->second.console) {
    error = no_console_reason();
    return {};
  }
  auto& console = *it->second.console;
  if (line && !console.send(*line + "\r")) {
    error = "writing to the serial console failed: " + last_libvirt_error();
    return {};
  }
  // What the guest answers within half a second: enough for a shell's echo and short output.
  console.wait_for(offset, "\x01never", 0.5);
  auto out = console.since(offset);
  offset += out.size();
  // busybox's line editor asks the terminal where its cursor is (ESC [ 6 n); a real terminal would
  // type the answer into kvsim's input, mixing it into the next command line. Not passed on.
  for (auto at = out.find("\x1b[6n"); at != std::string::npos; at = out.find("\x1b[6n", at)) out.erase(at, 4);
  return out;
}

bool LibvirtHypervisor::console_send(const std::string& domain, const std::string& bytes, std::string& error) {
  auto it = domains_.find(domain);
  if (it == domains_.end() || !it->second.console) {
    error = no_console_reason();
    return false;
  }
  if (!it->second.console->send(bytes)) {
    error = "writing to the serial console failed: " + last_libvirt_error();
    return false;
  }
  return true;
}

std::string LibvirtHypervisor::console_read(const std::string& domain, std::size_t& offset, std::string& error) {
  auto it = domains_.find(domain);
  if (it == domains_.end() || !it->second.console) {
    error = no_console_reason();
    return {};
  }
  auto out = it->second.console->since(offset);
  offset += out.size();
  return out;
}

std::string LibvirtHypervisor::console_unavailable(const std::string& domain) const {
  auto it = domains_.find(domain);
  return it == domains_.end() || !it->second.console ? no_console_reason() : std::string();
}

std::size_t LibvirtHypervisor::console_end(const std::string& domain) const {
  auto it = domains_.find(domain);
  return it == domains_.end() || !it->second.console ? 0 : it->second.console->size();
}

std::string LibvirtHypervisor::console_exec(const std::string& domain, const std::string& command, std::string& error) {
  auto it = domains_.find(domain);
  if (it == domains_.end() || !it->second.console) {
    error = no_console_reason();
    return {};
  }
  auto& console = *it->second.console;
  static unsigned serial = 0;
  const unsigned n = ++serial;
  // The marker the shell prints differs from what is typed (arithmetic expansion),
  // so only the shell's own output ends the wait.
  const std::string done = fmt::format("KVSIM-DONE-{}", n + 1000);
  const std::size_t offset = console.size();
  if (!console.send(command + "\r") || !console.send(fmt::format("echo KVSIM-DONE-$(({}+1000))\r", n))) {
    error = "writing to the serial console failed: " + last_libvirt_error();
    return {};
  }
  if (!console.wait_for(offset, done, kExecTimeout)) {
    error = fmt::format("the guest did not answer within {:.0f}s", kExecTimeout);
    return {};
  }
  return command_answer(console.since(offset), done);
}

std::string LibvirtHypervisor::vnc_address(const std::string& domain, std::string& error) const {
  if (!conn_ || !domains_.contains(domain)) {
    error = "the VMI has no domain";
    return {};
  }
  DomainRef dom{virDomainLookupByName(conn_->get(), libvirt_name(domain).c_str())};
  char* xml = dom ? virDomainGetXMLDesc(dom.ptr, 0) : nullptr;
  if (!xml) {
    error = "cannot read the domain's XML: " + last_libvirt_error();
    return {};
  }
  // The live XML carries the port QEMU got (autoport).
  const auto port = vnc_port(xml);
  free(xml);
  if (port.empty() || port == "-1") {
    error = "the domain's VNC server has no port (the domain is not running)";
    return {};
  }
  return "127.0.0.1:" + port;
}

}  // namespace kvsim::sim::hypervisor
