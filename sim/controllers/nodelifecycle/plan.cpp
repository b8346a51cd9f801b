#include "sim/controllers/nodelifecycle/plan.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace kvsim::sim::controllers::nodelifecycle {

using models::Condition;
using models::Taint;

void observe_lease(NodeHealth& health, double renewal, double now) {
  if (std::isfinite(renewal) && renewal > health.seen_renewal) {
    health.seen_renewal = renewal;
    health.probe_timestamp = now;
  }
}

bool kubelet_presumed_gone(const NodeHealth& health, double grace_period, double now) {
  return now > health.probe_timestamp + grace_period;
}

bool mark_conditions_unknown(std::vector<Condition>& conditions, double now) {
  bool changed = false;
  for (const char* type : {"Ready", "MemoryPressure", "DiskPressure", "PIDPressure"}) {
    auto it = std::find_if(conditions.begin(), conditions.end(), [&](const Condition& c) { return c.type == type; });
    if (it == conditions.end()) {
      Condition c{type, "Unknown", "NodeStatusNeverUpdated", "Kubelet never posted node status."};
      c.lastTransitionTime = models::Timestamp{now};
      conditions.push_back(std::move(c));
      changed = true;
    } else if (it->status != "Unknown") {
      // The heartbeat time stays: it says when the kubelet last spoke.
      it->status = "Unknown";
      it->reason = "NodeStatusUnknown";
      it->message = "Kubelet stopped posting node status.";
      it->lastTransitionTime = models::Timestamp{now};
      changed = true;
    }
  }
  return changed;
}

namespace {

bool same_taint(const Taint& a, const Taint& b) { return a.key == b.key && a.effect == b.effect; }

bool has_taint(const std::vector<Taint>& taints, const Taint& t) {
  return std::any_of(taints.begin(), taints.end(), [&](const Taint& x) { return same_taint(x, t); });
}

// Condition type -> (status -> taint key), as nodeConditionToTaintKeyStatusMap.
struct ConditionTaint {
  const char* condition;
  const char* status;
  const char* key;
};
constexpr ConditionTaint kConditionTaints[] = {
    {"Ready", "False", kNotReadyTaint},
    {"Ready", "Unknown", kUnreachableTaint},
    {"MemoryPressure", "True", "node.kubernetes.io/memory-pressure"},
    {"DiskPressure", "True", "node.kubernetes.io/disk-pressure"},
    {"NetworkUnavailable", "True", "node.kubernetes.io/network-unavailable"},
    {"PIDPressure", "True", "node.kubernetes.io/pid-pressure"},
};

bool controller_managed_no_schedule(const Taint& t) {
  if (t.effect != "NoSchedule") return false;
  if (t.key == kUnschedulableTaint) return true;
  return std::any_of(std::begin(kConditionTaints), std::end(kConditionTaints),
                     [&](const ConditionTaint& c) { return t.key == c.key; });
}

}  // namespace

std::vector<Taint> condition_no_schedule_taints(const models::Node& node) {
  std::vector<Taint> out;
  for (const auto& c : node.status.conditions)
    for (const auto& m : kConditionTaints)
      if (c.type == m.condition && c.status == m.status) out.push_back(Taint{m.key, "", "NoSchedule", std::nullopt});
  if (node.spec.unschedulable.value_or(false)) out.push_back(Taint{kUnschedulableTaint, "", "NoSchedule", std::nullopt});
  return out;
}

TaintChange no_schedule_taint_change(const models::Node& node) {
  TaintChange change;
  const auto want = condition_no_schedule_taints(node);
  for (const auto& t : want)
    if (!has_taint(node.spec.taints, t)) change.add.push_back(t);
  for (const auto& t : node.spec.taints)
    if (controller_managed_no_schedule(t) && !has_taint(want, t)) change.remove.push_back(t);
  return change;
}

std::optional<Taint> no_execute_taint_for(const std::string& ready_status) {
  if (ready_status == "False") return Taint{kNotReadyTaint, "", "NoExecute", std::nullopt};
  if (ready_status == "Unknown") return Taint{kUnreachableTaint, "", "NoExecute", std::nullopt};
  return std::nullopt;
}

