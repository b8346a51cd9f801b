#include "sim/controllers/scheduler/plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>

#include "models/codec/encoder.hpp"

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

// A resource's amount in milli-units, 0 when absent. Read in place: the scheduler asks this for
// every node it examines (about 420 of 1,000 per pod), so it copies no Quantity.
std::int64_t milli_of(const models::ResourceList& list, const std::string& resource) {
  auto it = list.find(resource);
  return it == list.end() ? 0 : it->second.milli();
}

// a + b, held at the int64 bounds as Quantity's sums are.
std::int64_t saturating_add(std::int64_t a, std::int64_t b) {
  std::int64_t out = 0;
  if (!__builtin_add_overflow(a, b, &out)) return out;
  return b > 0 ? std::numeric_limits<std::int64_t>::max() : std::numeric_limits<std::int64_t>::min();
}

const std::string kCpu = "cpu", kMemory = "memory", kPods = "pods";

bool matches_node_selector_and_affinity(const models::Pod& pod, const models::Node& node) {
  for (const auto& [k, v] : pod.spec.nodeSelector) {
    auto it = node.metadata.labels.find(k);
    if (it == node.metadata.labels.end() || it->second != v) return false;
  }
  if (pod.spec.affinity && pod.spec.affinity->nodeAffinity &&
      pod.spec.affinity->nodeAffinity->requiredDuringSchedulingIgnoredDuringExecution) {
    // Terms are ORed; the expressions inside a term are ANDed.
    const auto& terms = pod.spec.affinity->nodeAffinity->requiredDuringSchedulingIgnoredDuringExecution->nodeSelectorTerms;
    return std::any_of(terms.begin(), terms.end(), [&](const auto& t) { return term_matches(t, node); });
  }
  return true;
}

// NodeResourcesFit's "least allocated" over cpu and memory, 0..100.
std::int64_t least_allocated(const Amounts& cap_of, const Amounts& used) {
  double total = 0;
  int counted = 0;
  for (const auto& [cap_milli, used_milli] : {std::pair{cap_of.cpu, used.cpu}, std::pair{cap_of.memory, used.memory}}) {
    const auto cap = static_cast<double>(cap_milli);
    if (cap <= 0) continue;
    total += std::max(0.0, (cap - static_cast<double>(used_milli)) * 100.0 / cap);
    ++counted;
  }
  return counted ? static_cast<std::int64_t>(total / counted) : 0;
}

// NodeResourcesBalancedAllocation: 100 when cpu and memory are equally used.
std::int64_t balanced_allocation(const Amounts& cap_of, const Amounts& used) {
  double fraction[2] = {0, 0};
  int i = 0;
  for (const auto& [cap_milli, used_milli] : {std::pair{cap_of.cpu, used.cpu}, std::pair{cap_of.memory, used.memory}}) {
    const auto cap = static_cast<double>(cap_milli);
    fraction[i++] = cap > 0 ? std::min(1.0, static_cast<double>(used_milli) / cap) : 1.0;
  }
  const double mean = (fraction[0] + fraction[1]) / 2;
  const double deviation = std::sqrt(((fraction[0] - mean) * (fraction[0] - mean) + (fraction[1] - mean) * (fraction[1] - mean)) / 2);
  return static_cast<std::int64_t>((1 - deviation) * 100);
}

// The filters that read only the pod's constraints and the node object.
NodeStatus constraint_filters(const models::Pod& pod, const models::Node& node) {
  // NodeUnschedulable: a cordoned node takes only pods tolerating its taint (DaemonSet pods do).
  if (node.spec.unschedulable.value_or(false) &&
      !tolerates(pod.spec.tolerations, {"node.kubernetes.io/unschedulable", "", "NoSchedule", std::nullopt}))
    return {{"node(s) were unschedulable"}, false};
  // TaintToleration: NoSchedule and NoExecute taints must be tolerated.
  for (const auto& taint : node.spec.taints) {
    if (taint.effect == "PreferNoSchedule") continue;
    if (!tolerates(pod.spec.tolerations, taint))
      return {{fmt::format("node(s) had untolerated taint {{{}: {}}}", taint.key, taint.value)}, false};
  }
  if (!matches_node_selector_and_affinity(pod, node)) return {{"node(s) didn't match Pod's node affinity/selector"}, false};
  return {};
}

NodeFacts node_facts(const models::Pod& pod, const models::ResourceList& requests, const models::Node& node) {
  NodeFacts f;
  f.constraints = constraint_filters(pod, node);
  const auto& allocatable = node.status.allocatable;
  const auto max_pods = allocatable.find(kPods);
  f.pod_room = max_pods == allocatable.end() ? 0 : max_pods->second.units_ceil();
  f.allocatable.reserve(requests.size());
  for (const auto& entry : requests) f.allocatable.push_back(milli_of(allocatable, entry.first));
  f.cpu = milli_of(allocatable, kCpu);
  f.memory = milli_of(allocatable, kMemory);
  return f;
}

