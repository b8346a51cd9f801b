#include "sim/controllers/deployment/plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "sim/controllers/deployment/status.hpp"
#include "sim/controllers/deployment/template_hash.hpp"

namespace kvsim::sim::controllers::deployment {
namespace {

using models::ReplicaSet;

// One sync of one Deployment over working copies of its ReplicaSets. Each step
// follows upstream's function of the same purpose; writes are recorded, not made.
class Sync {
 public:
  Sync(const models::Deployment& d, const Observed& seen) : d_(d), seen_(seen) {
    for (const auto& rs : seen.replicasets) rss_.push_back(std::make_unique<ReplicaSet>(rs));
    std::sort(rss_.begin(), rss_.end(), [](const auto& a, const auto& b) { return older(a.get(), b.get()); });
    conditions_ = d.status.conditions;
    annotations_ = d.metadata.annotations;
  }

  Plan run() {
    if (d_.metadata.being_deleted()) {
      find_new(false);
      return finish(false);
    }
    paused_conditions();
    if (d_.spec.paused.value_or(false) || scaling_event()) {
      find_new(false);
      scale();
      if (d_.spec.paused.value_or(false)) cleanup();
      return finish(false);
    }
    if (d_.spec.strategy.type == "Recreate") recreate();
    else rolling();
    return finish(true);
  }

 private:
  RSList olds() const {
    RSList out;
    for (const auto& rs : rss_)
      if (rs.get() != new_rs_) out.push_back(rs.get());
    return out;
  }
  RSList all() const {
    auto out = olds();
    if (new_rs_) out.push_back(new_rs_);
    return out;
  }
  ReplicaSet& mutable_rs(const ReplicaSet* rs) {
    for (auto& r : rss_)
      if (r.get() == rs) return *r;
    throw std::logic_error("unknown ReplicaSet");
  }

  void record(ReplicaSetWrite::Kind kind, const ReplicaSet& rs, std::string why) {
    for (auto& w : out_.writes)
      if (w.rs.metadata.name == rs.metadata.name && w.kind != ReplicaSetWrite::Kind::Delete) {
        w.rs = rs;  // a second change to a ReplicaSet written this sync: one write of the latest state
        w.why += "; " + why;
        return;
      }
    out_.writes.push_back({kind, rs, std::move(why)});
  }

