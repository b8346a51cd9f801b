#pragma once
// Sim time, for code that must not include SimGrid (controllers, the API).
namespace kvsim::sim::engine {

// How close to "now" a due time counts as now: SimGrid's precision/timing default. Work due
// within it runs at once, without the clock moving.
inline constexpr double kTimingPrecision = 1e-9;

// Scenario time: SimGrid's clock minus the time origin. Everything the user sees (the
// trace, timestamps, a scenario's `at:`) is in scenario time.
double now();

// The SimGrid instant that is scenario time 0. A cluster that starts installed sets it
// to the length of its install window, so the install runs at negative times and the
// scenario's t=0 finds it done. Set once, before anything runs: a later change would
// shift every absolute time a component holds (lease renewals, heartbeats).
void set_time_origin(double simgrid_seconds);
double time_origin();

}  // namespace kvsim::sim::engine
