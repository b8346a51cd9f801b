#pragma once
// The bench's bare-SimGrid baseline: the SimGrid work of a scale scenario without API objects,
// controllers' logic or the trace. The same platform (hosts, links), the same actors (a reactor
// per component: kubelet and virt-handler per node, controllers and the scheduler on a
// control-plane node), the same activities (image pulls as network transfers, container starts
// as CPU work, completed through the hosts' activity waiters) and timers (watch latency, API
// round trips, domain start, node lease and virt-handler heartbeats), at the scenario's timing
// profile. What kvsim costs beyond it is the cost of modelling the cluster's objects.
#include <cstddef>
#include <string>

#include "sim/scenario/scenario.hpp"

namespace kvsim::sim::bench {

struct BaselineWork {
  std::size_t vms = 0;     // VirtualMachines the scenario creates (runStrategy Always)
  double created_at = 0;   // when (the first; all are created then)
  std::string image;       // their containerDisk image, pulled once per node
};

// What a scale scenario asks for: its generated VirtualMachines.
BaselineWork baseline_work(const scenario::Scenario& s);

struct BaselineResult {
  std::size_t running = 0;  // VMs that reached Running
  std::size_t writes = 0;   // the state changes kvsim would write (a trace record each)
  double sim_seconds = 0;   // when the last one did
};

// Runs it in this process (which must not have run a cluster: one SimGrid engine per process).
BaselineResult run_baseline(const scenario::Scenario& s, const BaselineWork& work);

}  // namespace kvsim::sim::bench
