#include "sim/controllers/nodelifecycle/node_lifecycle_controller.hpp"

#include <fmt/format.h>

#include <cmath>
#include <iterator>

#include "sim/engine/clock.hpp"

namespace kvsim::sim::controllers::nodelifecycle {

using models::Node;
using models::Pod;

namespace {

std::string ready_status(const Node& node) {
  const auto* c = models::find_condition(node.status.conditions, "Ready");
  return c ? c->status : "Unknown";
}

bool excluded_from_disruption_checks(const Node& node) {
  return node.metadata.labels.contains("node.kubernetes.io/exclude-disruption");
}

std::string describe_taints(const TaintChange& change) {
  std::string out;
  for (const auto& t : change.add) out += fmt::format("{}+{}:{}", out.empty() ? "" : ", ", t.key, t.effect);
  for (const auto& t : change.remove) out += fmt::format("{}-{}:{}", out.empty() ? "" : ", ", t.key, t.effect);
  return "taints " + out;
}

}  // namespace

NodeLifecycleController::NodeLifecycleController(Context& ctx, const node::Leases& leases, std::string host)
    : Component(ctx, "node-lifecycle-controller", std::move(host)), leases_(leases) {
  rates_.normal = ctx.profile.node_eviction_rate;
  rates_.secondary = ctx.profile.secondary_node_eviction_rate;
  rates_.large_cluster_threshold = ctx.profile.large_cluster_size_threshold;
}

void NodeLifecycleController::start() {
  Component::start();
  if (watching_) return;
  watching_ = true;
  // Node updates: keep the NoSchedule taints that mirror conditions (doNoScheduleTaintingPass).
  watch({&Node::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) {
    if (e.type != api::EventType::Deleted) enqueue("node/" + e.object->metadata.name);
  });
  // A pod bound to a node that is not Ready is marked not Ready too (processPod).
  watch({&Pod::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) {
    if (e.type == api::EventType::Deleted) return;
    const auto& pod = static_cast<const Pod&>(*e.object);
    const auto* old = static_cast<const Pod*>(e.old.get());
    if (!pod.spec.nodeName.empty() && (!old || old->spec.nodeName != pod.spec.nodeName))
      enqueue("pod/" + key_of(pod));
  });
  for (const auto& o : ctx_.store.list(Node::kind_info())) enqueue("node/" + o->metadata.name);
  monitor();
}

// ---------------------------------------------------------------- monitor

void NodeLifecycleController::read_labels(Tracked& tracked, const Node& node) {
  if (tracked.labels_of.is(node)) return;
  tracked.labels_of.remember(node);
  tracked.excluded = excluded_from_disruption_checks(node);
  tracked.zone = zone_of(node);
}

void NodeLifecycleController::monitor() {
  const double now = engine::now();
  const auto& p = ctx_.profile;
  const auto nodes = ctx_.store.list(Node::kind_info());
  // Each listed node's entry, found once: a pass visits every node (10,000 of them at scale,
  // every 5 s of sim time), so lookups by name are what it costs.
  std::vector<Tracked*> tracked_of;
  tracked_of.reserve(nodes.size());
  bool registered = false;
  // The list and health_ are both in name order, so each entry is at or just after the last
  // one's: a hint, not a search from the root (an unordered list only loses the hint).
  auto hint = health_.begin();
  for (const auto& o : nodes) {
    const auto& node = static_cast<const Node&>(*o);
    while (hint != health_.end() && hint->first < node.metadata.name) ++hint;
    const auto before = health_.size();
    auto it = health_.try_emplace(hint, node.metadata.name);
    hint = std::next(it);
    tracked_of.push_back(&it->second);
    if (health_.size() == before) continue;
    it->second.health.probe_timestamp = now;  // first sight: the grace period starts now
    registered = true;
    event(node, "Normal", "RegisteredNode",
          fmt::format("Node {} event: Registered Node {} in Controller", node.metadata.name, node.metadata.name));
    const auto zone = zone_of(node);
    zone_for(zone);
    mark_node_reachable(node, zone);
  }
  // Nodes that went since the last pass (every listed node is tracked now: equal sizes, none went).
  if (health_.size() != nodes.size()) {
    std::set<std::string> present;
    for (const auto& o : nodes) present.insert(o->metadata.name);
    for (auto it = health_.begin(); it != health_.end();) {
      if (present.contains(it->first)) {
        ++it;
        continue;
      }
      for (auto& [name, zone] : zones_) {
        zone.members.erase(it->first);
        std::erase(zone.pending, it->first);
      }
      it = health_.erase(it);
    }
  }

  std::map<std::string, std::pair<int, int>> zone_counts;  // zone -> (ready, not ready)
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const auto& name = nodes[i]->metadata.name;
    // Registering a node may have taken its NoExecute taints off, so read it again then.
    auto node = std::static_pointer_cast<const Node>(registered ? ctx_.store.get(Node::kind_info(), "", name)
                                                                : nodes[i]);
    if (!node) continue;
    auto& tracked = *tracked_of[i];
    // The lease as the controller's informer sees it (one watch latency behind).
    const double renewed = leases_.last_renewal(name);
    if (std::isfinite(renewed) && renewed + p.watch_latency <= now) observe_lease(tracked.health, renewed, now);

    const std::string observed = ready_status(*node);
    std::string current = observed;
    if (kubelet_presumed_gone(tracked.health, p.node_monitor_grace_period, now)) {
      auto next = std::static_pointer_cast<Node>(node->clone());
      if (mark_conditions_unknown(next->status.conditions, now)) {
        next->metadata.resourceVersion.clear();
        auto r = ctx_.store.update(
            next, cause(fmt::format("Ready {} -> Unknown", observed),
                        fmt::format("no lease renewal seen for {:.0f}s (node-monitor-grace-period {:.0f}s)",
                                    now - tracked.health.probe_timestamp, p.node_monitor_grace_period)));
        if (r.ok()) node = std::static_pointer_cast<const Node>(r.object);
      }
      current = ready_status(*node);
    }
    read_labels(tracked, *node);
    if (!tracked.excluded) {
      auto& counts = zone_counts[tracked.zone];
      (current == "True" ? counts.first : counts.second)++;
    }
    process_taint_based_eviction(*node, observed, tracked.zone);
    if (current != "True" && observed == "True") {
      event(*node, "Normal", "NodeNotReady", fmt::format("Node {} status is now: NodeNotReady", name));
      mark_pods_not_ready(name, ctx_.store.on_node(Pod::kind_info(), name));
    }
  }
  handle_disruption(zone_counts, nodes);
  for (auto& [name, zone] : zones_)
    if (!zone.pending.empty() && zone.rate > 0) schedule_taint_pass(now);
  reactor_.post(p.node_monitor_period, [this] { monitor(); });
}

