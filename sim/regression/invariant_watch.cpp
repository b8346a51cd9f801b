#include "sim/regression/invariant_watch.hpp"

#include <fmt/format.h>

#include "models/apps.hpp"
#include "models/core.hpp"
#include "models/kubevirt.hpp"
#include "models/pod.hpp"
#include "models/registry.hpp"
#include "models/storage.hpp"

namespace kvsim::sim::regression {

InvariantWatch::InvariantWatch(cluster::Cluster& cluster) : cluster_(cluster) {
  listener_ = cluster_.store().add_change_listener([this](const api::WatchEvent&) {
    // One evaluation per sim instant at which something changed: the step.
    if (cluster_.now() > last_checked_ + 1e-9) check_now();
  });
}

InvariantWatch::~InvariantWatch() { cluster_.store().remove_change_listener(listener_); }

void InvariantWatch::check_now() {
  if (checking_) return;  // recording a violation must not re-enter
  checking_ = true;
  auto& store = cluster_.store();
  last_checked_ = cluster_.now();
  std::vector<Finding> findings;
  auto add = [&](std::vector<Finding> more) { findings.insert(findings.end(), more.begin(), more.end()); };
  add(vms_with_several_vmis(store.list(models::VirtualMachineInstance::kind_info())));
  add(ready_pods_on_failed_nodes(store.list(models::Node::kind_info()), store.list(models::Pod::kind_info())));
  add(rwo_volumes_on_several_nodes(store.list(models::PersistentVolume::kind_info()),
                                   store.list(models::VolumeAttachment::kind_info())));
  std::vector<ObjectPtr> all, workloads;
  std::set<std::string> uids;
  for (const auto* kind : models::all_kinds()) {
    for (auto& o : store.list(*kind)) {
      uids.insert(o->metadata.uid);
      if (kind->kind == "ReplicaSet" || kind->kind == "VirtualMachineInstanceReplicaSet" || kind->kind == "DaemonSet")
        workloads.push_back(o);
      all.push_back(std::move(o));
    }
  }
  add(dependents_without_owner(all, uids));
  add(replica_counts_diverging(workloads));
  for (auto& v : tracker_.observe(cluster_.now(), findings)) {
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
