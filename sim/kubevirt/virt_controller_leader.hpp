#pragma once
// virt-controller's leader election (client-go leaderelection, as
// virt-controller runs it: lease 15 s, renew deadline 10 s, retry 2 s). Only
// the holder reconciles: the VM, VMI and node controllers act only while a
// virt-controller pod holds the lease. A holder is a virt-controller pod that
// is Running and Ready, not terminating, on a host that is up; it renews the
// lease every retry period. When it stops (pod deleted, node down) the lease
// is not released: a standby takes it on its first retry after the lease
// duration has passed since the last renewal. The lease lives in memory
// here (no coordination.k8s.io Lease object); taking it is recorded as the
// Event client-go emits ("<pod> became leader"). At t = 0 the store's bootstrap
// recreates the control-plane pods of a cluster that was already running, so
// virt-controller is taken as leading until they run.
#include <limits>
#include <functional>
#include <string>
#include <vector>

#include "models/pod.hpp"
#include "sim/controllers/component.hpp"

namespace kvsim::sim::kubevirt {

class VirtControllerLeader : public controllers::Component {
 public:
  VirtControllerLeader(controllers::Context& ctx, std::string host);
  void start() override;
  // True while the holder's process runs (read live: a holder whose pod was just deleted
  // or whose host just went down stops at once, before the lease poll notices).
  bool leading() const;
  const std::string& holder() const { return holder_; }
  // Runs when a pod takes the lease: the new leader's informers list everything.
  void on_acquired(std::function<void()> fn) { acquired_.push_back(std::move(fn)); }

 private:
  void reconcile(const std::string& key) override;
  bool alive(const models::Pod& pod) const;

  std::string holder_;    // pod name; empty: nobody leads
  // The cluster starts with OpenShift Virtualization installed: until the bootstrap's
  // virt-controller pods first run (or one is deleted), the leader is taken as running.
  bool installed_ = true;
  double renewed_ = -std::numeric_limits<double>::infinity();  // when the lease was last renewed (never held)
  std::vector<std::function<void()>> acquired_;
  bool watching_ = false;
};

}  // namespace kvsim::sim::kubevirt