  // getAllReplicaSetsAndSyncRevision + getNewReplicaSet: the ReplicaSet whose
  // template is the Deployment's (oldest first) gets revision max(old)+1;
  // without one, `create` makes it.
  void find_new(bool create) {
    if (!new_rs_) {
      for (const auto& rs : rss_)
        if (equal_ignore_hash(rs->spec.template_, d_.spec.template_)) {
          new_rs_ = rs.get();
          break;
        }
    }
    const std::int64_t new_revision = max_revision(olds()) + 1;
    const bool deadline = d_.spec.progressDeadlineSeconds.has_value();
    if (new_rs_) {
      auto& rs = mutable_rs(new_rs_);
      ReplicaSet copy = rs;
      const bool annotations = set_new_rs_annotations(d_, copy, new_revision, true);
      if (annotations || copy.spec.minReadySeconds != d_.spec.minReadySeconds) {
        copy.spec.minReadySeconds = d_.spec.minReadySeconds;
        rs = copy;
        record(ReplicaSetWrite::Kind::Update, rs,
               fmt::format("template of Deployment {} (revision {})", d_.metadata.name,
                           rs.metadata.annotations[kRevisionAnnotation]));
      }
      if (auto it = rs.metadata.annotations.find(kRevisionAnnotation); it != rs.metadata.annotations.end())
        annotations_[kRevisionAnnotation] = it->second;
      if (deadline && !models::find_condition(conditions_, "Progressing"))
        set_deployment_condition(conditions_,
                                 deployment_condition("Progressing", "True", kFoundNewRSReason,
                                                      fmt::format("Found new replica set \"{}\"", rs.metadata.name),
                                                      seen_.now));
      return;
    }
    if (!create) return;
    auto rs = std::make_unique<ReplicaSet>();
    rs->apiVersion = "apps/v1";
    rs->kind = "ReplicaSet";
    const std::string hash = free_hash();
    rs->metadata.name = d_.metadata.name + "-" + hash;
    rs->metadata.namespace_ = d_.metadata.namespace_;
    rs->metadata.ownerReferences = {{"apps/v1", "Deployment", d_.metadata.name, d_.metadata.uid, true, true}};
    rs->spec.template_ = d_.spec.template_;
    rs->spec.template_.metadata.labels[kPodTemplateHashLabel] = hash;
    rs->metadata.labels = rs->spec.template_.metadata.labels;
    rs->spec.selector = d_.spec.selector;
    rs->spec.selector->matchLabels[kPodTemplateHashLabel] = hash;
    rs->spec.minReadySeconds = d_.spec.minReadySeconds;
    rs->spec.replicas = 0;
    auto all_with_new = olds();
    all_with_new.push_back(rs.get());
    rs->spec.replicas = new_rs_new_replicas(d_, all_with_new, *rs);
    set_new_rs_annotations(d_, *rs, new_revision, false);
    new_rs_ = rs.get();
    rss_.push_back(std::move(rs));
    const auto& created = *new_rs_;
    record(ReplicaSetWrite::Kind::Create, created,
           fmt::format("new template of Deployment {} (revision {})", d_.metadata.name, new_revision));
    if (replicas_of(created) > 0)
      out_.events.emplace_back("ScalingReplicaSet", fmt::format("Scaled up replica set {} from 0 to {}",
                                                                created.metadata.name, replicas_of(created)));
    annotations_[kRevisionAnnotation] = std::to_string(new_revision);
    if (deadline)
      set_deployment_condition(conditions_,
                               deployment_condition("Progressing", "True", kNewRSReason,
                                                    fmt::format("Created new replica set \"{}\"", created.metadata.name),
                                                    seen_.now));
  }

  // The template hash, bumped by a collision count while `<name>-<hash>` is
  // taken by a ReplicaSet that is not this Deployment's.
  std::string free_hash() const {
    std::string hash = template_hash(d_.spec.template_);
    for (std::int32_t count = 1; seen_foreign(d_.metadata.name + "-" + hash) && count < 100; ++count)
      hash = template_hash(d_.spec.template_, count);
    return hash;
  }
  bool seen_foreign(const std::string& name) const {
    for (const auto& rs : rss_)
      if (rs->metadata.name == name) return true;  // ours, but with another template
    return std::find(seen_.foreign_names.begin(), seen_.foreign_names.end(), name) != seen_.foreign_names.end();
  }

  // scaleReplicaSet: the size and the replica annotations; an event when the size moves.
  bool scale_rs(const ReplicaSet* target, std::int32_t n, const char* direction = nullptr) {
    auto& rs = mutable_rs(target);
    const std::int32_t from = replicas_of(rs);
    ReplicaSet copy = rs;
    const bool annotations = set_replicas_annotations(copy, replicas_of(d_), replicas_of(d_) + max_surge(d_));
    if (from == n && !annotations) return false;
    copy.spec.replicas = n;
    rs = copy;
    const std::string op = direction ? direction : (from < n ? "up" : "down");
    record(ReplicaSetWrite::Kind::Update, rs,
           from == n ? fmt::format("Deployment {} wants {} replicas", d_.metadata.name, replicas_of(d_))
                     : fmt::format("scaled {} from {} to {} by Deployment {}", op, from, n, d_.metadata.name));
    if (from == n) return false;
    out_.events.emplace_back("ScalingReplicaSet",
                             fmt::format("Scaled {} replica set {} from {} to {}", op, rs.metadata.name, from, n));
    return true;
  }
  // scaleReplicaSetAndRecordEvent: nothing at all when the size is right.
  bool scale_to(const ReplicaSet* rs, std::int32_t n) { return replicas_of(*rs) != n && scale_rs(rs, n); }

