#include "sim/controllers/attachdetach/plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace kvsim::sim::controllers::attachdetach {

bool attachable(const models::PersistentVolume& pv) { return pv.spec.csi.is_object(); }

bool multi_attach_allowed(const models::PersistentVolume& pv) {
  const auto& modes = pv.spec.accessModes;
  return std::find(modes.begin(), modes.end(), "ReadWriteMany") != modes.end() ||
         std::find(modes.begin(), modes.end(), "ReadOnlyMany") != modes.end();
}

namespace {

// reportMultiAttachError's wording for one waiting pod: the pods holding the
// volume elsewhere, named when they are in the pod's namespace, counted otherwise.
std::string multi_attach_message(const std::string& volume, const models::Pod& pod,
                                 const std::vector<const models::Pod*>& holders) {
  const std::string prefix = fmt::format("Multi-Attach error for volume \"{}\"", volume);
  if (holders.empty())
    return prefix + " Volume is already exclusively attached to one node and can't be attached to another";
  std::vector<std::string> local;
  int elsewhere = 0;
  for (const auto* h : holders) {
    if (h->metadata.namespace_ == pod.metadata.namespace_) local.push_back(h->metadata.name);
    else ++elsewhere;
  }
  if (local.empty()) return fmt::format("{} Volume is already used by {} pod(s) in different namespaces", prefix, elsewhere);
  std::string names;
  for (const auto& n : local) names += (names.empty() ? "" : ", ") + n;
  auto msg = fmt::format("{} Volume is already used by pod(s) {}", prefix, names);
  if (elsewhere > 0) msg += fmt::format(" and {} pod(s) in different namespaces", elsewhere);
  return msg;
}

}  // namespace

AttachPlan plan_attachments(const AttachView& v) {
  AttachPlan plan;
  std::set<std::string> wanted;
  for (const auto& [node, pods] : v.wanted) wanted.insert(node);
  for (const auto& node : v.attached)
    if (!wanted.contains(node)) plan.detach.push_back(node);
  const bool shared = multi_attach_allowed(*v.pv);
  // A detaching attachment still holds the volume until it is gone.
  std::vector<std::string> busy = v.attached;
  for (const auto& [node, pods] : v.wanted) {
    if (std::find(v.attached.begin(), v.attached.end(), node) != v.attached.end()) continue;
    // `&node = node`: clang 14 cannot capture a structured binding.
    const bool taken = std::any_of(busy.begin(), busy.end(), [&node = node](const std::string& n) { return n != node; });
    if (shared || !taken) {
      plan.attach.push_back(node);
      busy.push_back(node);
      continue;
    }
    std::vector<const models::Pod*> holders;
    for (const auto& [other, others] : v.wanted)
      if (other != node && std::find(busy.begin(), busy.end(), other) != busy.end())
        holders.insert(holders.end(), others.begin(), others.end());
    for (const auto* pod : pods)
      plan.refused.push_back({node, pod, multi_attach_message(v.pv->metadata.name, *pod, holders)});
  }
  return plan;
}

}  // namespace kvsim::sim::controllers::attachdetach
