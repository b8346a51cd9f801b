#include "sim/regression/invariant_index.hpp"

#include <unordered_set>

#include "models/core.hpp"
#include "models/pod.hpp"
#include "models/registry.hpp"

namespace kvsim::sim::regression {

namespace {

bool is_workload(std::string_view kind) {
  return kind == "ReplicaSet" || kind == "VirtualMachineInstanceReplicaSet" || kind == "DaemonSet";
}

}  // namespace

InvariantIndex::InvariantIndex(const api::Store& store) : store_(store) {
  std::size_t i = 0;
  for (const auto* kind : models::all_kinds()) kind_order_.emplace(kind->kind, i++);
  for (const auto* kind : models::all_kinds())
    for (const auto& o : store_.list(*kind)) add(o);
}

InvariantIndex::Ref InvariantIndex::ref_of(const models::Object& o) const {
  auto it = kind_order_.find(o.info().kind);
  return {it == kind_order_.end() ? kind_order_.size() : it->second, o.metadata.namespace_, o.metadata.name};
}

void InvariantIndex::observe(const api::WatchEvent& e) {
  if (e.type != api::EventType::Added) remove(e.type == api::EventType::Modified && e.old ? *e.old : *e.object);
  if (e.type != api::EventType::Deleted) add(e.object);
  // An owner gone makes orphans of its dependents (they stay indexed under its uid).
  if (e.type == api::EventType::Deleted)
    for (const auto& d : store_.owned_by(e.object->metadata.uid)) judge_owners(d);
}

void InvariantIndex::remove(const models::Object& o) {
  const auto kind = o.info().kind;
  const auto& ns = o.metadata.namespace_;
  const auto& name = o.metadata.name;
  if (kind == "VirtualMachineInstance")
    for (const auto& ref : o.metadata.ownerReferences)
      if (ref.kind == "VirtualMachine" && ref.controller.value_or(false)) {
        auto it = vmis_by_vm_.find({ns + "/" + ref.name, ref.uid});
        if (it == vmis_by_vm_.end()) continue;
        it->second.erase(name);
        if (it->second.empty()) vmis_by_vm_.erase(it);
      }
  if (kind == "Node") unready_nodes_.erase(name);
  if (kind == "Pod") {
    const auto& pod = static_cast<const models::Pod&>(o);
    if (auto it = ready_pods_.find(pod.spec.nodeName); it != ready_pods_.end()) {
      it->second.erase({ns, name});
      if (it->second.empty()) ready_pods_.erase(it);
    }
  }
  if (kind == "PersistentVolume") pvs_.erase(name);
  if (kind == "VolumeAttachment") attachments_.erase(name);
  orphans_.erase(ref_of(o));
  diverging_.erase(ref_of(o));
}

void InvariantIndex::add(const ObjectPtr& o) {
  const auto kind = o->info().kind;
  const auto& ns = o->metadata.namespace_;
  const auto& name = o->metadata.name;
  if (kind == "VirtualMachineInstance")
    for (const auto& ref : o->metadata.ownerReferences)
      if (ref.kind == "VirtualMachine" && ref.controller.value_or(false))
        vmis_by_vm_[{ns + "/" + ref.name, ref.uid}][name] = o;
  if (kind == "Node") {
    const auto* ready = models::find_condition(static_cast<const models::Node&>(*o).status.conditions, "Ready");
    if (ready && ready->status != "True") unready_nodes_[name] = o;
  }
  if (kind == "Pod") {
    const auto& pod = static_cast<const models::Pod&>(*o);
    const auto* ready = models::find_condition(pod.status.conditions, "Ready");
    if (ready && ready->status == "True") ready_pods_[pod.spec.nodeName][{ns, name}] = o;
  }
  if (kind == "PersistentVolume") pvs_[name] = o;
  if (kind == "VolumeAttachment") attachments_[name] = o;
  judge_owners(o);
  // A new object's uid is fresh: nothing can be waiting for it as its owner.
  if (is_workload(kind))
    if (auto f = replica_counts_diverging({o}); !f.empty()) diverging_[ref_of(*o)] = f.front();
}

void InvariantIndex::judge_owners(const ObjectPtr& o) {
  std::unordered_set<std::string_view> present;
  for (const auto& ref : o->metadata.ownerReferences)
    if (store_.by_uid(ref.uid)) present.insert(ref.uid);
  if (auto f = dependents_without_owner({o}, present); !f.empty()) orphans_[ref_of(*o)] = f.front();
  else orphans_.erase(ref_of(*o));
}

std::vector<Finding> InvariantIndex::findings() const {
  std::vector<Finding> out;
  auto append = [&](std::vector<Finding> more) { out.insert(out.end(), more.begin(), more.end()); };
  for (const auto& [vm, vmis] : vmis_by_vm_) {
    if (vmis.size() < 2) continue;
    std::vector<ObjectPtr> several;
    for (const auto& [name, vmi] : vmis) several.push_back(vmi);
    append(vms_with_several_vmis(several));
  }
  std::vector<ObjectPtr> nodes, pods;
  std::map<std::pair<std::string, std::string>, ObjectPtr> on_unready;  // pods listed by namespace/name
  for (const auto& [name, node] : unready_nodes_) {
    nodes.push_back(node);
    if (auto it = ready_pods_.find(name); it != ready_pods_.end()) on_unready.insert(it->second.begin(), it->second.end());
  }
  for (const auto& [key, pod] : on_unready) pods.push_back(pod);
  append(ready_pods_on_failed_nodes(nodes, pods));
  std::vector<ObjectPtr> pvs, attachments;
  for (const auto& [name, pv] : pvs_) pvs.push_back(pv);
  for (const auto& [name, va] : attachments_) attachments.push_back(va);
  append(rwo_volumes_on_several_nodes(pvs, attachments));
  for (const auto& [ref, f] : orphans_) out.push_back(f);
  for (const auto& [ref, f] : diverging_) out.push_back(f);
  return out;
}

}  // namespace kvsim::sim::regression
