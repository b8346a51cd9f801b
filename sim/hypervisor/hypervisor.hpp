#pragma once
// The libvirt boundary, as virt-launcher sees it: define, start, shut down,
// destroy a domain, and hear its lifecycle events. Backends: `sim` (here),
// `libvirt` (hybrid mode, libvirt_hypervisor.hpp).
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "sim/engine/reactor.hpp"

namespace kvsim::sim::hypervisor {

// libvirt's virDomainState and the reasons virt-handler maps (FIDELITY.md §2).
enum class DomainState { NoState, Running, Paused, Shutoff, Crashed };
// (Paused/Unpaused are the reasons of a Paused state and of a Running state after resume.)
enum class StopReason { None, Shutdown, Destroyed, Crashed, Paused, Unpaused };

struct DomainEvent {
  std::string domain;
  DomainState state;
  StopReason reason;
  // Set when the hypervisor could not define or start the domain (hybrid mode): why, and how to fix it.
  std::string error = {};
};

// What `virsh destroy` from another terminal did: the domain's name as libvirt
// knows it, or why it could not.
struct OutsideDestroy {
  std::string name;
  std::string error;
};

struct DomainConfig {
  std::string name;  // <namespace>_<vmi>, as virt-launcher names it
  double memory_mb = 0;
  int vcpus = 1;
  // The domain crashes while booting (virt-launcher failing fast): a start that never runs.
  bool crash_on_start = false;
  std::vector<std::string> disks = {};  // the VMI's disk names (hybrid mode maps them to the guest image)
};

class Hypervisor {
 public:
  virtual ~Hypervisor() = default;
  virtual void define(const DomainConfig& config) = 0;
  virtual void start(const std::string& domain) = 0;
  // ACPI power button; the guest takes a while; after `grace` it is destroyed.
  virtual void shutdown(const std::string& domain, double grace) = 0;
  virtual void destroy(const std::string& domain) = 0;
  virtual void undefine(const std::string& domain) = 0;
  // From inside the guest: it powers itself off (Shutoff, reason Shutdown) after its
  // shutdown sequence, or it crashes at once (Crashed, reason Crashed).
  virtual void guest_poweroff(const std::string& domain) = 0;
  virtual void guest_crash(const std::string& domain) = 0;
  // virDomainSuspend / virDomainResume (virtctl pause / unpause).
  virtual void pause(const std::string& domain) = 0;
  virtual void resume(const std::string& domain) = 0;
  virtual DomainState state(const std::string& domain) const = 0;
  virtual bool defined(const std::string& domain) const = 0;
  // Live migration, without lifecycle events (virt-handler drives these itself):
  // the target defines the domain paused, waiting for the incoming memory; once the
  // transfer is done it resumes there, and the source's copy is gone.
  virtual void prepare_incoming(const DomainConfig& config) = 0;
  virtual void incoming_done(const std::string& domain) = 0;
  virtual void migrated_away(const std::string& domain) = 0;
  // Someone outside kvsim destroys the domain (`virsh destroy` on the node): the
  // domain stops (Shutoff, reason Destroyed) and virt-handler hears it as it hears
  // any stop it did not ask for. The modelled domain simply stops.
  virtual OutsideDestroy destroy_from_outside(const std::string& domain) {
    if (state(domain) != DomainState::Running && state(domain) != DomainState::Paused)
      return {domain, "Requested operation is not valid: domain is not running"};
    destroy(domain);
    return {domain, {}};
  }
};

// The default backend: domains are data; boot and shutdown take the
// profile's times; events are delivered on the owning node's reactor.
class SimHypervisor : public Hypervisor {
 public:
  SimHypervisor(engine::Reactor& reactor, double start_time, double shutdown_time,
                std::function<void(const DomainEvent&)> on_event);
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

 private:
  struct Domain {
    DomainConfig config;
    DomainState state = DomainState::Shutoff;
    std::uint64_t epoch = 0;  // invalidates timers of an earlier run
  };
  void set(const std::string& name, DomainState s, StopReason r);

  engine::Reactor& reactor_;
  double start_time_, shutdown_time_;
  std::function<void(const DomainEvent&)> on_event_;
  std::map<std::string, Domain> domains_;
};

}  // namespace kvsim::sim::hypervisor