// What the memo is keyed on besides the node: every pod field node_facts reads, as one token.
// Equal shapes get equal tokens (interned, so a memo hit compares two integers); there are as
// many as there are distinct pod templates, a handful.
std::uint64_t pod_shape(const models::Pod& pod, const models::ResourceList& requests) {
  std::string shape = models::encode_value(pod.spec.tolerations).dump();
  shape += models::encode_value(pod.spec.nodeSelector).dump();
  if (pod.spec.affinity && pod.spec.affinity->nodeAffinity)
    shape += models::encode_value(pod.spec.affinity->nodeAffinity->requiredDuringSchedulingIgnoredDuringExecution).dump();
  for (const auto& entry : requests) (shape += '\n') += entry.first;
  static std::unordered_map<std::string, std::uint64_t> tokens;
  return tokens.try_emplace(std::move(shape), tokens.size() + 1).first->second;
}

const NodeFacts& remembered_facts(const models::Pod& pod, const models::ResourceList& requests, std::uint64_t shape,
                                  const NodeState& state) {
  auto& memo = state.memo;
  if (memo.shape == shape && memo.node.is(*state.node)) return memo.facts;
  memo.facts = node_facts(pod, requests, *state.node);
  memo.node.remember(*state.node);
  memo.shape = shape;
  memo.requested_version = 0;  // the amounts were read for another shape's resources
  return memo.facts;
}

// What the node's pods already request of each resource in `requests`, in its order.
std::vector<std::int64_t> already_requested(const models::ResourceList& requests, const NodeState& state) {
  std::vector<std::int64_t> out;
  out.reserve(requests.size());
  // Both lists are sorted by name: one walk finds what the node already gives each resource.
  const auto& given = state.requested();
  auto it = given.begin();
  for (const auto& entry : requests) {
    while (it != given.end() && it->first < entry.first) ++it;
    out.push_back(it != given.end() && it->first == entry.first ? it->second.milli() : 0);
  }
  return out;
}

// The memo's amounts (remembered_facts() first: they are for its shape's resources).
const std::vector<std::int64_t>& remembered_already(const models::ResourceList& requests, const NodeState& state) {
  auto& memo = state.memo;
  if (memo.requested_version != state.requested_version()) {
    memo.already = already_requested(requests, state);
    memo.requested_version = state.requested_version();
  }
  return memo.already;
}

// Every filter, from the node's facts and the amounts its pods already request (`already`,
// aligned with `requests`): the constraints, NodeResourcesFit, then `extra`.
NodeStatus filter_with(const NodeFacts& facts, const std::vector<std::int64_t>& already,
                       const models::ResourceList& requests, const NodeState& state, const ExtraFilter& extra) {
  if (!facts.constraints.fits()) return facts.constraints;
  // NodeResourcesFit reports every resource that is short; freeing room on the node would help.
  NodeStatus fit{{}, true};
  if (state.pods + 1 > facts.pod_room) fit.reasons.push_back("Too many pods");
  std::size_t i = 0;
  for (const auto& [resource, want] : requests) {
    const std::int64_t allocatable = facts.allocatable[i];
    const std::int64_t given = already[i++];
    if (want.milli() == 0) continue;
    if (saturating_add(given, want.milli()) > allocatable) fit.reasons.push_back("Insufficient " + resource);
  }
  if (!fit.fits() || !extra) return fit;
  return extra(*state.node);
}

// NodeAffinity's PreFilter (upstream's PreFilterResult): when every term of the pod's required
// node affinity names nodes with `matchFields: metadata.name In [...]`, as the DaemonSet
// controller pins its pods, only those nodes are candidates, so a daemon pod costs one node, not
// all of them. Names are intersected within a term (ANDed) and united across terms (ORed).
// nullopt: every node is a candidate; an empty set: the terms conflict.
std::optional<std::set<std::string>> named_nodes(const models::Pod& pod) {
  if (!pod.spec.affinity || !pod.spec.affinity->nodeAffinity ||
      !pod.spec.affinity->nodeAffinity->requiredDuringSchedulingIgnoredDuringExecution)
    return std::nullopt;
  const auto& terms = pod.spec.affinity->nodeAffinity->requiredDuringSchedulingIgnoredDuringExecution->nodeSelectorTerms;
  if (terms.empty()) return std::nullopt;
  std::set<std::string> names;
  for (const auto& term : terms) {
    std::optional<std::set<std::string>> in_term;
    for (const auto& r : term.matchFields) {
      if (r.key != "metadata.name" || r.op != "In") continue;
      std::set<std::string> values(r.values.begin(), r.values.end());
      if (in_term) std::erase_if(*in_term, [&](const std::string& n) { return !values.contains(n); });
      else in_term = std::move(values);
    }
    if (!in_term) return std::nullopt;  // this term admits nodes of any name
    names.merge(*in_term);
  }
  return names;
}

