#pragma once
// Node leases (kube-node-lease): when each kubelet last renewed. Kept apart
// from Node objects, as upstream does, so heartbeats do not flood watchers.
#include <limits>
#include <string>
#include <unordered_map>

namespace kvsim::sim::node {

class Leases {
 public:
  void renew(const std::string& node, double now) { renewed_[node] = now; }
  // -infinity when the node never renewed (times before t=0 are valid: a cluster's install).
  double last_renewal(const std::string& node) const {
    auto it = renewed_.find(node);
    return it == renewed_.end() ? -std::numeric_limits<double>::infinity() : it->second;
  }
  void forget(const std::string& node) { renewed_.erase(node); }

 private:
  // Looked up for every node on every node-monitor pass: hashed, not ordered (nothing walks it).
  std::unordered_map<std::string, double> renewed_;
};

}  // namespace kvsim::sim::node
