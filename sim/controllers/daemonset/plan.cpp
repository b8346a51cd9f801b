#include "sim/controllers/daemonset/plan.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "sim/controllers/daemonset/eligibility.hpp"
#include "sim/controllers/replicaset/plan.hpp"

namespace kvsim::sim::controllers::daemonset {

using models::Pod;
using replicaset::pod_is_available;
using replicaset::pod_is_ready;
using PodList = std::vector<const Pod*>;

bool pod_is_updated(const Pod& p, const std::string& hash, std::int64_t generation) {
  const auto& labels = p.metadata.labels;
  auto h = labels.find(kRevisionHashLabel);
  if (!hash.empty() && h != labels.end() && h->second == hash) return true;
  auto g = labels.find(kTemplateGenerationLabel);
  return g != labels.end() && g->second == std::to_string(generation);
}

namespace {

bool terminal(const Pod& p) { return p.status.phase == "Succeeded" || p.status.phase == "Failed"; }

double created_at(const Pod& p) { return p.metadata.creationTimestamp ? p.metadata.creationTimestamp->seconds : 0; }

// Upstream podByCreationTimestampAndPhase: bound pods first, then the oldest, then by name.
void sort_oldest_first(PodList& pods) {
  std::sort(pods.begin(), pods.end(), [](const Pod* a, const Pod* b) {
    const bool ba = !a->spec.nodeName.empty(), bb = !b->spec.nodeName.empty();
    if (ba != bb) return ba;
    if (created_at(*a) != created_at(*b)) return created_at(*a) < created_at(*b);
    return a->metadata.name < b->metadata.name;
  });
}

// Pods by the node they are for. Pods both finished and being deleted are left
// to the kubelet and PodGC (upstream getNodesToDaemonPods without them).
std::map<std::string, PodList> pods_by_node(const Observed& seen) {
  std::map<std::string, PodList> out;
  for (const auto* p : seen.pods) {
    if (terminal(*p) && p->metadata.being_deleted()) continue;
    out[target_node(*p)].push_back(p);
  }
  for (auto& [node, pods] : out) sort_oldest_first(pods);
  return out;
}

struct Budget {
  std::int64_t max_surge = 0, max_unavailable = 1;
};

// maxSurge and maxUnavailable against the nodes that should run a pod, both
// rounded up; both 0 means maxUnavailable 1 (upstream updatedDesiredNodeCounts).
Budget rolling_budget(const models::DaemonSet& ds, std::int64_t desired) {
  Budget b;
  if (const auto& ru = ds.spec.updateStrategy.rollingUpdate) {
    b.max_surge = ru->maxSurge ? ru->maxSurge->scaled(desired, true).value_or(0) : 0;
    b.max_unavailable = ru->maxUnavailable ? ru->maxUnavailable->scaled(desired, true).value_or(1) : 1;
  }
  if (b.max_surge == 0 && b.max_unavailable == 0) b.max_unavailable = 1;
  return b;
}

// Surge is on when maxSurge resolves above 0 for a single node (upstream AllowsSurge).
bool allows_surge(const models::DaemonSet& ds) {
  const auto& ru = ds.spec.updateStrategy.rollingUpdate;
  return ds.spec.updateStrategy.type == "RollingUpdate" && ru && ru->maxSurge && ru->maxSurge->scaled(1, true).value_or(0) > 0;
}

class Planner {
 public:
  Planner(const models::DaemonSet& ds, const Observed& seen, Plan& out)
      : ds_(ds), seen_(seen), out_(out), spec_(ds.spec.template_.spec), by_node_(pods_by_node(seen)) {
    add_daemon_tolerations(spec_);
    for (const auto* n : seen.nodes) fits_.emplace(n->metadata.name, node_fit(spec_, *n));
  }

