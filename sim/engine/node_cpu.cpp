#include "sim/engine/node_cpu.hpp"

#include <simgrid/s4u.hpp>

#include "sim/engine/platform.hpp"

namespace kvsim::sim::engine {

namespace sg4 = simgrid::s4u;

void run_on_cpu(const std::string& host, double seconds, std::function<void()> done) {
  auto* h = host_of(host);
  // The worker lives on the node: if the node dies, so does the work, unreported.
  sg4::Actor::create("cpu-work", h, [h, seconds, done = std::move(done)] {
    if (seconds > 0) sg4::this_actor::execute(seconds * h->get_speed());
    done();
  });
}

}  // namespace kvsim::sim::engine
