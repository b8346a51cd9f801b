#include "sim/engine/node_cpu.hpp"

#include <simgrid/s4u.hpp>

#include "sim/engine/host_activities.hpp"
#include "sim/engine/platform.hpp"

namespace kvsim::sim::engine {

namespace sg4 = simgrid::s4u;

void run_on_cpu(const std::string& host, double seconds, std::function<void()> done) {
  auto* h = host_of(host);
  if (seconds <= 0) {
    after(h, 0, std::move(done));
    return;
  }
  // The execution runs on the node: if the node dies, so does the work (and its waiter), unreported.
  auto exec = sg4::Exec::init()->set_flops_amount(seconds * h->get_speed())->set_host(h);
  exec->start();
  when_done(h, exec, [done = std::move(done)](ActivityEnd end) {
    if (end == ActivityEnd::completed) done();
  });
}

}  // namespace kvsim::sim::engine
