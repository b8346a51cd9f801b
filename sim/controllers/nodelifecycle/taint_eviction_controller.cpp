#include "sim/controllers/nodelifecycle/taint_eviction_controller.hpp"

#include <fmt/format.h>

#include "sim/engine/clock.hpp"

namespace kvsim::sim::controllers::nodelifecycle {

using models::Node;
using models::Pod;

namespace {

std::vector<models::Taint> no_execute_taints(const Node& node) {
  std::vector<models::Taint> out;
  for (const auto& t : node.spec.taints)
    if (t.effect == "NoExecute") out.push_back(t);
  return out;
}

}  // namespace

TaintEvictionController::TaintEvictionController(Context& ctx, std::string host)
    : Component(ctx, "taint-eviction-controller", std::move(host)) {}

void TaintEvictionController::start() {
  Component::start();
  if (watching_) return;
  watching_ = true;
  watch({&Node::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) {
    const auto* old = static_cast<const Node*>(e.old.get());
    if (e.type == api::EventType::Modified && old &&
        no_execute_taints(*old) == no_execute_taints(static_cast<const Node&>(*e.object)))
      return;
    enqueue("node/" + e.object->metadata.name);
  });
  watch({&Pod::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) {
    const auto& pod = static_cast<const Pod&>(*e.object);
    const auto* old = static_cast<const Pod*>(e.old.get());
    if (e.type == api::EventType::Modified && old && old->spec.tolerations == pod.spec.tolerations &&
        old->spec.nodeName == pod.spec.nodeName)
      return;
    enqueue("pod/" + key_of(pod));
  });
  for (const auto& o : ctx_.store.list(Node::kind_info())) enqueue("node/" + o->metadata.name);
}

void TaintEvictionController::reconcile(const std::string& key) {
  const double now = engine::now();
  if (key.starts_with("node/")) {
    node_changed(key.substr(5));
    return;
  }
  const auto pod_key = key.substr(4);
  const auto [ns, name] = split_key(pod_key);
  auto pod = ctx_.store.get<Pod>(ns, name);
  if (!pod) {
    cancel(pod_key, true);
    return;
  }
  if (pod->spec.nodeName.empty()) return;
  auto it = tainted_nodes_.find(pod->spec.nodeName);
  if (it == tainted_nodes_.end()) return;  // untainted: nothing scheduled for it either
  process_pod(*pod, it->second, now);
}

void TaintEvictionController::node_changed(const std::string& node_name) {
  auto node = ctx_.store.get<Node>("", node_name);
  if (!node) {
    tainted_nodes_.erase(node_name);
    return;
  }
  const auto taints = no_execute_taints(*node);
  if (taints.empty()) tainted_nodes_.erase(node_name);
  else tainted_nodes_[node_name] = taints;
  const double now = engine::now();
  for (const auto& o : ctx_.store.on_node(Pod::kind_info(), node_name)) {
    const auto& pod = static_cast<const Pod&>(*o);
    if (taints.empty()) cancel(key_of(pod), true);
    else process_pod(pod, taints, now);
  }
}

void TaintEvictionController::process_pod(const Pod& pod, const std::vector<models::Taint>& taints, double now) {
  const auto key = key_of(pod);
  std::optional<ScheduledEviction> scheduled;
  if (auto it = work_.find(key); it != work_.end()) scheduled = it->second.when;
  const auto d = plan_taint_eviction(pod.spec.tolerations, taints, now, scheduled);
  if (d.kind == EvictionDecision::Keep) return;
  cancel(key, true);
  if (d.kind == EvictionDecision::Cancel) return;
  const auto generation = next_generation_++;
  work_[key] = Work{d.when, generation};
  reactor_.post(d.when.fire_at - now, [this, key, generation] { fire(key, generation); });
}

void TaintEvictionController::cancel(const std::string& pod_key, bool with_event) {
  auto it = work_.find(pod_key);
  if (it == work_.end()) return;
  work_.erase(it);
  if (!with_event) return;
  const auto [ns, name] = split_key(pod_key);
  if (auto pod = ctx_.store.get(Pod::kind_info(), ns, name))
    event(*pod, "Normal", "TaintManagerEviction", "Cancelling deletion of Pod " + pod_key);
}

void TaintEvictionController::fire(const std::string& pod_key, std::uint64_t generation) {
  auto it = work_.find(pod_key);
  if (it == work_.end() || it->second.generation != generation) return;
  const auto when = it->second.when;
  work_.erase(it);
  const auto [ns, name] = split_key(pod_key);
  auto pod = ctx_.store.get<Pod>(ns, name);
  if (!pod) return;
  event(*pod, "Normal", "TaintManagerEviction", "Marking for deletion Pod " + pod_key);
  // addConditionAndDeletePod: the DisruptionTarget condition first, then a graceful delete.
  auto next = std::static_pointer_cast<Pod>(pod->clone());
  if (models::set_condition(next->status.conditions,
                            {"DisruptionTarget", "True", "DeletionByTaintManager",
                             "Taint manager: deleting due to NoExecute taint"},
                            engine::now())) {
    next->metadata.resourceVersion.clear();
    ctx_.store.update(next, cause("DisruptionTarget True", "DeletionByTaintManager"));
  }
  const std::string why = when.fire_at > when.created_at
                              ? fmt::format("NoExecute taint on {} tolerated for {:.0f}s", pod->spec.nodeName,
                                            when.fire_at - when.created_at)
                              : fmt::format("NoExecute taint on {} not tolerated", pod->spec.nodeName);
  ctx_.store.remove(Pod::kind_info(), ns, name, cause({}, why));
}

}  // namespace kvsim::sim::controllers::nodelifecycle
