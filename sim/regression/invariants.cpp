#include "sim/regression/invariants.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "models/apps.hpp"
#include "models/core.hpp"
#include "models/kubevirt.hpp"
#include "models/pod.hpp"
#include "models/storage.hpp"

namespace kvsim::sim::regression {

namespace {

bool condition_is(const std::vector<models::Condition>& conditions, std::string_view type, std::string_view status) {
  const auto* c = models::find_condition(conditions, type);
  return c && c->status == status;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

}  // namespace

std::vector<Finding> vms_with_several_vmis(const std::vector<ObjectPtr>& vmis) {
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> by_vm;  // (ns/vm name, uid) -> VMIs
  for (const auto& o : vmis) {
    for (const auto& ref : o->metadata.ownerReferences)
      if (ref.kind == "VirtualMachine" && ref.controller.value_or(false))
        by_vm[{o->metadata.namespace_ + "/" + ref.name, ref.uid}].push_back(o->metadata.name);
  }
  std::vector<Finding> out;
  for (const auto& [vm, names] : by_vm) {
    if (names.size() < 2) continue;
    const auto slash = vm.first.find('/');
    out.push_back({kOneVmiPerVm, "VirtualMachine", vm.first.substr(0, slash), vm.first.substr(slash + 1),
                   fmt::format("{} VMIs are controlled by it: {}", names.size(), join(names))});
  }
  return out;
}

std::vector<Finding> ready_pods_on_failed_nodes(const std::vector<ObjectPtr>& nodes, const std::vector<ObjectPtr>& pods) {
  std::map<std::string, std::string> failed;  // node -> its Ready status
  for (const auto& o : nodes) {
    const auto& node = static_cast<const models::Node&>(*o);
    const auto* ready = models::find_condition(node.status.conditions, "Ready");
    if (ready && ready->status != "True") failed[node.metadata.name] = ready->status;
  }
  std::vector<Finding> out;
  if (failed.empty()) return out;
  for (const auto& o : pods) {
    const auto& pod = static_cast<const models::Pod&>(*o);
    auto it = failed.find(pod.spec.nodeName);
    if (it == failed.end() || !condition_is(pod.status.conditions, "Ready", "True")) continue;
    out.push_back({kNoReadyPodOnFailedNode, "Pod", pod.metadata.namespace_, pod.metadata.name,
                   fmt::format("Ready=True on node {} whose Ready condition is {}", it->first, it->second)});
  }
  return out;
}

std::vector<Finding> rwo_volumes_on_several_nodes(const std::vector<ObjectPtr>& pvs,
                                                  const std::vector<ObjectPtr>& attachments) {
  std::map<std::string, std::set<std::string>> nodes_of;  // PV -> nodes it is attached to
  for (const auto& o : attachments) {
    const auto& va = static_cast<const models::VolumeAttachment&>(*o);
    if (va.status.attached && !va.spec.source.persistentVolumeName.empty())
      nodes_of[va.spec.source.persistentVolumeName].insert(va.spec.nodeName);
  }
  std::vector<Finding> out;
  for (const auto& o : pvs) {
    const auto& pv = static_cast<const models::PersistentVolume&>(*o);
    const auto& modes = pv.spec.accessModes;
    const bool single_node = std::find(modes.begin(), modes.end(), "ReadWriteMany") == modes.end() &&
                             std::find(modes.begin(), modes.end(), "ReadOnlyMany") == modes.end();
    auto it = nodes_of.find(pv.metadata.name);
    if (!single_node || it == nodes_of.end() || it->second.size() < 2) continue;
    out.push_back({kRwoOnOneNode, "PersistentVolume", "", pv.metadata.name,
                   fmt::format("access modes {} but attached to {} nodes: {}", join(modes), it->second.size(),
                               join({it->second.begin(), it->second.end()}))});
  }
  return out;
}

std::vector<Finding> dependents_without_owner(const std::vector<ObjectPtr>& objects,
                                              const std::unordered_set<std::string_view>& uids) {
  std::vector<Finding> out;
  for (const auto& o : objects) {
    if (o->metadata.being_deleted()) continue;  // GC (or the owner's finalizer) is on it
    for (const auto& ref : o->metadata.ownerReferences) {
      if (uids.contains(ref.uid)) continue;
      out.push_back({kOwnersExist, o->kind, o->metadata.namespace_, o->metadata.name,
                     fmt::format("its owner {} {} (uid {}) is gone and it is not being deleted", ref.kind, ref.name,
                                 ref.uid)});
      break;
    }
  }
  return out;
}

std::vector<Finding> replica_counts_diverging(const std::vector<ObjectPtr>& workloads) {
  std::vector<Finding> out;
  auto diverges = [&](const models::Object& o, std::int32_t desired, std::int32_t observed, std::string_view what) {
    if (desired == observed || o.metadata.being_deleted()) return;
    out.push_back({kReplicasConverge, o.kind, o.metadata.namespace_, o.metadata.name,
                   fmt::format("desires {} {}, observes {}", desired, what, observed)});
  };
  for (const auto& o : workloads) {
    if (const auto* rs = dynamic_cast<const models::ReplicaSet*>(o.get()))
      diverges(*rs, rs->spec.replicas.value_or(1), rs->status.replicas, "replicas");
    else if (const auto* vmirs = dynamic_cast<const models::VirtualMachineInstanceReplicaSet*>(o.get())) {
      if (!vmirs->spec.paused.value_or(false))
        diverges(*vmirs, vmirs->spec.replicas.value_or(1), vmirs->status.replicas, "replicas");
    } else if (const auto* ds = dynamic_cast<const models::DaemonSet*>(o.get()))
      diverges(*ds, ds->status.desiredNumberScheduled, ds->status.currentNumberScheduled, "scheduled pods");
  }
  return out;
}

double tolerance_of(const std::string& invariant) {
  // A second VMI or a second RWO attachment is wrong at once; the node
  // lifecycle controller marks pods not ready in the same pass that marks the
  // node; GC and the replica controllers catch up within their watch latency
  // and requeues, which a minute covers with room to spare.
  if (invariant == kOneVmiPerVm || invariant == kRwoOnOneNode) return 0;
  if (invariant == kNoReadyPodOnFailedNode) return 1;
  if (invariant == kOwnersExist) return 30;
  return 120;
}

std::vector<Violation> InvariantTracker::observe(double now, const std::vector<Finding>& findings) {
  std::vector<Violation> out;
  std::map<std::string, double> still;
  for (const auto& f : findings) {
    const auto key = f.key();
    auto it = since_.find(key);
    const double since = it == since_.end() ? now : it->second;
    still[key] = since;
    if (now - since + 1e-9 >= tolerance_of(f.invariant) && !reported_.contains(key)) {
      reported_.insert(key);
      out.push_back({since, now, f});
    }
  }
  // A finding that went away ends its episode: it is reported again if it returns.
  for (auto it = reported_.begin(); it != reported_.end();) it = still.contains(*it) ? std::next(it) : reported_.erase(it);
  since_ = std::move(still);
  return out;
}

}  // namespace kvsim::sim::regression