// The candidates' indexes in `nodes`, in its order (upstream walks a Go set: any order).
std::vector<std::size_t> slots_of(const std::set<std::string>& names, const std::vector<NodeState>& nodes,
                                  const NodeSlots* slots) {
  std::vector<std::size_t> out;
  if (slots) {
    for (const auto& n : names)
      if (auto it = slots->find(n); it != slots->end() && it->second < nodes.size()) out.push_back(it->second);
    std::sort(out.begin(), out.end());
  } else {
    for (std::size_t i = 0; i < nodes.size(); ++i)
      if (names.contains(nodes[i].node->metadata.name)) out.push_back(i);
  }
  return out;
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

NodeStatus filter_node(const models::Pod& pod, const models::ResourceList& requests, const NodeState& state,
                       const ExtraFilter& extra) {
  return filter_with(node_facts(pod, requests, *state.node), already_requested(requests, state), requests, state, extra);
}

std::vector<std::string> filter_reasons(const models::Pod& pod, const models::ResourceList& requests,
                                        const NodeState& state) {
  return filter_node(pod, requests, state).reasons;
}

Decision prefilter_rejection(std::size_t nodes, const std::string& reason) {
  Decision d;
  d.message = fmt::format("0/{} nodes are available: {}.", nodes, reason);
  // Upstream gives every node the PreFilter's status (UnschedulableAndUnresolvable
  // for VolumeBinding's), so preemption finds nothing to try.
  d.statuses.assign(nodes, NodeStatus{{reason}, false});
  return d;
}

std::string nodes_unavailable(std::size_t all_nodes, const std::vector<NodeStatus>& statuses) {
  std::map<std::string, int> counts;
  for (const auto& s : statuses)
    for (const auto& why : s.reasons) ++counts[why];
  std::vector<std::string> parts;
  for (const auto& [why, n] : counts) parts.push_back(fmt::format("{} {}", n, why));
  std::sort(parts.begin(), parts.end());  // as strings, counts included, as upstream's sort.Strings
  std::string out = fmt::format("0/{} nodes are available", all_nodes);
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? ", " : ": ") + parts[i];
  return out + ".";
}

std::size_t feasible_nodes_to_find(std::size_t all_nodes) {
  if (all_nodes < 100) return all_nodes;
  std::size_t percentage = 50 > all_nodes / 125 ? 50 - all_nodes / 125 : 0;
  percentage = std::max<std::size_t>(percentage, 5);
  return std::max<std::size_t>(all_nodes * percentage / 100, 100);
}

std::int64_t node_affinity_score(const models::Pod& pod, const models::Node& node) {
  if (!pod.spec.affinity || !pod.spec.affinity->nodeAffinity) return 0;
  std::int64_t sum = 0;
  for (const auto& t : pod.spec.affinity->nodeAffinity->preferredDuringSchedulingIgnoredDuringExecution)
    if (term_matches(t.preference, node)) sum += t.weight;
  return sum;
}

std::int64_t intolerable_prefer_no_schedule(const models::Pod& pod, const models::Node& node) {
  std::int64_t count = 0;
  for (const auto& taint : node.spec.taints)
    if (taint.effect == "PreferNoSchedule" && !tolerates(pod.spec.tolerations, taint)) ++count;
  return count;
}

Amounts cpu_and_memory(const models::ResourceList& list) { return {milli_of(list, kCpu), milli_of(list, kMemory)}; }

void NodeState::set_requested(models::ResourceList requested) {
  requested_ = std::move(requested);
  ++requested_version_;
}

void NodeState::add_requests(const models::ResourceList& requests, int sign) {
  for (const auto& [resource, q] : requests) sign > 0 ? requested_[resource] += q : requested_[resource] -= q;
  ++requested_version_;
}

models::ResourceList nonzero_requests(const models::PodSpec& spec) {
  auto requests = models::pod_requests(spec);
  if (milli_of(requests, kCpu) == 0) requests[kCpu] = *models::Quantity::parse("100m");
  if (milli_of(requests, kMemory) == 0) requests[kMemory] = *models::Quantity::parse("200Mi");
  return requests;
}

