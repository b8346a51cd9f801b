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
    if (rate > 0) comm->set_rate(rate);
    comm->start();
    const std::vector<sg4::ActivityPtr> waiting{comm};
    try {
      while (true) {
        // wait_any_for leaves the communication running when the time is up.
        if (sg4::Activity::wait_any_for(waiting, poll) == 0) {
          out.ok = true;
          break;
        }
        if (control->cancelled || !dst->is_on()) {
          out.why = control->cancelled ? "cancelled" : "the destination host is down";
          comm->cancel();
          break;
        }
      }
    } catch (const simgrid::NetworkFailureException&) {
      out.why = "network failure";
    }
    out.seconds = sg4::Engine::get_clock() - start;
    done(out);
  });
}

}  // namespace kvsim::sim::engine
