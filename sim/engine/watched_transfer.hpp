#pragma once
// A host-to-host transfer over SimGrid's network model that can be cancelled and
// that notices its destination dying: the source host's activity waiter looks
// every `poll` seconds whether it was cancelled or the destination host went down
// (a live migration's connection dropping). Concurrent transfers share the links,
// so their times stretch as the network model says.
#include <functional>
#include <memory>
#include <string>

namespace kvsim::sim::engine {

struct TransferOutcome {
  bool ok = false;
  double seconds = 0;  // from start to the end or the failure
  std::string why;     // on failure: cancelled, destination down, network failure
};

struct TransferControl {
  bool cancelled = false;  // set by the owner; the transfer stops at its next look
};

// `rate`: bytes per second at most (0: as fast as the path allows). `done` runs in
// the source host's activity waiter: post to a reactor from it. Nothing is
// reported if the source host dies with its waiter.
void watched_transfer(const std::string& from, const std::string& to, double bytes, double rate, double poll,
                      std::shared_ptr<TransferControl> control, std::function<void(const TransferOutcome&)> done);

}  // namespace kvsim::sim::engine
