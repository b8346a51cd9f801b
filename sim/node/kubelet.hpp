#pragma once
// The kubelet of one node: runs the pods bound to it (image pulls over the
// network model, container start from the profile), gives them an IP from the
// node's pod CIDR, stops them on deletion, and renews the node's lease.
#include <deque>
#include <map>
#include <set>

#include "sim/controllers/component.hpp"
#include "sim/node/leases.hpp"

namespace kvsim::sim::node {

class Kubelet : public controllers::Component {
 public:
  Kubelet(controllers::Context& ctx, Leases& leases, std::string node);
  void start() override;
  // The host went down: the kubelet process and what it was doing are gone.
  void lost();

 private:
  enum class Stage { Pulling, Starting, Running, Stopping };
  struct Local {
    Stage stage;
    std::string uid;
  };

  void reconcile(const std::string& key) override;
  void begin(const models::Pod& pod);
  void pull_next();
  void after_pulls(const std::string& key, const std::string& uid);
  void containers_started(const std::string& key, const std::string& uid);
  void stop(const models::Pod& pod);
  void renew_lease();
  std::string allocate_ip();
  double image_bytes(const std::string& image) const;

  Leases& leases_;
  std::string node_;
  std::map<std::string, Local> pods_;          // by key
  std::set<std::string> images_;               // pulled (on disk: survives restarts)
  std::deque<std::pair<std::string, std::string>> pull_queue_;  // (image, pod key)
  std::map<std::string, std::set<std::string>> waiting_images_; // pod key -> images left
  bool pulling_ = false;
  std::uint32_t next_ip_ = 2;
  int watch_id_ = 0;
};

}  // namespace kvsim::sim::node