  bool scaling_event() {
    find_new(false);
    for (const auto* rs : active_only(all()))
      if (auto desired = desired_replicas_annotation(*rs); desired && *desired != replicas_of(d_)) return true;
    return false;
  }

  // Upstream `scale`: one active ReplicaSet takes the new size; a saturated new
  // one means the old go to 0; otherwise a rolling Deployment shares the change
  // out in proportion to each ReplicaSet's size.
  void scale() {
    if (const auto* only = active_or_latest(new_rs_, olds())) {
      scale_to(only, replicas_of(d_));
      return;
    }
    if (is_saturated(d_, new_rs_)) {
      for (const auto* old : active_only(olds())) scale_to(old, 0);
      return;
    }
    if (!is_rolling_update(d_)) return;
    auto active = active_only(all());
    const std::int32_t allowed = replicas_of(d_) > 0 ? replicas_of(d_) + max_surge(d_) : 0;
    const std::int32_t to_add = allowed - spec_replicas_sum(active);
    const char* op = nullptr;
    if (to_add > 0) {
      op = "up";  // larger first; equal sizes: the newer grows first
      std::sort(active.begin(), active.end(), [](const auto* a, const auto* b) {
        return replicas_of(*a) != replicas_of(*b) ? replicas_of(*a) > replicas_of(*b) : older(b, a);
      });
    } else if (to_add < 0) {
      op = "down";  // larger first; equal sizes: the older shrinks first
      std::sort(active.begin(), active.end(), [](const auto* a, const auto* b) {
        return replicas_of(*a) != replicas_of(*b) ? replicas_of(*a) > replicas_of(*b) : older(a, b);
      });
    }
    std::int32_t added = 0;
    std::vector<std::int32_t> sizes;
    for (const auto* rs : active) {
      const std::int32_t share = to_add != 0 ? proportion(*rs, d_, to_add, added) : 0;
      sizes.push_back(replicas_of(*rs) + share);
      added += share;
    }
    for (std::size_t i = 0; i < active.size(); ++i) {
      // The largest takes what rounding left over.
      if (i == 0 && to_add != 0) sizes[0] = std::max(0, sizes[0] + to_add - added);
      scale_rs(active[i], sizes[i], op ? op : "up");
    }
  }

  void cleanup() {
    if (!d_.spec.revisionHistoryLimit) return;
    RSList cleanable;
    for (const auto* rs : olds())
      if (!rs->metadata.being_deleted()) cleanable.push_back(rs);
    const auto diff = static_cast<std::int64_t>(cleanable.size()) - *d_.spec.revisionHistoryLimit;
    if (diff <= 0) return;
    std::sort(cleanable.begin(), cleanable.end(), [](const auto* a, const auto* b) {
      const auto ra = revision_of(*a).value_or(0), rb = revision_of(*b).value_or(0);
      return ra != rb ? ra < rb : older(a, b);
    });
    for (std::int64_t i = 0; i < diff; ++i) {
      const auto* rs = cleanable[static_cast<std::size_t>(i)];
      if (rs->status.replicas != 0 || replicas_of(*rs) != 0 ||
          rs->metadata.generation > rs->status.observedGeneration)
        continue;
      out_.writes.push_back({ReplicaSetWrite::Kind::Delete, *rs,
                             fmt::format("beyond revisionHistoryLimit {} of Deployment {}",
                                         *d_.spec.revisionHistoryLimit, d_.metadata.name)});
    }
  }

  void paused_conditions() {
    if (!d_.spec.progressDeadlineSeconds) return;
    const auto* c = models::find_condition(conditions_, "Progressing");
    if (c && c->reason == kTimedOutReason) return;
    const bool paused = d_.spec.paused.value_or(false);
    const bool marked = c && c->reason == kPausedReason;
    if (paused && !marked)
      set_deployment_condition(conditions_, deployment_condition("Progressing", "Unknown", kPausedReason,
                                                                 "Deployment is paused", seen_.now));
    else if (!paused && marked)
      set_deployment_condition(conditions_, deployment_condition("Progressing", "Unknown", kResumedReason,
                                                                 "Deployment is resumed", seen_.now));
  }

