#pragma once
// The `libvirt` backend (hybrid mode): virt-launcher's domain is a real
// libvirt domain on the node's URI (test:///default in CI, qemu:///system
// with a real QEMU guest, qemu+ssh://host/system on another machine).
// Lifecycle events come from libvirt's event loop through the queue the main
// loop drains (libvirt_runtime.hpp) and reach virt-handler on its reactor.
// Failures (no daemon, no guest image, a rejected definition) end as a
// crashed domain whose event carries libvirt's error and how to fix it.
#include <map>
#include <memory>
#include <optional>

#include "sim/hypervisor/hypervisor.hpp"

namespace kvsim::sim::hypervisor {

class Connection;
class SerialConsole;
struct QueuedEvent;

// Where scripts/setup --hybrid puts the guest (KVSIM_GUEST_DIR overrides it).
std::string guest_dir();
// The ready marker the guest's init prints on ttyS0 (scripts/hybrid-setup writes it).
inline constexpr const char* kReadyMarker = "KVSIM-GUEST-READY";

class LibvirtHypervisor : public Hypervisor {
 public:
  LibvirtHypervisor(engine::Reactor& reactor, std::string uri, std::function<void(const DomainEvent&)> on_event);
  ~LibvirtHypervisor() override;
  void define(const DomainConfig& config) override;
  void start(const std::string& domain) override;
  void shutdown(const std::string& domain, double grace) override;
  void destroy(const std::string& domain) override;
  void undefine(const std::string& domain) override;
  void guest_poweroff(const std::string& domain) override;
  void guest_crash(const std::string& domain) override;
  void pause(const std::string& domain) override;
  void resume(const std::string& domain) override;
  DomainState state(const std::string& domain) const override;
  bool defined(const std::string& domain) const override;
  void prepare_incoming(const DomainConfig& config) override;
  void incoming_done(const std::string& domain) override;
  void migrated_away(const std::string& domain) override;
  // Through a connection of its own, as virsh in another terminal: the stop reaches
  // virt-handler through libvirt's event, like any stop kvsim did not ask for.
  OutsideDestroy destroy_from_outside(const std::string& domain) override;

  const std::string& uri() const { return uri_; }
  // The libvirt name of a VMI's domain: kvsim-<run id>-<namespace>_<vmi>.
  std::string libvirt_name(const std::string& domain) const;
  // Main thread, between simulation steps: an event from libvirt's queue.
  void deliver(const QueuedEvent& e);
  // The real serial console: one command typed, its answer (error set when it cannot).
  std::string console_exec(const std::string& domain, const std::string& command, std::string& error);
  // What the guest printed since `offset` (advanced), after sending `line` if given.
  std::string console_interact(const std::string& domain, const std::optional<std::string>& line, std::size_t& offset,
                               std::string& error);
  // Raw bytes typed into the real serial console (the API endpoint's console stream).
  bool console_send(const std::string& domain, const std::string& bytes, std::string& error);
  // What the guest printed since `offset` (advanced), without waiting; `error` set when
  // the domain has no console (any more).
  std::string console_read(const std::string& domain, std::size_t& offset, std::string& error);
  // Why the domain's serial console cannot be streamed ("" when it can).
  std::string console_unavailable(const std::string& domain) const;
  // The console's current end: a new connection sees only what comes after it.
  std::size_t console_end(const std::string& domain) const;
  // The domain's VNC server, host:port on 127.0.0.1.
  std::string vnc_address(const std::string& domain, std::string& error) const;

 private:
  struct Domain {
    DomainConfig config;
    DomainState state = DomainState::Shutoff;
    bool booting = false;        // started, the guest's ready marker not seen yet
    bool crash_requested = false;  // guest_crash: the stop that follows is a crash
    std::string failure;         // set when libvirt refused: the domain never runs
    bool in_libvirt = false;     // defined by this run (never touch a domain another made)
    std::shared_ptr<SerialConsole> console;
  };
  bool connect(std::string& error);
  // The VMI fails with libvirt's error (as a crash event carrying it).
  void fail(const std::string& domain, const std::string& error);
  void emit(const std::string& domain, DomainState s, StopReason r);
  void apply(const std::string& domain, int event, int detail);
  // After our own call: its event takes effect now, at the call's sim time.
  void settle(const std::string& domain, int event);
  std::string fix_hint() const;
  std::string no_console_reason() const;

  engine::Reactor& reactor_;
  std::string uri_;
  std::function<void(const DomainEvent&)> on_event_;
  std::shared_ptr<Connection> conn_;
  std::map<std::string, Domain> domains_;  // by virt-launcher's name (<ns>_<vmi>)
};

}  // namespace kvsim::sim::hypervisor
