// VirtualMachineInstanceReplicaSet decisions as tables (upstream replicaset.go).
#include <catch2/catch.hpp>

#include "sim/kubevirt/vmirs_plan.hpp"

using namespace kvsim;
using sim::kubevirt::plan_vmirs;
using sim::kubevirt::vmirs_base_name;

namespace {

models::VirtualMachineInstanceReplicaSet rs_of(int replicas) {
  models::VirtualMachineInstanceReplicaSet rs;
  rs.metadata.name = "testreplicaset";
  rs.metadata.uid = "rs-uid";
  rs.spec.replicas = replicas;
  rs.spec.selector = models::LabelSelector{{{"app", "vm"}}, {}};
  rs.spec.template_.metadata.labels = {{"app", "vm"}};
  return rs;
}

models::VirtualMachineInstance vmi(const std::string& name, const std::string& phase, const std::string& owner_uid,
                                   bool ready = false) {
  models::VirtualMachineInstance v;
  v.metadata.name = name;
  v.metadata.labels = {{"app", "vm"}};
  if (!owner_uid.empty())
    v.metadata.ownerReferences = {{"kubevirt.io/v1", "VirtualMachineInstanceReplicaSet", "x", owner_uid, true, true}};
  v.status.phase = phase;
  if (ready) v.status.conditions.push_back({"Ready", "True", "", ""});
  return v;
}

}  // namespace

TEST_CASE("a VMI replica set keeps its count of active VMIs") {
  struct Row {
    int replicas;
    std::vector<models::VirtualMachineInstance> vmis;
    int create;
    std::vector<std::string> scale_down, finished, adopt;
    int active, ready;
  };
  const Row rows[] = {
      {3, {}, 3, {}, {}, {}, 0, 0},
      {2, {vmi("a", "Running", "rs-uid", true)}, 1, {}, {}, {}, 1, 1},
      // A final VMI is deleted and does not count: it is replaced.
      {2, {vmi("a", "Running", "rs-uid", true), vmi("b", "Failed", "rs-uid")}, 1, {}, {"b"}, {}, 1, 1},
      // Over the count: the first listed go.
      {1, {vmi("a", "Running", "rs-uid"), vmi("b", "Running", "rs-uid"), vmi("c", "Pending", "rs-uid")}, 0,
       {"a", "b"}, {}, {}, 3, 0},
      // An orphan matching the selector is adopted and counts; another owner's VMI does not.
      {2, {vmi("a", "Running", ""), vmi("b", "Running", "other")}, 1, {}, {}, {"a"}, 1, 0},
  };
  for (const auto& r : rows) {
    INFO("replicas " << r.replicas << ", " << r.vmis.size() << " VMIs");
    std::vector<const models::VirtualMachineInstance*> ptrs;
    for (const auto& v : r.vmis) ptrs.push_back(&v);
    const auto plan = plan_vmirs(rs_of(r.replicas), ptrs);
    CHECK(plan.create == r.create);
    CHECK(plan.scale_down == r.scale_down);
    CHECK(plan.finished == r.finished);
    CHECK(plan.adopt == r.adopt);
    CHECK(plan.replicas == r.active);
    CHECK(plan.ready == r.ready);
  }
}

TEST_CASE("a paused VMI replica set or one whose selector misses its template does nothing") {
  auto paused = rs_of(3);
  paused.spec.paused = true;
  CHECK(plan_vmirs(paused, {}).create == 0);
  auto wrong = rs_of(3);
  wrong.spec.template_.metadata.labels = {{"app", "other"}};
  const auto plan = plan_vmirs(wrong, {});
  CHECK(plan.create == 0);
  CHECK(plan.why == "selector does not match the template's labels");
}

TEST_CASE("new VMIs are named after the template's name, else the replica set's") {
  auto rs = rs_of(1);
  CHECK(vmirs_base_name(rs) == "testreplicaset");
  rs.spec.template_.metadata.generateName = "web-";
  CHECK(vmirs_base_name(rs) == "web-");
  rs.spec.template_.metadata.name = "named";
  CHECK(vmirs_base_name(rs) == "named");
}