  // ---- RollingUpdate (upstream rolling.go)
  void rolling() {
    find_new(true);
    if (reconcile_new()) return;
    if (reconcile_old()) return;
    if (deployment_complete(d_, d_.status)) cleanup();
  }

  bool reconcile_new() {
    const auto want = replicas_of(d_);
    if (replicas_of(*new_rs_) == want) return false;
    if (replicas_of(*new_rs_) > want) return scale_to(new_rs_, want);
    return scale_to(new_rs_, new_rs_new_replicas(d_, all(), *new_rs_));
  }

  bool reconcile_old() {
    auto old_active = active_only(olds());
    if (spec_replicas_sum(old_active) == 0) return false;
    const std::int32_t min_available = replicas_of(d_) - max_unavailable(d_);
    const std::int32_t new_unavailable = replicas_of(*new_rs_) - new_rs_->status.availableReplicas;
    const std::int32_t max_scaled_down = spec_replicas_sum(all()) - min_available - new_unavailable;
    if (max_scaled_down <= 0) return false;
    std::sort(old_active.begin(), old_active.end(), older);
    // Unhealthy old replicas go first: removing them costs no availability.
    std::int32_t cleaned = 0;
    for (const auto* rs : old_active) {
      if (cleaned >= max_scaled_down) break;
      const auto n = replicas_of(*rs);
      if (n == 0 || n == rs->status.availableReplicas) continue;
      const auto down = std::min(max_scaled_down - cleaned, n - rs->status.availableReplicas);
      scale_to(rs, n - down);
      cleaned += down;
    }
    // Then as many as availability allows.
    RSList considered = active_only(olds());
    considered.push_back(new_rs_);
    const std::int32_t available = available_replicas_sum(considered);
    std::int32_t scaled = 0;
    if (available > min_available) {
      const std::int32_t budget = available - min_available;
      for (const auto* rs : old_active) {
        if (scaled >= budget) break;
        const auto n = replicas_of(*rs);
        if (n == 0) continue;
        const auto down = std::min(n, budget - scaled);
        scale_to(rs, n - down);
        scaled += down;
      }
    }
    return cleaned + scaled > 0;
  }

  // ---- Recreate (upstream recreate.go)
  void recreate() {
    find_new(false);
    bool scaled_down = false;
    for (const auto* rs : active_only(olds())) scaled_down = scale_to(rs, 0) || scaled_down;
    if (scaled_down || old_pods_running()) return;
    if (!new_rs_) find_new(true);
    scale_to(new_rs_, replicas_of(d_));
    if (deployment_complete(d_, d_.status)) cleanup();
  }

  bool old_pods_running() const {
    const auto old = olds();
    if (status_replicas_sum(old) > 0) return true;
    for (const auto* rs : old)
      if (auto it = seen_.live_pods.find(rs->metadata.name); it != seen_.live_pods.end() && it->second > 0) return true;
    return false;
  }

  Plan finish(bool rollout) {
    const auto status = rollout ? rollout_status(d_, conditions_, all(), new_rs_, seen_.now)
                                : calculate_status(d_, conditions_, all(), new_rs_, seen_.now);
    if (models::encode_value(status) != models::encode_value(d_.status)) out_.status = status;
    else if (rollout) out_.requeue_after = stuck_requeue_after(d_, status, seen_.now);
    if (annotations_ != d_.metadata.annotations) out_.annotations = annotations_;
    return std::move(out_);
  }

  const models::Deployment& d_;
  const Observed& seen_;
  std::vector<std::unique_ptr<ReplicaSet>> rss_;
  const ReplicaSet* new_rs_ = nullptr;
  std::vector<models::Condition> conditions_;
  std::map<std::string, std::string> annotations_;
  Plan out_;
};

}  // namespace

Plan plan(const models::Deployment& d, const Observed& seen) { return Sync(d, seen).run(); }

}  // namespace kvsim::sim::controllers::deployment