  void manage() {
    for (const auto* node : seen_.nodes) {
      const auto& name = node->metadata.name;
      const NodeFit fit = fits_.at(name);
      auto it = by_node_.find(name);
      const bool exists = it != by_node_.end() && !it->second.empty();
      if (fit.should_run && !exists) {
        out_.create_on.push_back(name);
      } else if (fit.should_continue_running && exists) {
        keep_one(it->second);
      } else if (!fit.should_continue_running && exists) {
        for (const auto* p : it->second)
          if (!p->metadata.being_deleted()) remove(*p, "node " + name + " no longer fits the DaemonSet's scheduling constraints");
      }
    }
    // A pod not yet bound whose node is gone can never run.
    for (const auto& [node, pods] : by_node_) {
      if (fits_.contains(node)) continue;
      for (const auto* p : pods)
        if (p->spec.nodeName.empty() && !p->metadata.being_deleted()) remove(*p, "its node " + node + " no longer exists");
    }
  }

  void rolling_update() {
    std::int64_t desired = 0;
    for (const auto* node : seen_.nodes)
      if (fits_.at(node->metadata.name).should_run) {
        ++desired;
        by_node_[node->metadata.name];  // a node due a pod counts even without one
      }
    const Budget budget = rolling_budget(ds_, desired);
    if (budget.max_surge == 0) replace_without_surge(budget.max_unavailable);
    else replace_with_surge(budget.max_surge, desired);
  }

  void status() {
    auto& st = out_.status;
    for (const auto* node : seen_.nodes) {
      auto it = by_node_.find(node->metadata.name);
      const bool scheduled = it != by_node_.end() && !it->second.empty();
      if (!fits_.at(node->metadata.name).should_run) {
        if (scheduled) ++st.numberMisscheduled;
        continue;
      }
      ++st.desiredNumberScheduled;
      if (!scheduled) continue;
      ++st.currentNumberScheduled;
      const Pod& pod = *it->second.front();  // the oldest
      if (pod_is_ready(pod)) {
        ++st.numberReady;
        if (available(pod)) ++st.numberAvailable;
      }
      if (pod_is_updated(pod, seen_.hash, ds_.metadata.generation)) ++st.updatedNumberScheduled;
    }
    st.numberUnavailable = st.desiredNumberScheduled - st.numberAvailable;
    st.observedGeneration = ds_.metadata.generation;
  }

 private:
  bool available(const Pod& p) {
    if (pod_is_available(p, ds_.spec.minReadySeconds, seen_.now)) return true;
    // Ready but not for minReadySeconds yet: look again when it will be.
    if (const auto* c = models::find_condition(p.status.conditions, "Ready"); c && c->status == "True" && c->lastTransitionTime) {
      const double wait = c->lastTransitionTime->seconds + ds_.spec.minReadySeconds - seen_.now;
      if (!out_.requeue_after || wait < *out_.requeue_after) out_.requeue_after = wait;
    }
    return false;
  }

  void remove(const Pod& p, std::string reason) { out_.remove.push_back({p.metadata.name, std::move(reason)}); }

  // Failed or finished pods go; of the running ones one stays (the oldest),
  // or with surge an old Ready one beside a new one still becoming available.
  void keep_one(const PodList& pods) {
    PodList running;
    for (const auto* p : pods) {
      if (p->metadata.being_deleted()) continue;
      if (p->status.phase == "Failed") remove(*p, "it failed");
      else if (p->status.phase == "Succeeded") remove(*p, "it exited, and daemon pods run forever");
      else running.push_back(p);
    }
    if (!allows_surge(ds_)) {
      for (std::size_t i = 1; i < running.size(); ++i) remove(*running[i], "more than one daemon pod on the node");
      return;
    }
    const Pod *oldest_new = nullptr, *oldest_old = nullptr;
    for (const auto* p : running) {
      const bool is_new = p->metadata.labels.contains(kRevisionHashLabel) && p->metadata.labels.at(kRevisionHashLabel) == seen_.hash;
      const Pod*& slot = is_new ? oldest_new : oldest_old;
      if (!slot) slot = p;
      else remove(*p, "more than one daemon pod of its revision on the node");
    }
    if (oldest_new && oldest_old && (!pod_is_ready(*oldest_old) || available(*oldest_new)))
      remove(*oldest_old, "its replacement " + oldest_new->metadata.name + " is available");
  }