void NodeLifecycleController::process_taint_based_eviction(const Node& node, const std::string& observed_ready,
                                                            const std::string& zone) {
  if (observed_ready == "True") {
    mark_node_reachable(node, zone);
    return;
  }
  // A node that flips between NotReady and unreachable swaps its taint at once.
  const auto want = no_execute_taint_for(observed_ready);
  const auto other = no_execute_taint_for(observed_ready == "False" ? "Unknown" : "False");
  const bool has_other = std::any_of(node.spec.taints.begin(), node.spec.taints.end(), [&](const models::Taint& t) {
    return t.key == other->key && t.effect == "NoExecute";
  });
  if (has_other) {
    change_taints(node.metadata.name, {{*want}, {*other}}, "Ready is " + observed_ready);
    return;
  }
  mark_node_for_tainting(node, observed_ready, zone);
}

NodeLifecycleController::Zone& NodeLifecycleController::zone_for(const std::string& key) {
  auto [it, fresh] = zones_.try_emplace(key);
  if (fresh) {
    it->second.rate = rates_.normal;
    it->second.refilled_at = engine::now();
  }
  return it->second;
}

void NodeLifecycleController::mark_node_for_tainting(const Node& node, const std::string& ready,
                                                     const std::string& zone_key) {
  auto& zone = zone_for(zone_key);
  const auto taint = no_execute_taint_for(ready);
  const bool tainted = std::any_of(node.spec.taints.begin(), node.spec.taints.end(), [&](const models::Taint& t) {
    return t.key == taint->key && t.effect == "NoExecute";
  });
  const auto& name = node.metadata.name;
  if (!tainted) {
    zone.members.erase(name);
    std::erase(zone.pending, name);
  }
  if (zone.members.insert(name).second) zone.pending.push_back(name);
}

