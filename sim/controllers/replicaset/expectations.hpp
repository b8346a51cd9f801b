#pragma once
// Upstream's ControllerExpectations: what a controller asked for and has not
// yet seen through its watch. While anything is outstanding the controller
// does not create or delete again, so watch latency never doubles an action.
// Expectations older than the timeout are considered met (upstream: 5 min),
// so a lost watch event cannot wedge a controller.
#include <map>
#include <set>
#include <string>

namespace kvsim::sim::controllers::replicaset {

class Expectations {
 public:
  static constexpr double kTimeout = 300;

  void expect_creations(const std::string& key, int n, double now) {
    auto& e = items_[key];
    e.adds += n;
    e.since = now;
  }
  void expect_deletion(const std::string& key, const std::string& pod_uid, double now) {
    auto& e = items_[key];
    e.deletes.insert(pod_uid);
    e.since = now;
  }
  void creation_observed(const std::string& key) {
    auto it = items_.find(key);
    if (it != items_.end() && it->second.adds > 0) --it->second.adds;
  }
  void deletion_observed(const std::string& key, const std::string& pod_uid) {
    auto it = items_.find(key);
    if (it != items_.end()) it->second.deletes.erase(pod_uid);
  }
  bool satisfied(const std::string& key, double now) const {
    auto it = items_.find(key);
    if (it == items_.end()) return true;
    const auto& e = it->second;
    return (e.adds <= 0 && e.deletes.empty()) || now - e.since > kTimeout;
  }
  void forget(const std::string& key) { items_.erase(key); }

 private:
  struct Item {
    int adds = 0;
    std::set<std::string> deletes;
    double since = 0;
  };
  std::map<std::string, Item> items_;
};

}  // namespace kvsim::sim::controllers::replicaset
