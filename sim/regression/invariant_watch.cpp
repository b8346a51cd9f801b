#include "sim/regression/invariant_watch.hpp"

#include <fmt/format.h>

#include <map>
#include <string_view>
#include <unordered_set>

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
  // Every object once (the checks run at every sim instant at which anything changed).
  std::map<std::string_view, std::vector<ObjectPtr>> by_kind;
  std::vector<ObjectPtr> all, workloads;
  for (const auto* kind : models::all_kinds()) {
    auto objects = store.list(*kind);
    if (kind->kind == "ReplicaSet" || kind->kind == "VirtualMachineInstanceReplicaSet" || kind->kind == "DaemonSet")
      workloads.insert(workloads.end(), objects.begin(), objects.end());
    all.insert(all.end(), objects.begin(), objects.end());
    by_kind[kind->kind] = std::move(objects);
  }
  // Views of the uids of `all`, which holds the objects until the end of this check.
  std::unordered_set<std::string_view> uids;
  uids.reserve(all.size());
  for (const auto& o : all) uids.insert(o->metadata.uid);
  auto of_kind = [&](const models::KindInfo& kind) -> const std::vector<ObjectPtr>& { return by_kind[kind.kind]; };
  std::vector<Finding> findings;
  auto add = [&](std::vector<Finding> more) { findings.insert(findings.end(), more.begin(), more.end()); };
  add(vms_with_several_vmis(of_kind(models::VirtualMachineInstance::kind_info())));
  add(ready_pods_on_failed_nodes(of_kind(models::Node::kind_info()), of_kind(models::Pod::kind_info())));
  add(rwo_volumes_on_several_nodes(of_kind(models::PersistentVolume::kind_info()),
                                   of_kind(models::VolumeAttachment::kind_info())));
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
