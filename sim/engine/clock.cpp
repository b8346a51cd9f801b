#include "sim/engine/clock.hpp"

#include <simgrid/s4u/Engine.hpp>

namespace kvsim::sim::engine {
namespace {

double origin = 0;

}  // namespace

double now() { return simgrid::s4u::Engine::get_clock() - origin; }

void set_time_origin(double simgrid_seconds) { origin = simgrid_seconds; }

double time_origin() { return origin; }

}  // namespace kvsim::sim::engine
