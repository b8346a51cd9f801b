#pragma once
// The DaemonSet controller's driver: watches DaemonSets, their pods and the
// nodes; creates one pod `<ds>-<5 chars>` per eligible node (pinned there by
// node affinity, placed by the default scheduler), deletes pods from nodes
// that no longer fit, rolls template changes out, and writes the status.
#include <map>
#include <string>

#include "sim/controllers/component.hpp"
#include "sim/controllers/replicaset/expectations.hpp"

namespace kvsim::sim::controllers::daemonset {

class DaemonSetController : public Component {
 public:
  DaemonSetController(Context& ctx, std::string host);
  void start() override;

 private:
  void reconcile(const std::string& key) override;
  void on_pod(const api::WatchEvent& e);
  void on_node(const api::WatchEvent& e);

  replicaset::Expectations expectations_;  // by DaemonSet uid
  bool watching_ = false;
};

}  // namespace kvsim::sim::controllers::daemonset
