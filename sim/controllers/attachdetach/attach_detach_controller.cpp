#include "sim/controllers/attachdetach/attach_detach_controller.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "sim/controllers/attachdetach/attachment_name.hpp"
#include "sim/controllers/attachdetach/plan.hpp"

namespace kvsim::sim::controllers::attachdetach {

using models::PersistentVolume;
using models::PersistentVolumeClaim;
using models::Pod;
using models::VolumeAttachment;

namespace {

std::string driver_of(const PersistentVolume& pv) {
  return pv.spec.csi.is_object() ? pv.spec.csi.value("driver", "") : std::string();
}

bool holds_volumes(const Pod& pod) {
  return !pod.spec.nodeName.empty() && pod.status.phase != "Succeeded" && pod.status.phase != "Failed";
}

}  // namespace

AttachDetachController::AttachDetachController(Context& ctx, std::string host)
    : Component(ctx, "attachdetach-controller", std::move(host)) {}

void AttachDetachController::start() {
  Component::start();
  if (watching_) return;
  watching_ = true;
  for (const auto& o : ctx_.store.list(Pod::kind_info())) on_pod({api::EventType::Added, o, nullptr});
  for (const auto& o : ctx_.store.list(VolumeAttachment::kind_info())) {
    const auto& va = static_cast<const VolumeAttachment&>(*o);
    pv_nodes_[va.spec.source.persistentVolumeName].insert(va.spec.nodeName);
    enqueue(va.spec.source.persistentVolumeName);
  }
  watch({&Pod::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) { on_pod(e); });
  // A claim that binds tells which PV its pods need.
  watch({&PersistentVolumeClaim::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) {
    const auto& pvc = static_cast<const PersistentVolumeClaim&>(*e.object);
    if (!pvc.spec.volumeName.empty()) enqueue(pvc.spec.volumeName);
  });
  watch({&VolumeAttachment::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) {
    const auto& va = static_cast<const VolumeAttachment&>(*e.object);
    const auto& pv = va.spec.source.persistentVolumeName;
    if (e.type == api::EventType::Deleted) {
      auto it = pv_nodes_.find(pv);
      if (it != pv_nodes_.end() && it->second.erase(va.spec.nodeName) && it->second.empty()) pv_nodes_.erase(it);
    } else {
      pv_nodes_[pv].insert(va.spec.nodeName);
    }
    enqueue(pv);
  });
}

void AttachDetachController::on_pod(const api::WatchEvent& e) {
  const auto& pod = static_cast<const Pod&>(*e.object);
  const auto key = key_of(pod);
  for (const auto& v : pod.spec.volumes) {
    if (!v.persistentVolumeClaim) continue;
    const auto claim = pod.metadata.namespace_ + "/" + v.persistentVolumeClaim->claimName;
    if (e.type == api::EventType::Deleted) {
      auto it = claim_pods_.find(claim);
      if (it != claim_pods_.end() && it->second.erase(key) && it->second.empty()) claim_pods_.erase(it);
    } else {
      claim_pods_[claim].insert(key);
    }
    enqueue_claim_volume(pod.metadata.namespace_, v.persistentVolumeClaim->claimName);
  }
}

void AttachDetachController::enqueue_claim_volume(const std::string& ns, const std::string& claim) {
  if (auto pvc = ctx_.store.get<PersistentVolumeClaim>(ns, claim); pvc && !pvc->spec.volumeName.empty())
    enqueue(pvc->spec.volumeName);
}

void AttachDetachController::reconcile(const std::string& pv_name) {
  auto pv = ctx_.store.get<PersistentVolume>("", pv_name);
  AttachView view;
  std::vector<models::ObjectPtr> keep;
  std::map<std::string, std::pair<double, std::vector<const Pod*>>> by_node;  // node -> (earliest pod, pods)
  if (pv && attachable(*pv) && pv->spec.claimRef) {
    const auto& ref = *pv->spec.claimRef;
    auto pvc = ctx_.store.get<PersistentVolumeClaim>(ref.namespace_, ref.name);
    auto it = claim_pods_.find(ref.namespace_ + "/" + ref.name);
    if (pvc && pvc->spec.volumeName == pv_name && it != claim_pods_.end())
      for (const auto& pod_key : it->second) {
        const auto [ns, name] = split_key(pod_key);
        auto pod = ctx_.store.get<Pod>(ns, name);
        if (!pod || !holds_volumes(*pod)) continue;
        keep.push_back(pod);
        auto& [first, pods] = by_node[pod->spec.nodeName];
        const double created = pod->metadata.creationTimestamp.value_or(models::Timestamp{0}).seconds;
        if (pods.empty() || created < first) first = created;
        pods.push_back(pod.get());
      }
  }
  for (auto& [node, entry] : by_node) view.wanted.emplace_back(node, entry.second);
  std::stable_sort(view.wanted.begin(), view.wanted.end(), [&](const auto& a, const auto& b) {
    return by_node[a.first].first < by_node[b.first].first;
  });
  // The attachments there are, looked up by their (deterministic) names.
  std::set<std::string> nodes;
  if (auto it = pv_nodes_.find(pv_name); it != pv_nodes_.end()) nodes = it->second;
  for (const auto& [node, pods] : view.wanted) nodes.insert(node);
  const std::string driver = pv ? driver_of(*pv) : std::string();
  std::map<std::string, std::string> va_names;  // node -> VolumeAttachment
  for (const auto& node : nodes) {
    const auto name = attachment_name(pv_name, driver, node);
    if (ctx_.store.get(VolumeAttachment::kind_info(), "", name)) {
      view.attached.push_back(node);
      va_names[node] = name;
    }
  }
  if (!pv) {
    // The PV is gone: nothing may stay attached.
    for (const auto& [node, name] : va_names) detach(pv_name, name);
    return;
  }
  view.pv = pv.get();
  const AttachPlan plan = plan_attachments(view);
  for (const auto& node : plan.detach) detach(pv_name, va_names[node]);
  for (const auto& node : plan.attach) attach(*pv, node);
  for (const auto& refused : plan.refused) {
    const auto key = pv_name + "|" + refused.node + "|" + refused.pod->metadata.uid;
    if (!reported_.insert(key).second) continue;
    event(*refused.pod, "Warning", "FailedAttachVolume", refused.message);
  }
}

void AttachDetachController::attach(const PersistentVolume& pv, const std::string& node) {
  auto va = std::make_shared<VolumeAttachment>();
  va->apiVersion = "storage.k8s.io/v1";
  va->kind = "VolumeAttachment";
  va->spec.attacher = driver_of(pv);
  va->spec.nodeName = node;
  va->spec.source.persistentVolumeName = pv.metadata.name;
  va->metadata.name = attachment_name(pv.metadata.name, va->spec.attacher, node);
  const auto name = va->metadata.name;
  auto r = ctx_.store.create(va, cause("created", fmt::format("pods on {} use {}", node, pv.metadata.name)));
  if (!r.ok()) return;  // already asked for
  reactor_.post(ctx_.profile.volume_attach, [this, name, uid = r.object->metadata.uid] {
    auto current = ctx_.store.get<VolumeAttachment>("", name);
    if (!current || current->metadata.uid != uid || current->status.attached) return;
    auto next = std::static_pointer_cast<VolumeAttachment>(current->clone());
    next->status.attached = true;
    ctx_.store.update(next, cause("attached", "CSI ControllerPublishVolume done on " + current->spec.nodeName));
    // The pods waiting for it hear that the attach succeeded.
    const auto& pv_name = current->spec.source.persistentVolumeName;
    auto volume = ctx_.store.get<PersistentVolume>("", pv_name);
    if (!volume || !volume->spec.claimRef) return;
    auto it = claim_pods_.find(volume->spec.claimRef->namespace_ + "/" + volume->spec.claimRef->name);
    if (it == claim_pods_.end()) return;
    for (const auto& pod_key : it->second) {
      const auto [ns, pod_name] = split_key(pod_key);
      auto pod = ctx_.store.get<Pod>(ns, pod_name);
      if (pod && pod->spec.nodeName == current->spec.nodeName && holds_volumes(*pod))
        event(*pod, "Normal", "SuccessfulAttachVolume",
              fmt::format("AttachVolume.Attach succeeded for volume \"{}\"", pv_name));
    }
  });
}

void AttachDetachController::detach(const std::string& pv_name, const std::string& va_name) {
  if (va_name.empty() || !detaching_.insert(va_name).second) return;
  reactor_.post(ctx_.profile.volume_detach, [this, pv_name, va_name] {
    detaching_.erase(va_name);
    // Still unwanted? A pod may have come back to that node meanwhile.
    auto va = ctx_.store.get<VolumeAttachment>("", va_name);
    if (!va) return;
    auto pv = ctx_.store.get<PersistentVolume>("", pv_name);
    bool wanted = false;
    if (pv && pv->spec.claimRef) {
      auto it = claim_pods_.find(pv->spec.claimRef->namespace_ + "/" + pv->spec.claimRef->name);
      if (it != claim_pods_.end())
        for (const auto& pod_key : it->second) {
          const auto [ns, name] = split_key(pod_key);
          auto pod = ctx_.store.get<Pod>(ns, name);
          if (pod && pod->spec.nodeName == va->spec.nodeName && holds_volumes(*pod)) wanted = true;
        }
    }
    if (wanted) return;
    ctx_.store.remove(VolumeAttachment::kind_info(), "", va_name,
                      cause("deleted", fmt::format("detached {} from {}: no pod there uses it", pv_name, va->spec.nodeName)));
  });
}

}  // namespace kvsim::sim::controllers::attachdetach
