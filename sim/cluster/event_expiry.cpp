#include "sim/cluster/event_expiry.hpp"

namespace kvsim::sim::cluster {

EventExpiry::EventExpiry(controllers::Context& ctx, std::string host, double ttl)
    : Component(ctx, "kube-apiserver", std::move(host)) {
  ctx.store.set_event_ttl(ttl, [this](double delay) { reactor().post(delay, [this] { ctx_.store.expire_events(); }); });
}

}  // namespace kvsim::sim::cluster
