#pragma once
// Checks the invariants on every step of a run: at each sim time at which the
// store changes, and when asked (end of a run). Each violation becomes a trace
// record of component "invariant-checker" and stays listed for the caller.
#include <limits>
#include <vector>

#include "sim/cluster/cluster.hpp"
#include "sim/regression/invariant_index.hpp"
#include "sim/regression/invariants.hpp"

namespace kvsim::sim::regression {

class InvariantWatch {
 public:
  explicit InvariantWatch(cluster::Cluster& cluster);
  ~InvariantWatch();
  InvariantWatch(const InvariantWatch&) = delete;
  InvariantWatch& operator=(const InvariantWatch&) = delete;

  // Evaluates every invariant on the store as it is now.
  void check_now();
  const std::vector<Violation>& violations() const { return violations_; }

 private:
  cluster::Cluster& cluster_;
  InvariantIndex index_;
  InvariantTracker tracker_;
  std::vector<Violation> violations_;
  int listener_ = -1;
  double last_checked_ = -std::numeric_limits<double>::infinity();
  bool checking_ = false;
};

// "  12.500s  at most one VMI per VM: VirtualMachine default/vm1: 2 VMIs ... (since 12.400s)"
std::string describe(const Violation& v);

}  // namespace kvsim::sim::regression
