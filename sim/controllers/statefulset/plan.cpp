#include "sim/controllers/statefulset/plan.hpp"

#include <algorithm>

#include "sim/controllers/replicaset/plan.hpp"
#include "sim/controllers/statefulset/identity.hpp"

namespace kvsim::sim::controllers::statefulset {

using models::Pod;
using Type = Action::Type;

namespace {

bool terminal(const Pod& p) { return p.status.phase == "Failed" || p.status.phase == "Succeeded"; }
bool terminating(const Pod& p) { return p.metadata.being_deleted(); }
bool running_and_ready(const Pod& p) { return p.status.phase == "Running" && replicaset::pod_is_ready(p); }
bool healthy(const Pod* p) { return p && running_and_ready(*p) && !terminating(*p); }

class Planner {
 public:
  Planner(const models::StatefulSet& set, const Observed& seen, Plan& out)
      : set_(set), seen_(seen), out_(out), monotonic_(set.spec.podManagementPolicy != "Parallel") {
    const int n = set.spec.replicas.value_or(1);
    replicas_.assign(static_cast<std::size_t>(n), nullptr);
    for (const auto* p : seen.pods) {
      const int ord = ordinal_of(set, p->metadata.name);
      if (ord < 0) continue;
      if (ord < n) replicas_[static_cast<std::size_t>(ord)] = p;
      else condemned_.push_back(p);
    }
    std::sort(condemned_.begin(), condemned_.end(), [&](const Pod* a, const Pod* b) {
      return ordinal_of(set, a->metadata.name) > ordinal_of(set, b->metadata.name);
    });
    // The first pod, in ordinal order, that is missing or not healthy.
    for (std::size_t i = 0; i < replicas_.size() && first_unhealthy_name_.empty(); ++i)
      if (!healthy(replicas_[i])) {
        first_unhealthy_ = replicas_[i];
        first_unhealthy_name_ = pod_name(set, static_cast<int>(i));
      }
    for (auto it = condemned_.rbegin(); it != condemned_.rend() && first_unhealthy_name_.empty(); ++it)
      if (!healthy(*it)) {
        first_unhealthy_ = *it;
        first_unhealthy_name_ = (*it)->metadata.name;
      }
  }

  void status() {
    auto& st = out_.status;
    st.observedGeneration = set_.metadata.generation;
    st.currentRevision = seen_.current_revision;
    st.updateRevision = seen_.update_revision;
    for (const auto* p : seen_.pods) {
      if (ordinal_of(set_, p->metadata.name) < 0) continue;
      ++st.replicas;
      if (running_and_ready(*p)) {
        ++st.readyReplicas;
        if (available(*p)) ++st.availableReplicas;
      }
      if (terminating(*p)) continue;
      if (pod_revision(*p) == seen_.current_revision) ++st.currentReplicas;
      if (pod_revision(*p) == seen_.update_revision) ++st.updatedReplicas;
    }
  }

  // Returns false when OrderedReady must stop here.
  bool replicas() {
    for (std::size_t i = 0; i < replicas_.size(); ++i) {
      const int ord = static_cast<int>(i);
      const Pod* p = replicas_[i];
      if (p && terminal(*p)) {
        // Recreated with the same name once this one is gone.
        if (!terminating(*p)) act({Type::DeletePod, p->metadata.name, ord, false, {}, "it " + failed_or_done(*p) + "; it comes back"});
        if (wait(p->metadata.name + " to be recreated")) return false;
        continue;
      }
      if (!p) {
        if (const auto stale = stale_claim(ord); !stale.empty()) {
          if (wait("claim " + stale + " to finish deleting")) return false;
          continue;
        }
        act({Type::CreatePod, pod_name(set_, ord), ord, at_current_revision(ord), {}, create_reason(ord)});
        if (wait(pod_name(set_, ord) + " to be Running and Ready")) return false;
        continue;
      }
      if ((p->status.phase.empty() || p->status.phase == "Pending") && missing_claim(ord))
        act({Type::CreateClaims, p->metadata.name, ord, false, {}, "pod " + p->metadata.name + " is Pending without its claims"});
      if (terminating(*p) && wait(p->metadata.name + " to terminate")) return false;
      if (!running_and_ready(*p) && wait(p->metadata.name + " to be Running and Ready")) return false;
      if (!available(*p) && wait(p->metadata.name + " to be available")) return false;
      fix_claim_owners(ord, p, false);
    }
    return true;
  }

  // Scale down: the highest ordinal first; OrderedReady deletes one at a
  // time and only while every other pod is healthy.
  bool condemned() {
    for (const auto* p : condemned_) fix_claim_owners(ordinal_of(set_, p->metadata.name), p, true);
    for (const auto* p : condemned_) {
      const int ord = ordinal_of(set_, p->metadata.name);
      if (terminating(*p)) {
        if (wait(p->metadata.name + " to terminate before scaling down further")) return false;
        continue;
      }
      // Only the first unhealthy pod may go while others are unhealthy.
      const bool first = p == first_unhealthy_;
      const std::string who = first_unhealthy_name_.empty() ? p->metadata.name : first_unhealthy_name_;
      if (!running_and_ready(*p) && !first && wait(who + " to be Running and Ready before scaling down")) return false;
      if (!available(*p) && !first && wait(who + " to be available before scaling down")) return false;
      act({Type::DeletePod, p->metadata.name, ord, false, {}, "scaling down to " + std::to_string(replicas_.size())});
      if (monotonic_) {
        out_.waiting = p->metadata.name + " to terminate before scaling down further";
        return false;
      }
    }
    return true;
  }

