#include "sim/regression/invariant_watch.hpp"

#include <fmt/format.h>

namespace kvsim::sim::regression {

InvariantWatch::InvariantWatch(cluster::Cluster& cluster) : cluster_(cluster), index_(cluster.store()) {
  listener_ = cluster_.store().add_change_listener([this](const api::WatchEvent& e) {
    index_.observe(e);
    // One evaluation per sim instant at which something changed: the step.
    if (cluster_.now() > last_checked_ + 1e-9) check_now();
  });
}

InvariantWatch::~InvariantWatch() { cluster_.store().remove_change_listener(listener_); }

void InvariantWatch::check_now() {
  if (checking_) return;  // recording a violation must not re-enter
  checking_ = true;
  last_checked_ = cluster_.now();
  // The index follows every change: a step costs its findings, not a read of every object.
  for (auto& v : tracker_.observe(cluster_.now(), index_.findings())) {
    const auto& f = v.finding;
    cluster_.trace().record({cluster_.now(), "invariant-checker", f.kind, f.ns, f.name, "",
                             std::string("invariant violated: ") + f.invariant,
                             fmt::format("{} (since {:.3f}s)", f.detail, v.since)});
    violations_.push_back(std::move(v));
  }
  checking_ = false;
}

std::string describe(const Violation& v) {
  const auto& f = v.finding;
  const std::string object = f.ns.empty() ? f.kind + " " + f.name : f.kind + " " + f.ns + "/" + f.name;
  return fmt::format("{:>9.3f}s  {}: {}: {} (since {:.3f}s)", v.reported, f.invariant, object, f.detail, v.since);
}

}  // namespace kvsim::sim::regression
