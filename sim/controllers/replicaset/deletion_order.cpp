#include "sim/controllers/replicaset/deletion_order.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>

#include "sim/controllers/replicaset/plan.hpp"

namespace kvsim::sim::controllers::replicaset {
namespace {

using models::Pod;

int phase_ordinal(const std::string& phase) {
  if (phase == "Unknown") return 1;
  if (phase == "Running") return 2;
  return 0;  // Pending, and anything else, as upstream's map lookup gives
}

std::optional<double> ready_since(const Pod& p) {
  if (!pod_is_ready(p)) return std::nullopt;
  const auto* c = models::find_condition(p.status.conditions, "Ready");
  if (!c->lastTransitionTime) return std::nullopt;
  return c->lastTransitionTime->seconds;
}

std::optional<double> created_at(const Pod& p) {
  if (!p.metadata.creationTimestamp) return std::nullopt;
  return p.metadata.creationTimestamp->seconds;
}

int max_restarts(const Pod& p) {
  int n = 0;
  for (const auto& c : p.status.containerStatuses) n = std::max(n, static_cast<int>(c.restartCount));
  return n;
}

// floor(log2(age in nanoseconds)), -1 when not in the past: upstream's logarithmic rank.
std::int64_t log_rank(double t, double now) {
  const double age_ns = (now - t) * 1e9;
  return age_ns > 0 ? static_cast<std::int64_t>(std::log2(age_ns)) : -1;
}

// Newer first, missing times first; equal log2 buckets fall back to UID order.
// Returns nullopt when the two compare equal and the next rule decides.
std::optional<bool> newer_first(const std::optional<double>& a, const std::optional<double>& b, const Pod& pa,
                                const Pod& pb, double now) {
  if (a == b) return std::nullopt;
  if (!a || !b) return !a;
  const auto diff = log_rank(*a, now) - log_rank(*b, now);
  if (diff == 0) return pa.metadata.uid < pb.metadata.uid;
  return diff < 0;
}

}  // namespace

std::int32_t deletion_cost(const models::Pod& p) {
  auto it = p.metadata.annotations.find("controller.kubernetes.io/pod-deletion-cost");
  if (it == p.metadata.annotations.end()) return 0;
  std::int32_t v = 0;
  const auto& s = it->second;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && ptr == s.data() + s.size() ? v : 0;
}

std::vector<const models::Pod*> pods_to_delete(std::vector<const models::Pod*> candidates,
                                               const std::vector<const models::Pod*>& related, int count,
                                               double now) {
  if (count <= 0) return {};
  if (count >= static_cast<int>(candidates.size())) return candidates;
  std::map<std::string, int> on_node;
  for (const auto* p : related.empty() ? candidates : related)
    if (pod_is_active(*p)) ++on_node[p->spec.nodeName];
  auto rank = [&](const Pod* p) {
    auto it = on_node.find(p->spec.nodeName);
    return it == on_node.end() ? 0 : it->second;
  };
  auto first = [&](const Pod* a, const Pod* b) {
    const bool ua = a->spec.nodeName.empty(), ub = b->spec.nodeName.empty();
    if (a->spec.nodeName != b->spec.nodeName && (ua || ub)) return ua;
    if (phase_ordinal(a->status.phase) != phase_ordinal(b->status.phase))
      return phase_ordinal(a->status.phase) < phase_ordinal(b->status.phase);
    if (pod_is_ready(*a) != pod_is_ready(*b)) return !pod_is_ready(*a);
    if (deletion_cost(*a) != deletion_cost(*b)) return deletion_cost(*a) < deletion_cost(*b);
    if (rank(a) != rank(b)) return rank(a) > rank(b);
    if (pod_is_ready(*a) && pod_is_ready(*b))
      if (auto r = newer_first(ready_since(*a), ready_since(*b), *a, *b, now)) return *r;
    if (max_restarts(*a) != max_restarts(*b)) return max_restarts(*a) > max_restarts(*b);
    if (auto r = newer_first(created_at(*a), created_at(*b), *a, *b, now)) return *r;
    return false;
  };
  // The candidates arrive sorted by name, so equal pods keep a deterministic order.
  std::stable_sort(candidates.begin(), candidates.end(), first);
  candidates.resize(static_cast<std::size_t>(count));
  return candidates;
}

}  // namespace kvsim::sim::controllers::replicaset
