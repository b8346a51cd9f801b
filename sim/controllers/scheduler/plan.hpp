#pragma once
// kube-scheduler's decision for one pod, as a pure function. Filter (upstream
// plugin order: NodeUnschedulable, TaintToleration, NodeAffinity,
// NodeResourcesFit, then extra filters such as volume binding) over a sample
// of nodes (percentageOfNodesToScore), score the feasible ones with the
// default plugin weights, bind the best; ties at random (seeded).
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "models/core.hpp"
#include "sim/controllers/object_state.hpp"
#include "sim/engine/rng.hpp"

namespace kvsim::sim::controllers::scheduler {

// One node's Filter verdict: why it rejects the pod (empty: it fits), and
// whether removing pods from it could change that (upstream's Unschedulable,
// e.g. NodeResourcesFit) or not (UnschedulableAndUnresolvable: taints,
// affinity, cordoning, volume node affinity). Preemption only tries the former.
struct NodeStatus {
  std::vector<std::string> reasons;
  bool resolvable = false;
  bool fits() const { return reasons.empty(); }
};

// What filtering and scoring read from a node object for one pod shape (the pod's tolerations,
// node selector, required node affinity and the names of the resources it requests).
struct NodeFacts {
  NodeStatus constraints;                 // NodeUnschedulable, TaintToleration, NodeAffinity
  std::int64_t pod_room = 0;              // allocatable pods
  std::vector<std::int64_t> allocatable;  // milli, for each resource the pod requests, in its order
  std::int64_t cpu = 0, memory = 0;       // allocatable milli, for scoring
};

// A node's facts for the last pod shape that asked, kept from one scheduling cycle to the next:
// the launcher pods of like VMs come one after another, and a node object changes far less
// often than a pod is scheduled, so most cycles compare a shape token and a resourceVersion per
// node instead of looking labels and resources up by name (a quarter of a 10,000-VM run
// before). Keyed on the node object's state (ObjectState) and on the pod shape.
struct NodeFactsMemo {
  ObjectState node;
  std::uint64_t shape = 0;
  NodeFacts facts;
  // What the node's pods already request of each resource the shape asks for (its order), as of
  // `requested_version` of the node's NodeState: a cycle examines hundreds of nodes and binds to
  // one, so the others' amounts are read again unchanged (walking two lists by name was 7% of a
  // 10,000-VM run).
  std::uint64_t requested_version = 0;  // 0: not read yet
  std::vector<std::int64_t> already;
};

// Cpu and memory in milli-units: what the two resource scores read, a node's allocatable (cap)
// and what it would give with the pod placed (used).
struct Amounts {
  std::int64_t cpu = 0, memory = 0;
};
// A resource list's cpu and memory (0 when absent).
Amounts cpu_and_memory(const models::ResourceList& list);

struct NodeState {
  const models::Node* node = nullptr;
  // The sum of the requests of the pods bound to it. Changed only through these two, which
  // number each change, so that the memo's amounts are known to be current.
  const models::ResourceList& requested() const { return requested_; }
  std::uint64_t requested_version() const { return requested_version_; }
  void set_requested(models::ResourceList requested);
  void add_requests(const models::ResourceList& requests, int sign);  // sign: +1 bound, -1 gone
  // Its cpu and memory with upstream's scoring defaults for unset ones: amounts, not a list, as
  // scoring reads them for every feasible node (500 of 10,000 per pod, two lookups by name each).
  Amounts nonzero_requested;
  std::int64_t pods = 0;
  mutable NodeFactsMemo memo = {};         // schedule()'s, see NodeFactsMemo

 private:
  models::ResourceList requested_;
  std::uint64_t requested_version_ = 1;
};

struct Decision {
  std::string node;                // empty: unschedulable
  std::string message;             // the FitError's filter part ("0/N nodes are available: ...") when unschedulable
  std::vector<NodeStatus> statuses;  // when unschedulable: each node's verdict, indexed as `nodes`
  std::size_t next_start = 0;      // where the next cycle starts looking (upstream rotates)
};

// Filters beyond the pod spec (volume binding, attachments): why `node` cannot
// take the pod; fits() when it can.
using ExtraFilter = std::function<NodeStatus(const models::Node& node)>;

// Every reason `node` rejects the pod (NodeResourcesFit reports each short
// resource); empty when it fits. Stops at the first failing plugin, as upstream.
std::vector<std::string> filter_reasons(const models::Pod& pod, const models::ResourceList& requests,
                                        const NodeState& node);
// Every filter, the pod spec's then `extra`, stopping at the first that fails.
NodeStatus filter_node(const models::Pod& pod, const models::ResourceList& requests, const NodeState& node,
                       const ExtraFilter& extra = {});
// Upstream's FitError text: "0/N nodes are available: " and each distinct
// reason with the number of nodes giving it, sorted as strings, then ".".
std::string nodes_unavailable(std::size_t all_nodes, const std::vector<NodeStatus>& statuses);
// "0/6 nodes are available: pod has unbound immediate PersistentVolumeClaims.": a PreFilter
// rejection, every node given its reason (UnschedulableAndUnresolvable: preemption tries none).
Decision prefilter_rejection(std::size_t nodes, const std::string& reason);

// Each node's index in `nodes`, by name: lets a cycle go straight to the nodes a pod names.
using NodeSlots = std::map<std::string, std::size_t>;

// Filters and scores from `start` round the node ring; `nodes` in a stable order. A pod whose
// required node affinity names its nodes (NodeAffinity's PreFilter, see plan.cpp) is tried on
// those alone, found through `slots` when given, else by a walk of `nodes`.
Decision schedule(const models::Pod& pod, const std::vector<NodeState>& nodes, engine::Rng& rng,
                  const ExtraFilter& extra = {}, std::size_t start = 0, const NodeSlots* slots = nullptr);

bool tolerates(const std::vector<models::Toleration>& tolerations, const models::Taint& taint);
// How many feasible nodes a cycle looks for before it stops filtering
// (upstream's adaptive percentageOfNodesToScore: 50% - nodes/125, at least 5%, at least 100 nodes).
std::size_t feasible_nodes_to_find(std::size_t all_nodes);
// The scores before normalisation, exposed for tests.
std::int64_t node_affinity_score(const models::Pod& pod, const models::Node& node);   // sum of matching weights
std::int64_t intolerable_prefer_no_schedule(const models::Pod& pod, const models::Node& node);
// The pod's requests for scoring: cpu 100m and memory 200Mi when a container sets none (upstream's non-zero defaults).
models::ResourceList nonzero_requests(const models::PodSpec& spec);

}  // namespace kvsim::sim::controllers::scheduler
