#include "sim/engine/watched_transfer.hpp"

#include <simgrid/s4u.hpp>

#include "sim/engine/platform.hpp"

namespace kvsim::sim::engine {

namespace sg4 = simgrid::s4u;

void watched_transfer(const std::string& from, const std::string& to, double bytes, double rate, double poll,
                      std::shared_ptr<TransferControl> control, std::function<void(const TransferOutcome&)> done) {
  auto* src = host_of(from);
  auto* dst = host_of(to);
  sg4::Actor::create("watched-transfer", src, [src, dst, bytes, rate, poll, control, done] {
    const double start = sg4::Engine::get_clock();
    TransferOutcome out;
    if (!dst->is_on()) {
      out.why = "the destination host is down";
      done(out);
      return;
    }
    auto comm = sg4::Comm::sendto_init(src, dst);
    comm->set_payload_size(static_cast<std::uint64_t>(bytes));
    comm->start();
    const std::vector<sg4::ActivityPtr> waiting{comm};
    auto stopped = [&] {
      if (!control->cancelled && dst->is_on()) return false;
      out.why = control->cancelled ? "cancelled" : "the destination host is down";
      return true;
    };
    try {
      while (true) {
        // wait_any_for leaves the communication running when the time is up.
        if (sg4::Activity::wait_any_for(waiting, poll) == 0) {
          out.ok = true;
          break;
        }
        if (stopped()) {
          comm->cancel();
          break;
        }
      }
    } catch (const simgrid::NetworkFailureException&) {
      out.why = "network failure";
    }
    // A rate cap: SimGrid 3.32 does not apply Comm::set_rate to host-to-host
    // communications, so a capped transfer lasts at least bytes / rate (the network
    // model still decides when it is slower than that).
    const double at_least = rate > 0 ? bytes / rate : 0;
    while (out.ok && at_least - (sg4::Engine::get_clock() - start) > 1e-6) {  // (a tinier sleep would not move the clock)
      sg4::this_actor::sleep_for(std::min(poll, at_least - (sg4::Engine::get_clock() - start)));
      if (stopped()) out.ok = false;
    }
    out.seconds = sg4::Engine::get_clock() - start;
    done(out);
  });
}

}  // namespace kvsim::sim::engine
