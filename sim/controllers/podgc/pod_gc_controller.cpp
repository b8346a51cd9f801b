#include "sim/controllers/podgc/pod_gc_controller.hpp"

#include <fmt/format.h>

#include "sim/engine/clock.hpp"

namespace kvsim::sim::controllers::podgc {

using models::Node;
using models::Pod;

void OrphanQuarantine::add(const std::string& node, double now, double quarantine) {
  ready_at.try_emplace(node, now + quarantine);
}

std::vector<std::string> OrphanQuarantine::take_ready(double now) {
  std::vector<std::string> out;
  for (auto it = ready_at.begin(); it != ready_at.end();) {
    if (it->second <= now + 1e-9) {
      out.push_back(it->first);
      it = ready_at.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

namespace {

bool terminated(const Pod& p) { return p.status.phase == "Succeeded" || p.status.phase == "Failed"; }

double created(const Pod& p) { return p.metadata.creationTimestamp ? p.metadata.creationTimestamp->seconds : 0; }

bool node_ready(const Node& n) {
  const auto* c = models::find_condition(n.status.conditions, "Ready");
  return c && c->status == "True";
}

}  // namespace

PodGarbageCollector::PodGarbageCollector(Context& ctx, std::string host)
    : Component(ctx, "pod-garbage-collector", std::move(host)) {}

void PodGarbageCollector::start() {
  Component::start();
  if (watching_) return;
  watching_ = true;
  for (const auto& o : ctx_.store.list(Pod::kind_info())) observe({api::EventType::Added, o, nullptr});
  watch({&Pod::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) { observe(e); });
  gc();
}

void PodGarbageCollector::observe(const api::WatchEvent& e) {
  const auto* pod = static_cast<const Pod*>(e.object.get());
  const auto* old = e.type == api::EventType::Added ? nullptr
                    : e.type == api::EventType::Deleted ? pod
                                                        : static_cast<const Pod*>(e.old.get());
  const auto* now_pod = e.type == api::EventType::Deleted ? nullptr : pod;
  if (old && !old->spec.nodeName.empty())
    if (auto it = pods_per_node_.find(old->spec.nodeName); it != pods_per_node_.end() && --it->second <= 0)
      pods_per_node_.erase(it);
  if (now_pod && !now_pod->spec.nodeName.empty()) ++pods_per_node_[now_pod->spec.nodeName];
  const auto key = key_of(*pod);
  unscheduled_terminating_.erase(key);
  if (auto it = terminated_created_.find(key); it != terminated_created_.end()) {
    terminated_.erase({it->second, key});
    terminated_created_.erase(it);
  }
  if (!now_pod) return;
  if (now_pod->metadata.being_deleted() && now_pod->spec.nodeName.empty()) unscheduled_terminating_.insert(key);
  if (terminated(*now_pod)) {
    terminated_.insert({created(*now_pod), key});
    terminated_created_[key] = created(*now_pod);
  }
}

void PodGarbageCollector::gc() {
  gc_terminated();
  gc_terminating_out_of_service();
  gc_orphaned();
  gc_unscheduled_terminating();
  reactor_.post(ctx_.profile.podgc_period, [this] { gc(); });
}

void PodGarbageCollector::mark_failed_and_delete(const Pod& pod, const std::optional<models::Condition>& condition,
                                                 const std::string& why) {
  const auto ns = pod.metadata.namespace_;
  const auto name = pod.metadata.name;
  // Failed first: an orphaned pod would otherwise stay Running forever, with no kubelet to say otherwise.
  if (!terminated(pod)) {
    auto next = std::static_pointer_cast<Pod>(pod.clone());
    next->status.phase = "Failed";
    if (condition) models::set_condition(next->status.conditions, *condition, engine::now());
    next->metadata.resourceVersion.clear();
    ctx_.store.update(next, cause(fmt::format("phase {} -> Failed", pod.status.phase.empty() ? "Pending" : pod.status.phase), why));
  }
  ctx_.store.remove(Pod::kind_info(), ns, name, cause("force deleted", why), api::DeleteOptions{0, "Background"});
}

void PodGarbageCollector::gc_terminated() {
  const auto threshold = static_cast<std::size_t>(std::max(0, ctx_.profile.terminated_pod_gc_threshold));
  if (threshold == 0 || terminated_.size() <= threshold) return;
  std::vector<std::string> oldest;
  for (auto it = terminated_.begin(); it != terminated_.end() && oldest.size() < terminated_.size() - threshold; ++it)
    oldest.push_back(it->second);
  for (const auto& key : oldest) {
    const auto [ns, name] = split_key(key);
    if (auto pod = ctx_.store.get<Pod>(ns, name))
      mark_failed_and_delete(*pod, std::nullopt, fmt::format("more than {} terminated pods", threshold));
  }
}

void PodGarbageCollector::gc_terminating_out_of_service() {
  for (const auto& o : ctx_.store.list(Node::kind_info())) {
    const auto& node = static_cast<const Node&>(*o);
    if (node_ready(node)) continue;
    const bool out_of_service = std::any_of(node.spec.taints.begin(), node.spec.taints.end(), [](const auto& t) {
      return t.key == "node.kubernetes.io/out-of-service";
    });
    if (!out_of_service) continue;
    for (const auto& p : ctx_.store.on_node(Pod::kind_info(), node.metadata.name)) {
      const auto& pod = static_cast<const Pod&>(*p);
      if (pod.metadata.being_deleted())
        mark_failed_and_delete(pod, std::nullopt,
                               "terminating on out-of-service node " + node.metadata.name);
    }
  }
}

void PodGarbageCollector::gc_orphaned() {
  const double now = engine::now();
  for (const auto& [node, count] : pods_per_node_)
    if (!ctx_.store.get(Node::kind_info(), "", node)) quarantine_.add(node, now, ctx_.profile.podgc_quarantine);
  for (const auto& node : quarantine_.take_ready(now)) {
    if (ctx_.store.get(Node::kind_info(), "", node)) continue;  // came back meanwhile
    for (const auto& p : ctx_.store.on_node(Pod::kind_info(), node))
      mark_failed_and_delete(static_cast<const Pod&>(*p),
                             models::Condition{"DisruptionTarget", "True", "DeletionByPodGC",
                                               "PodGC: node no longer exists"},
                             fmt::format("node {} no longer exists", node));
  }
}

void PodGarbageCollector::gc_unscheduled_terminating() {
  const std::vector<std::string> keys(unscheduled_terminating_.begin(), unscheduled_terminating_.end());
  for (const auto& key : keys) {
    const auto [ns, name] = split_key(key);
    auto pod = ctx_.store.get<Pod>(ns, name);
    if (pod && pod->metadata.being_deleted() && pod->spec.nodeName.empty())
      mark_failed_and_delete(*pod, std::nullopt, "terminating and never scheduled");
  }
}

}  // namespace kvsim::sim::controllers::podgc
