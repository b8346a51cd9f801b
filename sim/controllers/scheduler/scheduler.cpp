#include "sim/controllers/scheduler/scheduler.hpp"

#include "sim/engine/clock.hpp"

namespace kvsim::sim::controllers::scheduler {

using models::Node;
using models::Pod;

Scheduler::Scheduler(Context& ctx, std::string host) : Component(ctx, "kube-scheduler", std::move(host)) {}

void Scheduler::start() {
  Component::start();
  if (watching_) return;
  watching_ = true;
  // Accounting is exact from the store at start, then kept by watch events.
  for (const auto& o : ctx_.store.list(Pod::kind_info())) account(nullptr, static_cast<const Pod*>(o.get()));
  watch({&Pod::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) { on_pod(e); });
  watch({&Node::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) { on_node(e); });
  for (const auto& o : ctx_.store.list(Pod::kind_info()))
    if (static_cast<const Pod&>(*o).spec.nodeName.empty()) enqueue(key_of(*o), ctx_.profile.scheduler_latency);
}

void Scheduler::account(const Pod* before, const Pod* after) {
  auto counts = [](const Pod* p) {
    return p && !p->spec.nodeName.empty() && p->status.phase != "Succeeded" && p->status.phase != "Failed";
  };
  if (counts(before)) {
    auto& u = usage_[before->spec.nodeName];
    for (const auto& [k, q] : models::pod_requests(before->spec)) u.requested[k] -= q;
    --u.pods;
  }
  if (counts(after)) {
    auto& u = usage_[after->spec.nodeName];
    for (const auto& [k, q] : models::pod_requests(after->spec)) u.requested[k] += q;
    ++u.pods;
  }
}

void Scheduler::on_pod(const api::WatchEvent& e) {
  const auto* pod = static_cast<const Pod*>(e.object.get());
  const auto* old = static_cast<const Pod*>(e.old.get());
  if (e.type == api::EventType::Deleted) {
    account(pod, nullptr);
    unschedulable_.erase(key_of(*pod));
    retry_unschedulable();  // freed capacity
    return;
  }
  account(old, pod);
  const bool freed = old && !old->spec.nodeName.empty() && (pod->status.phase == "Succeeded" || pod->status.phase == "Failed") &&
                     old->status.phase != pod->status.phase;
  if (freed) retry_unschedulable();
  if (pod->spec.nodeName.empty() && !pod->metadata.being_deleted() &&
      (pod->spec.schedulerName.empty() || pod->spec.schedulerName == "default-scheduler") &&
      !unschedulable_.contains(key_of(*pod)))
    enqueue(key_of(*pod), ctx_.profile.scheduler_latency);
}

void Scheduler::on_node(const api::WatchEvent& e) {
  if (e.type == api::EventType::Deleted) usage_.erase(e.object->metadata.name);
  retry_unschedulable();
}

void Scheduler::retry_unschedulable() {
  for (const auto& key : unschedulable_) enqueue(key, ctx_.profile.scheduler_latency);
  unschedulable_.clear();
}

void Scheduler::reconcile(const std::string& key) {
  const auto [ns, name] = split_key(key);
  auto pod = ctx_.store.get<Pod>(ns, name);
  if (!pod || !pod->spec.nodeName.empty() || pod->metadata.being_deleted()) return;
  std::vector<NodeState> nodes;
  const auto node_objects = ctx_.store.list(Node::kind_info());
  nodes.reserve(node_objects.size());
  for (const auto& o : node_objects) {
    const auto& node = static_cast<const Node&>(*o);
    NodeState s{&node, {}, 0, true};
    if (auto it = usage_.find(node.metadata.name); it != usage_.end()) {
      s.requested = it->second.requested;
      s.pods = it->second.pods;
    }
    nodes.push_back(std::move(s));
  }
  const Decision d = schedule(*pod, nodes, ctx_.rng);
  auto next = std::static_pointer_cast<Pod>(pod->clone());
  if (d.node.empty()) {
    models::set_condition(next->status.conditions, {"PodScheduled", "False", "Unschedulable", d.message}, engine::now());
    next->status.phase = "Pending";
    ctx_.store.update(next, cause("unschedulable", d.message));
    event(*pod, "Warning", "FailedScheduling", d.message);
    unschedulable_.insert(key);
    return;
  }
  next->spec.nodeName = d.node;
  models::set_condition(next->status.conditions, {"PodScheduled", "True", "", ""}, engine::now());
  ctx_.store.update(next, cause("bound to " + d.node), true);
  event(*pod, "Normal", "Scheduled",
                          "Successfully assigned " + pod->metadata.namespace_ + "/" + pod->metadata.name + " to " + d.node);
}

}  // namespace kvsim::sim::controllers::scheduler
