#pragma once
// The process's one SimGrid engine (SimGrid cannot reset it), configured for kvsim's actors:
// few and long-lived (a reactor per component, an activity waiter per host), each with a
// deliberately sized stack. The cluster and the bench's bare-SimGrid baseline both start here.
#include <cstddef>

namespace simgrid::s4u {
class Engine;
}

namespace kvsim::sim::engine {

// The engine, constructed on first use; `nodes` sizes the stack guards (see the .cpp). Call it
// before creating the platform or any actor.
simgrid::s4u::Engine& simgrid_engine(std::size_t nodes);

}  // namespace kvsim::sim::engine
