#pragma once
// Hybrid mode's process-wide side: libvirt's event loop on its own thread,
// the queue it fills (lifecycle events, console ready markers), drained by the
// main loop between simulation steps (SimGrid is not thread-safe: that thread
// makes no SimGrid call), wall-clock pacing, and the notices to print.
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace kvsim::sim::hypervisor {

// This process's run id: domains are named kvsim-<run id>-<namespace>_<vmi>.
const std::string& run_id();
inline constexpr const char* kDomainPrefix = "kvsim-";

// True once a libvirt backend exists: the main loop then steps and drains.
bool libvirt_in_use();
// Advances the simulation to `t` through `run_until`, in steps, delivering
// libvirt's queued events between them; while real domains (not the test
// driver's) exist, sim time follows wall time (x1).
void run_libvirt_paced(double t, const std::function<void(double)>& run_until);
// While paced: the sim time the wall clock has reached (the shell catches up to it
// before each command, so an idle shell does not freeze the clock).
std::optional<double> wall_clock_sim_time();
// Things a user should read (leftover domains removed at start, ...), once each.
std::vector<std::string> take_notices();

}  // namespace kvsim::sim::hypervisor
