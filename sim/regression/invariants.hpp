#pragma once
// Invariants a healthy cluster never breaks, checked on every step of a test
// run (`kvsim run --check-invariants`). Each is a pure function from the
// objects it reads to findings; InvariantTracker turns findings that persist
// longer than the invariant allows into violations.
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "models/manifest.hpp"

namespace kvsim::sim::regression {

using models::ObjectPtr;

struct Finding {
  std::string invariant;  // one of the kInvariant* names
  std::string kind, ns, name;  // the object it is about
  std::string detail;     // what was found, in words
  std::string key() const { return invariant + "|" + kind + "|" + ns + "/" + name; }
};

inline constexpr const char* kOneVmiPerVm = "at most one VMI per VM";
inline constexpr const char* kNoReadyPodOnFailedNode = "no pod counted Ready on a failed node";
inline constexpr const char* kRwoOnOneNode = "an RWO volume attached to one node at most";
inline constexpr const char* kOwnersExist = "owners exist for owned objects or GC is pending";
inline constexpr const char* kReplicasConverge = "replica counts converge";

// VMs whose uid more than one VMI names as its controller owner.
std::vector<Finding> vms_with_several_vmis(const std::vector<ObjectPtr>& vmis);
// Pods with Ready=True on a Node whose Ready condition is Unknown or False.
std::vector<Finding> ready_pods_on_failed_nodes(const std::vector<ObjectPtr>& nodes, const std::vector<ObjectPtr>& pods);
// ReadWriteOnce / ReadWriteOncePod PVs with attached VolumeAttachments on two or more nodes.
std::vector<Finding> rwo_volumes_on_several_nodes(const std::vector<ObjectPtr>& pvs,
                                                  const std::vector<ObjectPtr>& attachments);
// Objects (not being deleted) whose ownerReferences name a uid that no longer exists.
// `uids` views the uids of objects the caller holds (every object, at each step: no copies).
std::vector<Finding> dependents_without_owner(const std::vector<ObjectPtr>& objects,
                                              const std::unordered_set<std::string_view>& uids);
// ReplicaSets, VMI replica sets (not paused) and DaemonSets whose observed count differs from the desired one.
std::vector<Finding> replica_counts_diverging(const std::vector<ObjectPtr>& workloads);

struct Violation {
  double since = 0;     // when the finding first appeared
  double reported = 0;  // when it had lasted longer than its tolerance
  Finding finding;
};

// How long a finding may last before it is a violation: the latency the real
// system legitimately has (GC noticing a gone owner, a controller catching up).
double tolerance_of(const std::string& invariant);

class InvariantTracker {
 public:
  // The findings of one step at sim time `now`; returns the new violations.
  std::vector<Violation> observe(double now, const std::vector<Finding>& findings);

 private:
  std::map<std::string, double> since_;  // finding key -> first seen
  std::set<std::string> reported_;       // keys reported in their current episode
};

}  // namespace kvsim::sim::regression
