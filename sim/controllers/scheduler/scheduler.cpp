#include "sim/controllers/scheduler/scheduler.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <limits>

#include "models/storage.hpp"
#include "sim/controllers/scheduler/volume_binding.hpp"
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
  for (const auto& o : ctx_.store.list(Node::kind_info())) node_objects_[o->metadata.name] = o;
  for (const auto& o : ctx_.store.list(Pod::kind_info())) account(nullptr, static_cast<const Pod*>(o.get()));
  rebuild_node_cache();
  watch({&Pod::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) { on_pod(e); });
  watch({&Node::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) { on_node(e); });
  // Claims that bind and volumes that appear may let waiting pods fit (VolumeBinding's events).
  for (const auto* kind : {&models::PersistentVolumeClaim::kind_info(), &models::PersistentVolume::kind_info(),
                           &models::StorageClass::kind_info()})
    watch({kind, {}, std::nullopt, {}}, [this](const api::WatchEvent&) { retry_unschedulable(); });
  for (const auto& o : ctx_.store.list(Pod::kind_info()))
    if (static_cast<const Pod&>(*o).spec.nodeName.empty()) enqueue(key_of(*o), ctx_.profile.scheduler_latency);
}

void Scheduler::rebuild_node_cache() {
  nodes_.clear();
  node_slot_.clear();
  nodes_.reserve(node_objects_.size());
  for (const auto& [name, o] : node_objects_) {
    NodeState s;
    s.node = static_cast<const Node*>(o.get());
    if (auto it = usage_.find(name); it != usage_.end()) {
      s.set_requested(it->second.requested);
      s.nonzero_requested = cpu_and_memory(it->second.nonzero_requested);
      s.pods = it->second.pods;
    }
    node_slot_[name] = nodes_.size();
    nodes_.push_back(std::move(s));
  }
}

void Scheduler::add_usage(const std::string& node, const models::PodSpec& spec, int sign) {
  auto& u = usage_[node];
  for (const auto& [k, q] : models::pod_requests(spec)) sign > 0 ? u.requested[k] += q : u.requested[k] -= q;
  for (const auto& [k, q] : nonzero_requests(spec)) sign > 0 ? u.nonzero_requested[k] += q : u.nonzero_requested[k] -= q;
  u.pods += sign;
  if (auto it = node_slot_.find(node); it != node_slot_.end()) {
    auto& s = nodes_[it->second];
    s.set_requested(u.requested);
    s.nonzero_requested = cpu_and_memory(u.nonzero_requested);
    s.pods = u.pods;
  }
}

namespace {

// Being deleted by kube-scheduler's preemption (DisruptionTarget True, PreemptionByScheduler).
bool terminating_by_preemption(const Pod& pod) {
  const auto* target = models::find_condition(pod.status.conditions, "DisruptionTarget");
  return pod.metadata.being_deleted() && target && target->status == "True" &&
         target->reason == "PreemptionByScheduler";
}

BoundPod bound_pod(const Pod& pod) {
  BoundPod b;
  b.key = pod.metadata.namespace_ + "/" + pod.metadata.name;
  b.priority = pod.spec.priority.value_or(0);
  // Upstream takes "now" for a pod not started yet: later than any start.
  b.start_time = pod.status.startTime ? pod.status.startTime->seconds : std::numeric_limits<double>::infinity();
  b.requests = models::pod_requests(pod.spec);
  b.terminating_by_preemption = terminating_by_preemption(pod);
  return b;
}

bool same_requests(const std::vector<models::Container>& a, const std::vector<models::Container>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].resources.requests != b[i].resources.requests) return false;
  return true;
}

// Whether two states of a pod give the same usage and the same bound_pod(): most pod events
// are status updates of a bound pod, which change neither.
bool same_accounting(const Pod& a, const Pod& b) {
  return a.spec.nodeName == b.spec.nodeName && a.status.phase == b.status.phase &&
         a.spec.priority == b.spec.priority && a.status.startTime == b.status.startTime &&
         terminating_by_preemption(a) == terminating_by_preemption(b) &&
         same_requests(a.spec.containers, b.spec.containers) &&
         same_requests(a.spec.initContainers, b.spec.initContainers);
}

}  // namespace

void Scheduler::account(const Pod* before, const Pod* after) {
  if (before && after && same_accounting(*before, *after)) {
    // Nothing to recount; the pod still moves to the end of its node's list, as an update
    // does in upstream's cache (remove, then add), which orders equal preemption victims.
    auto node = bound_.find(before->spec.nodeName);  // a pod not counted (unbound, finished) is in no list
    if (node == bound_.end()) return;
    auto& pods = node->second;
    const auto key = key_of(*before);
    auto it = std::find_if(pods.begin(), pods.end(), [&](const BoundPod& b) { return b.key == key; });
    if (it != pods.end()) std::rotate(it, std::next(it), pods.end());
    return;
  }
  auto counts = [](const Pod* p) {
    return p && !p->spec.nodeName.empty() && p->status.phase != "Succeeded" && p->status.phase != "Failed";
  };
  if (counts(before)) {
    add_usage(before->spec.nodeName, before->spec, -1);
    const auto key = key_of(*before);
    std::erase_if(bound_[before->spec.nodeName], [&](const BoundPod& b) { return b.key == key; });
  }
  if (counts(after)) {
    add_usage(after->spec.nodeName, after->spec, +1);
    bound_[after->spec.nodeName].push_back(bound_pod(*after));
  }
}