Decision schedule(const models::Pod& pod, const std::vector<NodeState>& nodes, engine::Rng& rng,
                  const ExtraFilter& extra, std::size_t start, const NodeSlots* slots) {
  Decision out;
  if (nodes.empty()) {
    out.message = "0/0 nodes are available: no nodes available to schedule pods.";
    return out;
  }
  const auto named = named_nodes(pod);
  if (named && named->empty()) return prefilter_rejection(nodes.size(), "pod affinity terms conflict");
  // The candidates: every node, or the ones the pod names (their indexes in `nodes`).
  const std::vector<std::size_t> named_slots = named ? slots_of(*named, nodes, slots) : std::vector<std::size_t>{};
  const std::size_t candidates = named ? named_slots.size() : nodes.size();
  const auto slot = [&](std::size_t c) { return named ? named_slots[c] : c; };
  const auto requests = models::pod_requests(pod.spec);
  const auto shape = pod_shape(pod, requests);
  const std::size_t want = feasible_nodes_to_find(candidates);
  // The verdicts of the nodes that rejected the pod, by index: a cycle that finds room costs the
  // nodes it examined, not one status per node of the cluster.
  std::vector<std::pair<std::size_t, NodeStatus>> rejected;
  struct Feasible {
    const NodeState* state;
    const NodeFacts* facts;  // this cycle's, in the node's memo
  };
  std::vector<Feasible> feasible;
  feasible.reserve(std::min(want, candidates));
  std::size_t examined = 0;
  // Upstream starts at nextStartNodeIndex modulo the candidates, and moves it on by the nodes it
  // processed, modulo all nodes.
  const std::size_t first = candidates ? start % candidates : 0;
  for (; examined < candidates && feasible.size() < want; ++examined) {
    const std::size_t i = slot((first + examined) % candidates);
    const NodeFacts& facts = remembered_facts(pod, requests, shape, nodes[i]);
    auto status = filter_with(facts, remembered_already(requests, nodes[i]), requests, nodes[i], extra);
    if (status.fits()) feasible.push_back({&nodes[i], &facts});
    else rejected.emplace_back(i, std::move(status));
  }
  out.next_start = (start + examined) % nodes.size();
  if (feasible.empty()) {
    // Every candidate was examined and rejected the pod: upstream's FitError. The nodes the
    // PreFilter left out share one status (UnschedulableAndUnresolvable).
    const NodeStatus left_out{{"node(s) didn't satisfy plugin(s) [NodeAffinity]"}, false};
    std::vector<NodeStatus> statuses(nodes.size(), named ? left_out : NodeStatus{});
    for (auto& [i, status] : rejected) statuses[i] = std::move(status);
    out.message = nodes_unavailable(nodes.size(), statuses);
    out.statuses = std::move(statuses);
    return out;
  }
  // Default plugin weights: TaintToleration 3, NodeAffinity 2, NodeResourcesFit 1,
  // NodeResourcesBalancedAllocation 1; the first two normalised to 0..100 over the feasible nodes.
  const auto scoring_requests = nonzero_requests(pod.spec);
  const Amounts scoring = cpu_and_memory(scoring_requests);
  std::vector<std::int64_t> affinity(feasible.size()), taints(feasible.size());
  std::int64_t max_affinity = 0, max_taints = 0;
  for (std::size_t i = 0; i < feasible.size(); ++i) {
    affinity[i] = node_affinity_score(pod, *feasible[i].state->node);
    taints[i] = intolerable_prefer_no_schedule(pod, *feasible[i].state->node);
    max_affinity = std::max(max_affinity, affinity[i]);
    max_taints = std::max(max_taints, taints[i]);
  }
  std::int64_t best = -1;
  std::uint64_t ties = 0;
  for (std::size_t i = 0; i < feasible.size(); ++i) {
    const std::int64_t affinity_norm = max_affinity ? affinity[i] * 100 / max_affinity : 0;
    const std::int64_t taint_norm = max_taints ? 100 - taints[i] * 100 / max_taints : 100;
    const auto& [state, facts] = feasible[i];
    const Amounts cap{facts->cpu, facts->memory};
    const Amounts used{state->nonzero_requested.cpu + scoring.cpu, state->nonzero_requested.memory + scoring.memory};
    const std::int64_t score =
        3 * taint_norm + 2 * affinity_norm + least_allocated(cap, used) + balanced_allocation(cap, used);
    // Reservoir sampling among the best, as upstream's selectHost does.
    if (score > best) {
      best = score;
      out.node = state->node->metadata.name;
      ties = 1;
    } else if (score == best && rng.below(++ties) == 0) {
      out.node = state->node->metadata.name;
    }
  }
  return out;
}

}  // namespace kvsim::sim::controllers::scheduler
