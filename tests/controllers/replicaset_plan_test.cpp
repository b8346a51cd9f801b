// The ReplicaSet controller's decisions: how many to create, which to delete first.
#include <catch2/catch.hpp>

#include "sim/controllers/replicaset/plan.hpp"

using namespace kvsim;

namespace {

models::Pod pod(const std::string& name, const std::string& node, const std::string& phase, bool ready, double created) {
  models::Pod p;
  p.metadata.name = name;
  p.metadata.creationTimestamp = models::Timestamp{created};
  p.spec.nodeName = node;
  p.status.phase = phase;
  if (ready) p.status.conditions.push_back({"Ready", "True", "", ""});
  return p;
}

}  // namespace

TEST_CASE("a ReplicaSet creates what is missing, counting creations not yet observed") {
  models::ReplicaSet rs;
  rs.spec.replicas = 3;
  const auto a = pod("a", "w-1", "Running", true, 1);
  CHECK(sim::controllers::replicaset::plan(rs, {&a}, 0).create == 2);
  CHECK(sim::controllers::replicaset::plan(rs, {&a}, 2).create == 0);
}

TEST_CASE("scale-down deletes unscheduled, then pending, then not-ready, then the newest pods first") {
  models::ReplicaSet rs;
  rs.spec.replicas = 1;
  const auto old_ready = pod("old-ready", "w-1", "Running", true, 1);
  const auto new_ready = pod("new-ready", "w-2", "Running", true, 5);
  const auto not_ready = pod("not-ready", "w-1", "Running", false, 2);
  const auto pending = pod("pending", "w-3", "Pending", false, 3);
  const auto unscheduled = pod("unscheduled", "", "Pending", false, 4);
  const auto p = sim::controllers::replicaset::plan(rs, {&old_ready, &new_ready, &not_ready, &pending, &unscheduled}, 0);
  CHECK(p.delete_pods == std::vector<std::string>{"unscheduled", "pending", "not-ready", "new-ready"});
  CHECK(p.status.replicas == 5);
  CHECK(p.status.readyReplicas == 2);
}

TEST_CASE("pods being deleted or finished do not count as replicas") {
  models::ReplicaSet rs;
  rs.spec.replicas = 2;
  auto going = pod("going", "w-1", "Running", true, 1);
  going.metadata.deletionTimestamp = models::Timestamp{2};
  const auto done = pod("done", "w-1", "Succeeded", false, 1);
  CHECK(sim::controllers::replicaset::plan(rs, {&going, &done}, 0).create == 2);
}
