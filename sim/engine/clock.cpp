#include "sim/engine/clock.hpp"

#include <simgrid/s4u/Engine.hpp>

namespace kvsim::sim::engine {

double now() { return simgrid::s4u::Engine::get_clock(); }

}  // namespace kvsim::sim::engine