std::vector<Taint> apply_taint_change(const std::vector<Taint>& taints, const TaintChange& change, double now) {
  std::vector<Taint> out;
  for (const auto& t : taints)
    if (!has_taint(change.remove, t)) out.push_back(t);
  for (auto t : change.add) {
    if (has_taint(out, t)) continue;
    t.timeAdded = models::Timestamp{now};
    out.push_back(std::move(t));
  }
  return out;
}

const char* to_string(ZoneState s) {
  switch (s) {
    case ZoneState::Initial: return "Initial";
    case ZoneState::Normal: return "Normal";
    case ZoneState::PartialDisruption: return "PartialDisruption";
    case ZoneState::FullDisruption: return "FullDisruption";
  }
  return "";
}

std::string zone_of(const models::Node& node) {
  const auto& labels = node.metadata.labels;
  auto get = [&](const char* k) {
    auto it = labels.find(k);
    return it == labels.end() ? std::string() : it->second;
  };
  const auto region = get("topology.kubernetes.io/region");
  const auto zone = get("topology.kubernetes.io/zone");
  if (region.empty() && zone.empty()) return {};
  // Upstream's key: region ":\0:" zone.
  std::string key = region;
  key.push_back(':');
  key.push_back('\0');
  key.push_back(':');
  key.append(zone);
  return key;
}

ZoneState compute_zone_state(int ready, int not_ready, double unhealthy_threshold) {
  if (ready == 0 && not_ready > 0) return ZoneState::FullDisruption;
  if (not_ready > 2 && static_cast<double>(not_ready) / static_cast<double>(not_ready + ready) >= unhealthy_threshold)
    return ZoneState::PartialDisruption;
  return ZoneState::Normal;
}

double tainting_rate(ZoneState state, int zone_size, bool all_fully_disrupted, const EvictionRates& rates) {
  if (all_fully_disrupted) return 0;
  switch (state) {
    case ZoneState::PartialDisruption: return zone_size > rates.large_cluster_threshold ? rates.secondary : 0;
    case ZoneState::Initial:
    case ZoneState::Normal:
    case ZoneState::FullDisruption: return rates.normal;  // one zone down among healthy ones: normal rate
  }
  return rates.normal;
}

bool tolerates(const models::Toleration& t, const Taint& taint) {
  if (!t.effect.empty() && t.effect != taint.effect) return false;
  if (!t.key.empty() && t.key != taint.key) return false;
  if (t.op == "Exists") return true;
  // Equal (the default operator); an empty key requires Exists (validation).
  return !t.key.empty() && t.value == taint.value;
}

EvictionDecision plan_taint_eviction(const std::vector<models::Toleration>& tolerations,
                                     const std::vector<Taint>& no_execute_taints, double now,
                                     const std::optional<ScheduledEviction>& scheduled) {
  if (no_execute_taints.empty()) return {EvictionDecision::Cancel, {}};
  // The first toleration matching each taint (GetMatchingTolerations).
  std::vector<const models::Toleration*> used;
  for (const auto& taint : no_execute_taints) {
    auto it = std::find_if(tolerations.begin(), tolerations.end(),
                           [&](const models::Toleration& t) { return tolerates(t, taint); });
    if (it == tolerations.end()) return {EvictionDecision::DeleteNow, {now, now}};
    used.push_back(&*it);
  }
  // The smallest tolerationSeconds among them; none at all tolerates forever.
  double min_seconds = std::numeric_limits<double>::infinity();
  for (const auto* t : used) {
    if (!t->tolerationSeconds) continue;
    min_seconds = std::min(min_seconds, static_cast<double>(std::max<std::int64_t>(*t->tolerationSeconds, 0)));
  }
  if (min_seconds == std::numeric_limits<double>::infinity()) return {EvictionDecision::Cancel, {}};
  const double trigger = now + min_seconds;
  if (scheduled && scheduled->created_at + min_seconds < trigger) return {EvictionDecision::Keep, *scheduled};
  const double start = scheduled ? scheduled->created_at : now;
  return {EvictionDecision::Schedule, {start, trigger}};
}

}  // namespace kvsim::sim::controllers::nodelifecycle