  struct NodePods {
    const Pod* fresh = nullptr;  // of the current template
    const Pod* old = nullptr;
    bool ok = true;              // false: more than one of a kind (the manage step sorts it out)
  };
  NodePods split(const PodList& pods) const {
    NodePods r;
    for (const auto* p : pods) {
      if (p->metadata.being_deleted()) continue;
      const Pod*& slot = pod_is_updated(*p, seen_.hash, ds_.metadata.generation) ? r.fresh : r.old;
      if (slot) return {nullptr, nullptr, false};
      slot = p;
    }
    return r;
  }

  // Delete just enough old pods to stay within maxUnavailable; the manage
  // step creates their replacements once they are gone.
  void replace_without_surge(std::int64_t max_unavailable) {
    std::int64_t unavailable = 0;
    std::vector<const Pod*> replace_now, candidates;
    for (const auto& [node, pods] : by_node_) {
      if (node.empty()) continue;
      const NodePods np = split(pods);
      if (!np.ok || (!np.fresh && !np.old) || (np.fresh && np.old)) {
        ++unavailable;
      } else if (np.fresh) {
        if (!available(*np.fresh)) ++unavailable;
      } else if (!available(*np.old)) {
        replace_now.push_back(np.old);  // not serving anyway
      } else if (unavailable < max_unavailable) {
        candidates.push_back(np.old);
      }
    }
    const auto room = std::clamp<std::int64_t>(max_unavailable - unavailable, 0, static_cast<std::int64_t>(candidates.size()));
    for (const auto* p : replace_now) remove(*p, "rolling update: it is out of date and unavailable");
    for (std::int64_t i = 0; i < room; ++i) remove(*candidates[i], "rolling update: it is out of date");
  }

  // Create new pods beside old ones (at most maxSurge at a time); an old pod
  // goes once the new one on its node is available (the manage step).
  void replace_with_surge(std::int64_t max_surge, std::int64_t desired) {
    std::int64_t surging = 0, available_count = 0;
    std::vector<std::string> allowed, candidates;
    std::vector<const Pod*> off_node;
    for (const auto& [node, pods] : by_node_) {
      if (node.empty()) continue;
      const NodePods np = split(pods);
      if (!np.ok) {
        ++surging;
        continue;
      }
      if (np.old ? available(*np.old) : np.fresh && available(*np.fresh)) ++available_count;
      if (!np.old) continue;
      auto fit = fits_.find(node);
      const bool should_run = fit != fits_.end() && fit->second.should_run;
      if (np.fresh) {
        if (!available(*np.fresh)) ++surging;
        else remove(*np.old, "rolling update: its replacement " + np.fresh->metadata.name + " is available");
      } else if (!available(*np.old)) {
        if (!should_run) remove(*np.old, "rolling update: unavailable on a node it no longer fits");
        else allowed.push_back(node);
      } else if (!should_run) {
        off_node.push_back(np.old);
      } else if (surging < max_surge) {
        candidates.push_back(node);
      }
    }
    // Pods on nodes they no longer fit go only while enough others are available.
    const auto spare = std::clamp<std::int64_t>(available_count - desired, 0, static_cast<std::int64_t>(off_node.size()));
    for (std::int64_t i = 0; i < spare; ++i) remove(*off_node[i], "rolling update: it no longer fits its node");
    const auto room = std::clamp<std::int64_t>(max_surge - surging, 0, static_cast<std::int64_t>(candidates.size()));
    for (const auto& node : allowed) out_.create_on.push_back(node);
    for (std::int64_t i = 0; i < room; ++i) out_.create_on.push_back(candidates[i]);
  }

  const models::DaemonSet& ds_;
  const Observed& seen_;
  Plan& out_;
  models::PodSpec spec_;
  std::map<std::string, PodList> by_node_;
  std::unordered_map<std::string, NodeFit> fits_;  // lookups only: never iterated
};

}  // namespace

Plan plan(const models::DaemonSet& ds, const Observed& seen) {
  Plan out;
  Planner p(ds, seen, out);
  const bool deleting = ds.metadata.being_deleted();
  if (seen.expectations_met && !deleting) {
    p.manage();
    // Upstream rolls only when the manage step asked for nothing (its
    // creations and deletions raise expectations that must be met first).
    if (out.create_on.empty() && out.remove.empty() && ds.spec.updateStrategy.type == "RollingUpdate") p.rolling_update();
  }
  p.status();
  return out;
}

}  // namespace kvsim::sim::controllers::daemonset
