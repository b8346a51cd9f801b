#include "sim/engine/watched_transfer.hpp"

#include <simgrid/s4u.hpp>

#include "sim/engine/host_activities.hpp"
#include "sim/engine/platform.hpp"

namespace kvsim::sim::engine {

namespace sg4 = simgrid::s4u;

namespace {

// One transfer in flight: its looks run in the source host's waiter, every `poll` seconds.
struct Watch {
  sg4::Host* src;
  sg4::Host* dst;
  double bytes, rate, poll, start;
  std::shared_ptr<TransferControl> control;
  std::function<void(const TransferOutcome&)> done;
  sg4::CommPtr comm = nullptr;
  bool finished = false;  // the outcome was reported; later looks do nothing
  TransferOutcome out;

  bool stopped() {
    if (!control->cancelled && dst->is_on()) return false;
    out.why = control->cancelled ? "cancelled" : "the destination host is down";
    return true;
  }
  void report() {
    finished = true;
    out.seconds = sg4::Engine::get_clock() - start;
    done(out);
  }
};

void look(const std::shared_ptr<Watch>& w);

// A rate cap: SimGrid 3.32 does not apply Comm::set_rate to host-to-host communications, so a
// capped transfer lasts at least bytes / rate (the network model still decides when it is
// slower than that). The rest is waited out in looks of at most `poll`.
void wait_out_rate_cap(const std::shared_ptr<Watch>& w) {
  const double at_least = w->rate > 0 ? w->bytes / w->rate : 0;
  const double left = at_least - (sg4::Engine::get_clock() - w->start);
  if (!w->out.ok || left <= 1e-6) {  // (a tinier wait would not move the clock)
    w->report();
    return;
  }
  after(w->src, std::min(w->poll, left), [w] {
    if (!w->src->is_on()) return;  // the source died: nothing is reported
    if (w->stopped()) w->out.ok = false;
    wait_out_rate_cap(w);
  });
}

// Every `poll` seconds while the data moves: cancelled, or the destination gone?
void look(const std::shared_ptr<Watch>& w) {
  after(w->src, w->poll, [w] {
    if (w->finished || w->comm == nullptr || !w->src->is_on()) return;
    if (!w->stopped()) {
      look(w);
      return;
    }
    w->comm->cancel();
    w->comm = nullptr;
    w->report();
  });
}

}  // namespace

void watched_transfer(const std::string& from, const std::string& to, double bytes, double rate, double poll,
                      std::shared_ptr<TransferControl> control, std::function<void(const TransferOutcome&)> done) {
  auto w = std::make_shared<Watch>(Watch{host_of(from), host_of(to), bytes, rate, poll, sg4::Engine::get_clock(),
                                         std::move(control), std::move(done), nullptr, false, {}});
  if (!w->dst->is_on()) {
    after(w->src, 0, [w] {
      if (!w->src->is_on()) return;
      w->out.why = "the destination host is down";
      w->report();
    });
    return;
  }
  w->comm = sg4::Comm::sendto_init(w->src, w->dst)->set_payload_size(static_cast<std::uint64_t>(bytes));
  w->comm->start();
  when_done(w->src, w->comm, [w](ActivityEnd end) {
    if (w->comm == nullptr) return;  // cancelled by a look
    w->comm = nullptr;
    if (!w->src->is_on()) return;  // the source died: nothing is reported
    if (end == ActivityEnd::completed) w->out.ok = true;
    else w->out.why = "network failure";
    wait_out_rate_cap(w);
  });
  look(w);
}

}  // namespace kvsim::sim::engine
