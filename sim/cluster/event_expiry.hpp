#pragma once
// kube-apiserver's Event TTL (--event-ttl) on a clock. The store knows when each Event is due to
// go but has no clock of its own; this component rings its alarm on a reactor of the control
// plane, at the time the store asks.
#include "sim/controllers/component.hpp"

namespace kvsim::sim::cluster {

class EventExpiry : public controllers::Component {
 public:
  EventExpiry(controllers::Context& ctx, std::string host, double ttl);
};

}  // namespace kvsim::sim::cluster