  // The pod with the highest ordinal not at the update revision goes, down to the partition.
  void rolling_update() {
    if (set_.spec.updateStrategy.type == "OnDelete") return;
    int update_min = 0;
    if (const auto& ru = set_.spec.updateStrategy.rollingUpdate) update_min = ru->partition.value_or(0);
    for (int target = static_cast<int>(replicas_.size()) - 1; target >= update_min; --target) {
      const Pod* p = replicas_[static_cast<std::size_t>(target)];
      if (!p) {
        out_.waiting = pod_name(set_, target) + " to be created";
        return;
      }
      if (pod_revision(*p) != seen_.update_revision && !terminating(*p)) {
        act({Type::DeletePod, p->metadata.name, target, false, {}, "rolling update to revision " + seen_.update_revision});
        --out_.status.currentReplicas;
        return;
      }
      if (!healthy(p)) {
        out_.waiting = p->metadata.name + " to be updated and Running and Ready";
        return;
      }
    }
  }

 private:
  void act(Action a) { out_.actions.push_back(std::move(a)); }

  // Records what OrderedReady waits for; true when it must stop (Parallel never does).
  bool wait(std::string what) {
    if (!monotonic_) return false;
    out_.waiting = std::move(what);
    return true;
  }

  static std::string failed_or_done(const Pod& p) { return p.status.phase == "Failed" ? "failed" : "succeeded"; }

  std::string create_reason(int ord) const {
    if (ord == 0 || !monotonic_) return "StatefulSet " + set_.metadata.name + " wants " + std::to_string(replicas_.size()) + " replicas";
    return pod_name(set_, ord - 1) + " is Running and Ready";
  }

  // Pods below the partition are made from the current revision's template (upstream newVersionedStatefulSetPod).
  bool at_current_revision(int ord) const {
    const auto& strategy = set_.spec.updateStrategy;
    if (strategy.type == "RollingUpdate" && !strategy.rollingUpdate) return ord < set_.status.currentReplicas;
    return strategy.rollingUpdate && ord < strategy.rollingUpdate->partition.value_or(0);
  }

  const models::PersistentVolumeClaim* claim(const models::PersistentVolumeClaimTemplate& t, int ord) const {
    auto it = seen_.claims.find(claim_name(set_, t, ord));
    return it == seen_.claims.end() ? nullptr : it->second;
  }

  std::string stale_claim(int ord) const {
    for (const auto& t : set_.spec.volumeClaimTemplates)
      if (const auto* c = claim(t, ord); c && c->metadata.being_deleted()) return c->metadata.name;
    return {};
  }

  bool missing_claim(int ord) const {
    return std::any_of(set_.spec.volumeClaimTemplates.begin(), set_.spec.volumeClaimTemplates.end(),
                       [&](const auto& t) { return !claim(t, ord); });
  }

  void fix_claim_owners(int ord, const Pod* p, bool is_condemned) {
    for (const auto& t : set_.spec.volumeClaimTemplates) {
      const auto* c = claim(t, ord);
      if (!c || c->metadata.being_deleted()) continue;
      auto owners = desired_claim_owners(*c, set_, p, is_condemned);
      if (models::encode_value(owners) == models::encode_value(c->metadata.ownerReferences)) continue;
      act({Type::SetClaimOwners, c->metadata.name, ord, false, std::move(owners),
           is_condemned ? "persistentVolumeClaimRetentionPolicy for a pod being scaled away"
                        : "persistentVolumeClaimRetentionPolicy"});
    }
  }

  bool available(const Pod& p) {
    if (replicaset::pod_is_available(p, set_.spec.minReadySeconds, seen_.now)) return true;
    if (const auto* c = models::find_condition(p.status.conditions, "Ready"); c && c->status == "True" && c->lastTransitionTime) {
      const double wait_for = c->lastTransitionTime->seconds + set_.spec.minReadySeconds - seen_.now;
      if (!out_.requeue_after || wait_for < *out_.requeue_after) out_.requeue_after = wait_for;
    }
    return false;
  }

  const models::StatefulSet& set_;
  const Observed& seen_;
  Plan& out_;
  bool monotonic_;
  std::vector<const Pod*> replicas_;   // by ordinal; null: not created
  std::vector<const Pod*> condemned_;  // ordinals >= replicas, highest first
  const Pod* first_unhealthy_ = nullptr;  // null when that pod is missing (or all are healthy)
  std::string first_unhealthy_name_;
};

}  // namespace

Plan plan(const models::StatefulSet& set, const Observed& seen) {
  Plan out;
  Planner p(set, seen, out);
  p.status();
  if (set.metadata.being_deleted()) return out;
  if (p.replicas() && p.condemned()) p.rolling_update();
  return out;
}

void complete_rolling_update(const models::StatefulSet& set, models::StatefulSetStatus& status) {
  const int want = set.spec.replicas.value_or(1);
  if (set.spec.updateStrategy.type == "RollingUpdate" && status.updatedReplicas == want && status.readyReplicas == want &&
      status.replicas == want) {
    status.currentReplicas = status.updatedReplicas;
    status.currentRevision = status.updateRevision;
  }
}

}  // namespace kvsim::sim::controllers::statefulset
