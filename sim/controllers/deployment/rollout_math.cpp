#include "sim/controllers/deployment/rollout_math.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

namespace kvsim::sim::controllers::deployment {
namespace {

std::optional<std::int64_t> parse_int(const std::string& s) {
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

std::pair<std::int32_t, std::int32_t> fenceposts(const models::Deployment& d) {
  const auto desired = replicas_of(d);
  const auto& ru = d.spec.strategy.rollingUpdate;
  const auto surge_spec = ru && ru->maxSurge ? *ru->maxSurge : models::IntOrString::of("25%");
  const auto unavailable_spec = ru && ru->maxUnavailable ? *ru->maxUnavailable : models::IntOrString::of("25%");
  auto surge = static_cast<std::int32_t>(surge_spec.scaled(desired, true).value_or(0));
  auto unavailable = static_cast<std::int32_t>(unavailable_spec.scaled(desired, false).value_or(0));
  // Validation refuses 0/0; rounding down can still get there: assume surge is non-zero.
  if (surge == 0 && unavailable == 0) unavailable = 1;
  return {surge, unavailable};
}

// Annotations the Deployment keeps for itself and never copies to its ReplicaSets.
bool skip_copy(const std::string& key) {
  static const std::set<std::string> skip = {models::kLastAppliedAnnotation, kRevisionAnnotation, kRevisionHistoryAnnotation,
                                             kDesiredReplicasAnnotation, kMaxReplicasAnnotation,
                                             "deprecated.deployment.rollback.to"};
  return skip.contains(key);
}

}  // namespace

std::int32_t replicas_of(const models::Deployment& d) { return d.spec.replicas.value_or(1); }
std::int32_t replicas_of(const models::ReplicaSet& rs) { return rs.spec.replicas.value_or(1); }
bool is_rolling_update(const models::Deployment& d) { return d.spec.strategy.type != "Recreate"; }

std::int32_t max_surge(const models::Deployment& d) {
  if (!is_rolling_update(d)) return 0;
  return fenceposts(d).first;
}

std::int32_t max_unavailable(const models::Deployment& d) {
  if (!is_rolling_update(d) || replicas_of(d) == 0) return 0;
  return std::min(fenceposts(d).second, replicas_of(d));
}

std::int32_t spec_replicas_sum(const RSList& rss) {
  std::int32_t n = 0;
  for (const auto* rs : rss) n += replicas_of(*rs);
  return n;
}
std::int32_t status_replicas_sum(const RSList& rss) {
  std::int32_t n = 0;
  for (const auto* rs : rss) n += rs->status.replicas;
  return n;
}
std::int32_t ready_replicas_sum(const RSList& rss) {
  std::int32_t n = 0;
  for (const auto* rs : rss) n += rs->status.readyReplicas;
  return n;
}
std::int32_t available_replicas_sum(const RSList& rss) {
  std::int32_t n = 0;
  for (const auto* rs : rss) n += rs->status.availableReplicas;
  return n;
}
RSList active_only(const RSList& rss) {
  RSList out;
  for (const auto* rs : rss)
    if (rs && replicas_of(*rs) > 0) out.push_back(rs);
  return out;
}

std::int32_t new_rs_new_replicas(const models::Deployment& d, const RSList& all, const models::ReplicaSet& new_rs) {
  if (!is_rolling_update(d)) return replicas_of(d);
  const std::int32_t max_total = replicas_of(d) + max_surge(d);
  const std::int32_t current = spec_replicas_sum(all);
  if (current >= max_total) return replicas_of(new_rs);
  const std::int32_t up = std::min(max_total - current, replicas_of(d) - replicas_of(new_rs));
  return replicas_of(new_rs) + up;
}

std::optional<std::int64_t> revision_of(const models::Object& o) {
  auto it = o.metadata.annotations.find(kRevisionAnnotation);
  if (it == o.metadata.annotations.end()) return std::nullopt;
  return parse_int(it->second);
}

std::int64_t max_revision(const RSList& rss) {
  std::int64_t max = 0;
  for (const auto* rs : rss)
    if (auto v = revision_of(*rs)) max = std::max(max, *v);
  return max;
}

std::optional<std::int32_t> desired_replicas_annotation(const models::ReplicaSet& rs) {
  auto it = rs.metadata.annotations.find(kDesiredReplicasAnnotation);
  if (it == rs.metadata.annotations.end()) return std::nullopt;
  auto v = parse_int(it->second);
  return v ? std::optional<std::int32_t>(static_cast<std::int32_t>(*v)) : std::nullopt;
}

bool set_replicas_annotations(models::ReplicaSet& rs, std::int32_t desired, std::int32_t max) {
  auto& a = rs.metadata.annotations;
  const auto ds = std::to_string(desired), ms = std::to_string(max);
  if (a[kDesiredReplicasAnnotation] == ds && a[kMaxReplicasAnnotation] == ms) return false;
  a[kDesiredReplicasAnnotation] = ds;
  a[kMaxReplicasAnnotation] = ms;
  return true;
}

bool set_new_rs_annotations(const models::Deployment& d, models::ReplicaSet& rs, std::int64_t new_revision,
                            bool exists) {
  bool changed = false;
  auto& a = rs.metadata.annotations;
  for (const auto& [k, v] : d.metadata.annotations) {
    if (skip_copy(k)) continue;
    auto it = a.find(k);
    if (it != a.end() && it->second == v) continue;
    a[k] = v;
    changed = true;
  }
  const auto had = a.find(kRevisionAnnotation);
  const bool had_revision = had != a.end();
  const std::string old_text = had_revision ? had->second : std::string();
  std::int64_t old_revision = 0;
  if (had_revision) {
    auto parsed = parse_int(old_text);
    if (!parsed) return changed;  // upstream leaves a non-numeric revision alone
    old_revision = *parsed;
  }
  if (old_revision < new_revision) {
    a[kRevisionAnnotation] = std::to_string(new_revision);
    changed = true;
    // A ReplicaSet taking a newer revision is being rolled back to: remember its old ones.
    if (had_revision) {
      std::string history = a.count(kRevisionHistoryAnnotation) ? a[kRevisionHistoryAnnotation] : "";
      if (history.empty()) {
        history = old_text;
      } else {
        history += "," + old_text;
        while (history.size() > kMaxRevisionHistoryChars && history.find(',') != std::string::npos)
          history.erase(0, history.find(',') + 1);
      }
      if (history.size() <= kMaxRevisionHistoryChars) a[kRevisionHistoryAnnotation] = history;
    }
  }
  if (!exists && set_replicas_annotations(rs, replicas_of(d), replicas_of(d) + max_surge(d))) changed = true;
  return changed;
}

std::int32_t proportion(const models::ReplicaSet& rs, const models::Deployment& d, std::int32_t to_add,
                        std::int32_t added) {
  if (replicas_of(rs) == 0 || to_add == 0 || to_add == added) return 0;
  std::int32_t fraction = 0;
  if (replicas_of(d) == 0) {
    fraction = -replicas_of(rs);
  } else {
    const std::int32_t max_now = replicas_of(d) + max_surge(d);
    std::int32_t max_before = d.status.replicas;
    if (auto it = rs.metadata.annotations.find(kMaxReplicasAnnotation); it != rs.metadata.annotations.end())
      if (auto v = parse_int(it->second); v && *v != 0) max_before = static_cast<std::int32_t>(*v);
    if (max_before == 0) max_before = 1;  // nothing to scale from: avoid a division by zero
    const double size = static_cast<double>(replicas_of(rs)) * max_now / max_before;
    fraction = static_cast<std::int32_t>(std::lround(size)) - replicas_of(rs);
  }
  const std::int32_t allowed = to_add - added;
  return to_add > 0 ? std::min(fraction, allowed) : std::max(fraction, allowed);
}

const models::ReplicaSet* active_or_latest(const models::ReplicaSet* new_rs, RSList old_rss) {
  if (!new_rs && old_rss.empty()) return nullptr;
  std::sort(old_rss.begin(), old_rss.end(), [](const auto* a, const auto* b) { return older(b, a); });
  RSList all = old_rss;
  if (new_rs) all.push_back(new_rs);
  const auto active = active_only(all);
  if (active.size() == 1) return active[0];
  if (active.empty()) return new_rs ? new_rs : old_rss[0];
  return nullptr;
}

bool is_saturated(const models::Deployment& d, const models::ReplicaSet* rs) {
  if (!rs) return false;
  const auto desired = desired_replicas_annotation(*rs);
  return desired && replicas_of(*rs) == replicas_of(d) && *desired == replicas_of(d) &&
         rs->status.availableReplicas == replicas_of(d);
}

bool older(const models::ReplicaSet* a, const models::ReplicaSet* b) {
  const double ta = a->metadata.creationTimestamp ? a->metadata.creationTimestamp->seconds : 0;
  const double tb = b->metadata.creationTimestamp ? b->metadata.creationTimestamp->seconds : 0;
  if (ta != tb) return ta < tb;
  return a->metadata.name < b->metadata.name;
}

}  // namespace kvsim::sim::controllers::deployment
