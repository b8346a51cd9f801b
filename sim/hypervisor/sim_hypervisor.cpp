#include "sim/hypervisor/hypervisor.hpp"

#include <algorithm>

namespace kvsim::sim::hypervisor {

SimHypervisor::SimHypervisor(engine::Reactor& reactor, double start_time, double shutdown_time,
                             std::function<void(const DomainEvent&)> on_event)
    : reactor_(reactor), start_time_(start_time), shutdown_time_(shutdown_time), on_event_(std::move(on_event)) {}

void SimHypervisor::set(const std::string& name, DomainState s, StopReason r) {
  auto& d = domains_[name];
  d.state = s;
  ++d.epoch;
  on_event_(DomainEvent{name, s, r, {}});
}

void SimHypervisor::define(const DomainConfig& config) { domains_[config.name].config = config; }

void SimHypervisor::start(const std::string& name) {
  auto it = domains_.find(name);
  if (it == domains_.end() || it->second.state == DomainState::Running) return;
  const auto epoch = ++it->second.epoch;
  reactor_.post(start_time_, [this, name, epoch] {
    auto d = domains_.find(name);
    if (d == domains_.end() || d->second.epoch != epoch) return;
    if (d->second.config.crash_on_start) set(name, DomainState::Crashed, StopReason::Crashed);
    else set(name, DomainState::Running, StopReason::None);
  });
}

void SimHypervisor::shutdown(const std::string& name, double grace) {
  auto it = domains_.find(name);
  if (it == domains_.end() || (it->second.state != DomainState::Running && it->second.state != DomainState::Paused))
    return;
  const auto epoch = it->second.epoch;
  // A guest that answers ACPI in time shuts down; otherwise it is destroyed. A paused
  // guest cannot answer at all (virt-launcher still presses the button, then waits the grace out).
  const bool in_time = it->second.state == DomainState::Running && shutdown_time_ <= grace;
  reactor_.post(in_time ? shutdown_time_ : grace, [this, name, epoch, in_time] {
    auto d = domains_.find(name);
    if (d == domains_.end() || d->second.epoch != epoch) return;
    if (d->second.state != DomainState::Running && d->second.state != DomainState::Paused) return;
    set(name, DomainState::Shutoff, in_time ? StopReason::Shutdown : StopReason::Destroyed);
  });
}

void SimHypervisor::destroy(const std::string& name) {
  auto it = domains_.find(name);
  if (it == domains_.end() || it->second.state == DomainState::Shutoff) return;
  set(name, DomainState::Shutoff, StopReason::Destroyed);
}

void SimHypervisor::guest_poweroff(const std::string& name) {
  auto it = domains_.find(name);
  if (it == domains_.end() || it->second.state != DomainState::Running) return;
  const auto epoch = it->second.epoch;
  // The guest runs its own shutdown sequence (as long as an ACPI shutdown takes).
  reactor_.post(shutdown_time_, [this, name, epoch] {
    auto d = domains_.find(name);
    if (d == domains_.end() || d->second.epoch != epoch || d->second.state != DomainState::Running) return;
    set(name, DomainState::Shutoff, StopReason::Shutdown);
  });
}

void SimHypervisor::guest_crash(const std::string& name) {
  auto it = domains_.find(name);
  if (it == domains_.end() || (it->second.state != DomainState::Running && it->second.state != DomainState::Paused)) return;
  set(name, DomainState::Crashed, StopReason::Crashed);
}

void SimHypervisor::pause(const std::string& name) {
  auto it = domains_.find(name);
  if (it == domains_.end() || it->second.state != DomainState::Running) return;
  set(name, DomainState::Paused, StopReason::Paused);
}

void SimHypervisor::resume(const std::string& name) {
  auto it = domains_.find(name);
  if (it == domains_.end() || it->second.state != DomainState::Paused) return;
  set(name, DomainState::Running, StopReason::Unpaused);
}

void SimHypervisor::undefine(const std::string& name) { domains_.erase(name); }

DomainState SimHypervisor::state(const std::string& name) const {
  auto it = domains_.find(name);
  return it == domains_.end() ? DomainState::NoState : it->second.state;
}

bool SimHypervisor::defined(const std::string& name) const { return domains_.contains(name); }

void SimHypervisor::prepare_incoming(const DomainConfig& config) {
  auto& d = domains_[config.name];
  d.config = config;
  d.state = DomainState::Paused;
  ++d.epoch;
}

void SimHypervisor::incoming_done(const std::string& name) {
  auto it = domains_.find(name);
  if (it == domains_.end()) return;
  it->second.state = DomainState::Running;
  ++it->second.epoch;
}

void SimHypervisor::migrated_away(const std::string& name) { domains_.erase(name); }

}  // namespace kvsim::sim::hypervisor
