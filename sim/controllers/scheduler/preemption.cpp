#include "sim/controllers/scheduler/preemption.hpp"

#include <algorithm>
#include <limits>
#include <tuple>

namespace kvsim::sim::controllers::scheduler {
namespace {

constexpr const char* kNoVictims = "No preemption victims found for incoming pod";
constexpr const char* kNotHelpful = "Preemption is not helpful for scheduling";

// Upstream's MoreImportantPod: higher priority, then the one running longer.
bool more_important(const BoundPod& a, const BoundPod& b) {
  if (a.priority != b.priority) return a.priority > b.priority;
  return a.start_time < b.start_time;
}

void take_off(NodeState& node, const BoundPod& p) {
  node.add_requests(p.requests, -1);
  --node.pods;
}

void put_back(NodeState& node, const BoundPod& p) {
  node.add_requests(p.requests, +1);
  ++node.pods;
}

// SelectVictimsOnNode: every lower-priority pod off; if the pod then fits, give
// back the most important ones while it still does. fits() with `victims` set,
// or why the node cannot be helped.
NodeStatus select_victims(const models::Pod& pod, const models::ResourceList& requests, NodeState node,
                          const std::vector<BoundPod>& on_node, const ExtraFilter& extra,
                          std::vector<BoundPod>& victims) {
  const auto priority = pod.spec.priority.value_or(0);
  std::vector<BoundPod> potential;
  for (const auto& p : on_node)
    if (p.priority < priority) potential.push_back(p);
  if (potential.empty()) return {{kNoVictims}, false};
  for (const auto& p : potential) take_off(node, p);
  if (auto status = filter_node(pod, requests, node, extra); !status.fits()) return status;
  std::stable_sort(potential.begin(), potential.end(), more_important);
  for (const auto& p : potential) {
    put_back(node, p);
    if (filter_node(pod, requests, node, extra).fits()) continue;
    take_off(node, p);
    victims.push_back(p);
  }
  return {};
}

struct Candidate {
  std::string node;
  std::vector<BoundPod> victims;  // most important first
};

// The earliest start among the victims of the highest priority (upstream's GetEarliestPodStartTime).
double earliest_start_of_most_important(const Candidate& c) {
  double earliest = std::numeric_limits<double>::infinity();
  for (const auto& v : c.victims)
    if (v.priority == c.victims.front().priority) earliest = std::min(earliest, v.start_time);
  return earliest;
}

// pickOneNodeForPreemption (no PodDisruptionBudgets in kvsim): the lowest
// highest-victim priority, then the lowest sum of priorities, then the fewest
// victims, then the victims that started last; otherwise the first in node order.
const Candidate& pick(const std::vector<Candidate>& candidates) {
  auto rank = [](const Candidate& c) {
    std::int64_t sum = 0;
    for (const auto& v : c.victims)  // shifted so that negative priorities still add up as "less"
      sum += static_cast<std::int64_t>(v.priority) + std::numeric_limits<std::int32_t>::max() + 1;
    return std::tuple(c.victims.front().priority, sum, c.victims.size(), -earliest_start_of_most_important(c));
  };
  const Candidate* best = &candidates.front();
  for (const auto& c : candidates)
    if (rank(c) < rank(*best)) best = &c;
  return *best;
}

// PodEligibleToPreemptOthers: why the pod may not preempt, or "".
std::string not_eligible(const models::Pod& pod, const std::vector<NodeState>& nodes, const Decision& failure,
                         const PodsByNode& pods) {
  if (pod.spec.preemptionPolicy == "Never") return "not eligible due to preemptionPolicy=Never.";
  const auto& nominated = pod.status.nominatedNodeName;
  if (nominated.empty()) return {};
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].node->metadata.name != nominated) continue;
    // A nominated node that no preemption can help any more is tried afresh.
    if (i < failure.statuses.size() && !failure.statuses[i].resolvable) return {};
    auto it = pods.find(nominated);
    if (it == pods.end()) return {};
    const auto priority = pod.spec.priority.value_or(0);
    for (const auto& p : it->second)
      if (p.priority < priority && p.terminating_by_preemption)
        return "not eligible due to a terminating pod on the nominated node.";
  }
  return {};
}

}  // namespace

Preemption preempt(const models::Pod& pod, const std::vector<NodeState>& nodes, const Decision& failure,
                   const PodsByNode& pods, const ExtraFilter& extra) {
  Preemption out;
  if (auto why = not_eligible(pod, nodes, failure, pods); !why.empty()) {
    out.message = "preemption: " + why;
    return out;
  }
  const auto requests = models::pod_requests(pod.spec);
  const std::vector<BoundPod> none;
  std::vector<NodeStatus> verdicts(nodes.size());
  std::vector<Candidate> candidates;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (i >= failure.statuses.size() || !failure.statuses[i].resolvable) {
      verdicts[i] = {{kNotHelpful}, false};
      continue;
    }
    const auto& name = nodes[i].node->metadata.name;
    auto it = pods.find(name);
    Candidate c{name, {}};
    verdicts[i] = select_victims(pod, requests, nodes[i], it == pods.end() ? none : it->second, extra, c.victims);
    if (!verdicts[i].fits()) continue;
    if (c.victims.empty()) verdicts[i] = {{kNoVictims}, false};  // upstream: "expected at least one victim"
    else candidates.push_back(std::move(c));
  }
  if (candidates.empty()) {
    out.message = "preemption: " + nodes_unavailable(nodes.size(), verdicts);
    out.clear_nomination = true;
    return out;
  }
  const auto& best = pick(candidates);
  out.node = best.node;
  for (const auto& v : best.victims) out.victims.push_back(v.key);
  return out;
}

std::optional<std::vector<NodeState>> with_nominated(const models::Pod& pod, const std::vector<NodeState>& nodes,
                                                     const PodsByNode& nominated) {
  // Usually none: then a cycle need not look every node up (10,000 lookups a pod at scale).
  if (nominated.empty()) return std::nullopt;
  const auto key = pod.metadata.namespace_ + "/" + pod.metadata.name;
  const auto priority = pod.spec.priority.value_or(0);
  std::optional<std::vector<NodeState>> out;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    auto it = nominated.find(nodes[i].node->metadata.name);
    if (it == nominated.end()) continue;
    for (const auto& p : it->second) {
      if (p.key == key || p.priority < priority) continue;
      if (!out) out = nodes;
      put_back((*out)[i], p);
    }
  }
  return out;
}

std::string failed_scheduling_message(const Decision& failure, const Preemption& preemption) {
  // FitError appends each part as " <part>.", so a verdict ending in "." ends in ".." upstream too.
  if (preemption.message.empty()) return failure.message;
  return failure.message + " " + preemption.message + ".";
}

}  // namespace kvsim::sim::controllers::scheduler