void NodeLifecycleController::mark_node_reachable(const Node& node, const std::string& zone_key) {
  TaintChange change;
  for (const auto& t : node.spec.taints)
    if (t.effect == "NoExecute" && (t.key == kUnreachableTaint || t.key == kNotReadyTaint)) change.remove.push_back(t);
  if (!change.empty()) change_taints(node.metadata.name, change, "node is Ready again");
  // Every pending node is a member (mark_node_for_tainting), so a non-member needs no walk of the queue.
  auto& zone = zone_for(zone_key);
  if (zone.members.erase(node.metadata.name)) std::erase(zone.pending, node.metadata.name);
}

// ---------------------------------------------------------------- NoExecute tainting

bool NodeLifecycleController::try_accept(Zone& zone, double now) {
  if (zone.rate <= 0) return false;
  zone.tokens = std::min(1.0, zone.tokens + (now - zone.refilled_at) * zone.rate);
  zone.refilled_at = now;
  if (zone.tokens < 1.0 - 1e-9) return false;
  zone.tokens -= 1.0;
  return true;
}

// The tainting pass runs every node-eviction-period (100 ms) upstream; here it
// is woken on that grid only while a zone has nodes waiting.
void NodeLifecycleController::schedule_taint_pass(double after) {
  const double period = ctx_.profile.node_eviction_period;
  const double at = (std::floor(after / period + 1e-9) + 1) * period;
  if (std::isfinite(taint_pass_at_) && taint_pass_at_ <= at + 1e-9) return;
  taint_pass_at_ = at;
  reactor_.post(at - engine::now(), [this, at] {
    if (std::abs(taint_pass_at_ - at) > 1e-9) return;  // superseded by an earlier pass
    taint_pass_at_ = -std::numeric_limits<double>::infinity();
    taint_pass();
  });
}

void NodeLifecycleController::taint_pass() {
  const double now = engine::now();
  double next_token = -std::numeric_limits<double>::infinity();  // none
  for (auto& [zone_name, zone] : zones_) {
    while (!zone.pending.empty()) {
      if (!try_accept(zone, now)) {
        if (zone.rate > 0) {
          const double wait = (1.0 - zone.tokens) / zone.rate;
          next_token = !std::isfinite(next_token) ? now + wait : std::min(next_token, now + wait);
        }
        break;
      }
      const auto name = zone.pending.front();
      zone.pending.pop_front();  // stays a member: tainted once until reachable again
      auto node = ctx_.store.get<Node>("", name);
      if (!node) continue;
      const auto ready = ready_status(*node);
      const auto add = no_execute_taint_for(ready);
      if (!add) continue;  // Ready again meanwhile
      const auto remove = no_execute_taint_for(ready == "False" ? "Unknown" : "False");
      change_taints(name, {{*add}, {*remove}}, fmt::format("Ready is {} (zone {} rate {}/s)", ready,
                                                          zone_name.empty() ? "\"\"" : zone_name, zone.rate));
    }
  }
  if (std::isfinite(next_token)) schedule_taint_pass(next_token - 1e-9);
}

bool NodeLifecycleController::change_taints(const std::string& name, const TaintChange& change,
                                            const std::string& why) {
  auto node = ctx_.store.get<Node>("", name);
  if (!node) return false;
  auto next = std::static_pointer_cast<Node>(node->clone());
  next->spec.taints = apply_taint_change(node->spec.taints, change, engine::now());
  // Only what actually changes is reported.
  TaintChange done;
  for (const auto& t : change.add)
    if (std::none_of(node->spec.taints.begin(), node->spec.taints.end(),
                     [&](const models::Taint& x) { return x.key == t.key && x.effect == t.effect; }))
      done.add.push_back(t);
  for (const auto& t : change.remove)
    if (std::any_of(node->spec.taints.begin(), node->spec.taints.end(),
                    [&](const models::Taint& x) { return x.key == t.key && x.effect == t.effect; }))
      done.remove.push_back(t);
  if (done.empty()) return false;
  next->metadata.resourceVersion.clear();
  return ctx_.store.update(next, cause(describe_taints(done), why)).ok();
}

// ---------------------------------------------------------------- zones

