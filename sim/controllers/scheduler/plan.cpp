#include "sim/controllers/scheduler/plan.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace kvsim::sim::controllers::scheduler {
namespace {

bool term_matches(const models::NodeSelectorTerm& term, const models::Node& node) {
  for (const auto& r : term.matchExpressions)
    if (!models::requirement_matches(r, node.metadata.labels)) return false;
  for (const auto& r : term.matchFields) {
    const models::Labels fields{{"metadata.name", node.metadata.name}};
    if (!models::requirement_matches(r, fields)) return false;
  }
  return !(term.matchExpressions.empty() && term.matchFields.empty());
}

models::Quantity allocatable(const models::Node& node, const std::string& resource) {
  auto it = node.status.allocatable.find(resource);
  return it == node.status.allocatable.end() ? models::Quantity() : it->second;
}

}  // namespace

bool tolerates(const std::vector<models::Toleration>& tolerations, const models::Taint& taint) {
  for (const auto& t : tolerations) {
    if (!t.effect.empty() && t.effect != taint.effect) continue;
    if (t.key.empty() && t.op == "Exists") return true;
    if (t.key != taint.key) continue;
    if (t.op == "Exists" || t.value == taint.value) return true;
  }
  return false;
}

std::string filter_reason(const models::Pod& pod, const models::ResourceList& requests, const NodeState& state) {
  const auto& node = *state.node;
  if (node.spec.unschedulable.value_or(false)) return "node(s) were unschedulable";
  for (const auto& taint : node.spec.taints) {
    if (taint.effect == "PreferNoSchedule") continue;
    if (!tolerates(pod.spec.tolerations, taint))
      return fmt::format("node(s) had untolerated taint {{{}: {}}}", taint.key, taint.value);
  }
  for (const auto& [k, v] : pod.spec.nodeSelector) {
    auto it = node.metadata.labels.find(k);
    if (it == node.metadata.labels.end() || it->second != v) return "node(s) didn't match Pod's node affinity/selector";
  }
  if (pod.spec.affinity && pod.spec.affinity->nodeAffinity &&
      pod.spec.affinity->nodeAffinity->requiredDuringSchedulingIgnoredDuringExecution) {
    const auto& terms = pod.spec.affinity->nodeAffinity->requiredDuringSchedulingIgnoredDuringExecution->nodeSelectorTerms;
    if (std::none_of(terms.begin(), terms.end(), [&](const auto& t) { return term_matches(t, node); }))
      return "node(s) didn't match Pod's node affinity/selector";
  }
  if (state.pods + 1 > allocatable(node, "pods").units_ceil()) return "Too many pods";
  for (const auto& [resource, want] : requests) {
    auto used = state.requested.count(resource) ? state.requested.at(resource) : models::Quantity();
    used += want;
    if (used > allocatable(node, resource)) return "Insufficient " + resource;
  }
  return {};
}

Decision schedule(const models::Pod& pod, const std::vector<NodeState>& nodes, engine::Rng& rng,
                  const ExtraFilter& extra) {
  const auto requests = models::pod_requests(pod.spec);
  std::map<std::string, int> reasons;
  std::vector<const NodeState*> feasible;
  for (const auto& n : nodes) {
    auto why = filter_reason(pod, requests, n);
    if (why.empty() && extra) why = extra(*n.node);
    if (why.empty()) feasible.push_back(&n);
    else ++reasons[why];
  }
  if (feasible.empty()) {
    // Upstream sorts the "<count> <reason>" strings: "0/6 nodes are available:
    // 3 Insufficient memory, 3 node(s) had untolerated taint {...}."
    std::vector<std::string> parts;
    for (const auto& [why, n] : reasons) parts.push_back(fmt::format("{} {}", n, why));
    std::sort(parts.begin(), parts.end());
    std::string msg = fmt::format("0/{} nodes are available", nodes.size());
    for (std::size_t i = 0; i < parts.size(); ++i) msg += (i ? ", " : ": ") + parts[i];
    msg += ".";
    return {{}, msg};
  }
  // NodeResourcesFit (LeastAllocated) over cpu and memory, 0..100.
  auto score = [&](const NodeState& n) {
    double total = 0;
    int counted = 0;
    for (const char* r : {"cpu", "memory"}) {
      const auto cap = static_cast<double>(allocatable(*n.node, r).milli());
      if (cap <= 0) continue;
      double used = n.requested.count(r) ? static_cast<double>(n.requested.at(r).milli()) : 0;
      if (requests.count(r)) used += static_cast<double>(requests.at(r).milli());
      total += std::max(0.0, (cap - used) * 100.0 / cap);
      ++counted;
    }
    return counted ? static_cast<std::int64_t>(total / counted) : 0;
  };
  // Reservoir sampling among the best, as upstream's selectHost does.
  std::int64_t best = -1;
  std::uint64_t seen = 0;
  const NodeState* chosen = nullptr;
  for (const NodeState* n : feasible) {
    const auto s = score(*n);
    if (s > best) {
      best = s;
      chosen = n;
      seen = 1;
    } else if (s == best && rng.below(++seen) == 0) {
      chosen = n;
    }
  }
  return {chosen->node->metadata.name, {}};
}

}  // namespace kvsim::sim::controllers::scheduler