void Scheduler::on_pod(const api::WatchEvent& e) {
  const auto* pod = static_cast<const Pod*>(e.object.get());
  const auto* old = static_cast<const Pod*>(e.old.get());
  track_nomination(key_of(*pod), e.type == api::EventType::Deleted ? nullptr : pod);
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
  const auto& name = e.object->metadata.name;
  if (e.type == api::EventType::Deleted) {
    node_objects_.erase(name);
    usage_.erase(name);
    bound_.erase(name);
    rebuild_node_cache();
  } else if (auto it = node_slot_.find(name); it != node_slot_.end()) {
    node_objects_[name] = e.object;
    nodes_[it->second].node = static_cast<const Node*>(e.object.get());
  } else {
    node_objects_[name] = e.object;
    rebuild_node_cache();
  }
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
  // Volume plugins: PreFilter may reject outright; their Filter joins the others.
  const VolumeCheck volumes = check_volumes(ctx_.store, *pod);
  // Room that a preemption freed for a pod of at least this priority stays its.
  const auto reserved = with_nominated(*pod, nodes_, nominated_);
  const auto& nodes = reserved ? *reserved : nodes_;
  const Decision d = volumes.rejected.empty() ? schedule(*pod, nodes, ctx_.rng, volumes.filter, next_start_, &node_slot_)
                                              : prefilter_rejection(nodes.size(), volumes.rejected);
  if (volumes.rejected.empty()) next_start_ = d.next_start;
  auto next = std::static_pointer_cast<Pod>(pod->clone());
  if (d.node.empty()) {
    // PostFilter: DefaultPreemption (there is no FitError without nodes).
    const Preemption p = nodes.empty() ? Preemption{} : preempt(*pod, nodes, d, bound_, volumes.filter);
    for (const auto& victim : p.victims) preempt_victim(victim, *pod, p.node);
    if (!p.node.empty()) clear_lower_nominations(*pod, p.node);
    const auto message = failed_scheduling_message(d, p);
    models::set_condition(next->status.conditions, {"PodScheduled", "False", "Unschedulable", message}, engine::now());
    next->status.phase = "Pending";
    if (!p.node.empty()) next->status.nominatedNodeName = p.node;
    else if (p.clear_nomination) next->status.nominatedNodeName.clear();
    ctx_.store.update(next, cause("unschedulable", message));
    track_nomination(key, next.get());
    event(*pod, "Warning", "FailedScheduling", message);
    unschedulable_.insert(key);
    return;
  }
  bind_pod_volumes(ctx_.store, *pod, d.node, component_name());
  next->spec.nodeName = d.node;
  models::set_condition(next->status.conditions, {"PodScheduled", "True", "", ""}, engine::now());
  // 1.32 leaves status.nominatedNodeName as it was (clearing it on binding came later).
  ctx_.store.update(next, cause("bound to " + d.node), true);
  track_nomination(key, nullptr);
  event(*pod, "Normal", "Scheduled",
                          "Successfully assigned " + pod->metadata.namespace_ + "/" + pod->metadata.name + " to " + d.node);
}

// The evaluator's PreemptPod: mark the victim (DisruptionTarget), delete it
// gracefully, and say who preempted it.
void Scheduler::preempt_victim(const std::string& victim_key, const Pod& preemptor, const std::string& node) {
  const auto [ns, name] = split_key(victim_key);
  auto victim = ctx_.store.get<Pod>(ns, name);
  if (!victim) return;
  const auto scheduler = preemptor.spec.schedulerName.empty() ? std::string("default-scheduler") : preemptor.spec.schedulerName;
  auto next = std::static_pointer_cast<Pod>(victim->clone());
  if (models::set_condition(next->status.conditions,
                            {"DisruptionTarget", "True", "PreemptionByScheduler",
                             scheduler + ": preempting to accommodate a higher priority pod"},
                            engine::now()))
    ctx_.store.update(next, cause("DisruptionTarget True", "PreemptionByScheduler"));
  ctx_.store.remove(Pod::kind_info(), ns, name,
                    cause({}, fmt::format("preempted by {} (priority {}) on {}", key_of(preemptor),
                                          preemptor.spec.priority.value_or(0), node)));
  event(*victim, "Normal", "Preempted", fmt::format("Preempted by pod {} on node {}", preemptor.metadata.uid, node));
}

// The nominator: where each unbound pod is nominated, from the scheduler's own
// decisions at once and from watch events after.
// Called on every pod event: it touches only the node the pod was nominated to.
void Scheduler::track_nomination(const std::string& key, const Pod* now) {
  if (auto was = nomination_of_.find(key); was != nomination_of_.end()) {
    auto& pods = nominated_[was->second];
    std::erase_if(pods, [&](const BoundPod& b) { return b.key == key; });
    if (pods.empty()) nominated_.erase(was->second);
    nomination_of_.erase(was);
  }
  if (now && !now->status.nominatedNodeName.empty() && now->spec.nodeName.empty() && !now->metadata.being_deleted()) {
    nominated_[now->status.nominatedNodeName].push_back(bound_pod(*now));
    nomination_of_[key] = now->status.nominatedNodeName;
  }
}

// prepareCandidate: lower-priority pods nominated to the node may no longer fit there.
void Scheduler::clear_lower_nominations(const Pod& preemptor, const std::string& node) {
  auto it = nominated_.find(node);
  if (it == nominated_.end()) return;
  const auto lower = it->second;
  for (const auto& b : lower) {
    if (b.priority >= preemptor.spec.priority.value_or(0)) continue;
    const auto [ns, name] = split_key(b.key);
    if (auto p = ctx_.store.get<Pod>(ns, name)) {
      auto next = std::static_pointer_cast<Pod>(p->clone());
      next->status.nominatedNodeName.clear();
      ctx_.store.update(next, cause("nominatedNodeName cleared", "preempted for " + key_of(preemptor) + " on " + node));
    }
    track_nomination(b.key, nullptr);
  }
}

}  // namespace kvsim::sim::controllers::scheduler