void NodeLifecycleController::set_zone_rate(Zone& zone, int zone_size, ZoneState state) {
  zone.rate = tainting_rate(state, zone_size, false, rates_);
}

void NodeLifecycleController::handle_disruption(const std::map<std::string, std::pair<int, int>>& zone_counts,
                                                const std::vector<models::ObjectPtr>& nodes) {
  const auto& p = ctx_.profile;
  std::map<std::string, ZoneState> next_states;
  bool all_are_fully_disrupted = true;
  for (const auto& [zone, counts] : zone_counts) {
    const auto state = compute_zone_state(counts.first, counts.second, p.unhealthy_zone_threshold);
    if (state != ZoneState::FullDisruption) all_are_fully_disrupted = false;
    next_states[zone] = state;
    zones_.try_emplace(zone);
  }
  bool all_were_fully_disrupted = true;
  for (auto it = zones_.begin(); it != zones_.end();) {
    if (!zone_counts.contains(it->first)) {
      // No node left in the zone (or all excluded): its queue goes too.
      if (it->second.members.empty()) {
        it = zones_.erase(it);
        continue;
      }
      ++it;
      continue;
    }
    if (it->second.state != ZoneState::FullDisruption) all_were_fully_disrupted = false;
    ++it;
  }
  if (all_are_fully_disrupted && all_were_fully_disrupted) return;
  if (all_are_fully_disrupted) {
    // Every node not Ready: the control plane is more likely cut off than the
    // nodes dead. Stop evicting and take the NoExecute taints back.
    for (const auto& o : nodes)
      if (auto node = ctx_.store.get<Node>("", o->metadata.name)) mark_node_reachable(*node, zone_of(*node));
    for (auto& [name, zone] : zones_) {
      zone.rate = 0;
      zone.state = ZoneState::FullDisruption;
    }
    return;
  }
  if (all_were_fully_disrupted && !zones_.empty()) {
    // Leaving master disruption mode: every node gets a fresh grace period.
    const double now = engine::now();
    for (auto& [name, t] : health_) t.health.probe_timestamp = now;
  }
  for (const auto& [zone_name, state] : next_states) {
    auto& zone = zones_[zone_name];
    if (zone.state == state && !all_were_fully_disrupted) continue;
    const auto& counts = zone_counts.at(zone_name);
    set_zone_rate(zone, counts.first + counts.second, state);
    zone.state = state;
  }
}

// ---------------------------------------------------------------- pods and NoSchedule taints

void NodeLifecycleController::mark_pods_not_ready(const std::string& node, const std::vector<models::ObjectPtr>& pods) {
  const double now = engine::now();
  for (const auto& o : pods) {
    const auto& pod = static_cast<const Pod&>(*o);
    if (pod.spec.nodeName != node) continue;
    const auto* ready = models::find_condition(pod.status.conditions, "Ready");
    if (!ready || ready->status == "False") continue;
    auto next = std::static_pointer_cast<Pod>(pod.clone());
    for (auto& c : next->status.conditions)
      if (c.type == "Ready") {
        c.status = "False";
        c.lastTransitionTime = models::Timestamp{now};
      }
    next->metadata.resourceVersion.clear();
    if (ctx_.store.update(next, cause("Ready True -> False", "node " + node + " is not Ready")).ok())
      event(pod, "Warning", "NodeNotReady", "Node is not ready");
  }
}

void NodeLifecycleController::reconcile(const std::string& key) {
  if (key.starts_with("pod/")) {
    const auto [ns, name] = split_key(key.substr(4));
    auto pod = ctx_.store.get(Pod::kind_info(), ns, name);
    if (!pod) return;
    const auto& node_name = static_cast<const Pod&>(*pod).spec.nodeName;
    if (!health_.contains(node_name)) return;
    auto node = ctx_.store.get<Node>("", node_name);
    if (node && ready_status(*node) != "True") mark_pods_not_ready(node_name, {pod});
    return;
  }
  const auto name = key.substr(5);
  auto node = ctx_.store.get<Node>("", name);
  if (!node) return;
  const auto change = no_schedule_taint_change(*node);
  if (!change.empty()) change_taints(name, change, "conditions and spec.unschedulable");
}

}  // namespace kvsim::sim::controllers::nodelifecycle
