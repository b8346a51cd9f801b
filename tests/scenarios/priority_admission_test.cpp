// The API server's Priority admission plugin: a pod's priorityClassName must
// name a PriorityClass (or a system one), whose value the pod gets; a pod naming
// none gets the global default class. Refusals name a generated pod by its
// generateName, as admission runs before the name is generated.
#include "small_cluster.hpp"

using namespace kvsim;
using testing::apply_yaml;

namespace {

std::shared_ptr<models::Pod> pod_named(const std::string& name, const std::string& generate_name,
                                       const std::string& priority_class) {
  auto p = std::make_shared<models::Pod>();
  p->apiVersion = "v1";
  p->kind = "Pod";
  p->metadata.name = name;
  p->metadata.generateName = generate_name;
  p->metadata.namespace_ = "default";
  p->spec.priorityClassName = priority_class;
  models::Container c;
  c.name = "c";
  c.image = "busybox";
  p->spec.containers.push_back(c);
  return p;
}

}  // namespace

TEST_CASE("a pod naming a missing PriorityClass is refused and one naming an existing class gets its value") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  cluster.run_until(0);
  const sim::api::Cause user{"user", "", "test"};
  auto refused = cluster.store().create(pod_named("", "job-", "batch"), user);
  CHECK(refused.code == 403);
  CHECK(refused.error == "pods \"job-\" is forbidden: no PriorityClass with name batch was found");
  CHECK(cluster.store().list(models::Pod::kind_info(), "default").empty());
  apply_yaml(cluster, R"(
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: batch}
value: 1000
)");
  auto created = cluster.store().create(pod_named("", "job-", "batch"), user);
  REQUIRE(created.ok());
  const auto& pod = static_cast<const models::Pod&>(*created.object);
  CHECK(pod.metadata.name.size() == std::string("job-").size() + 5);
  CHECK(pod.spec.priority == 1000);
  CHECK(pod.spec.preemptionPolicy == "PreemptLowerPriority");
  auto critical = cluster.store().create(pod_named("agent", "", "system-node-critical"), user);
  REQUIRE(critical.ok());
  CHECK(static_cast<const models::Pod&>(*critical.object).spec.priority == 2000001000);
  cluster.shutdown();
}

TEST_CASE("a pod naming no PriorityClass gets the lowest global default class") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  cluster.run_until(0);
  const sim::api::Cause user{"user", "", "test"};
  auto plain = cluster.store().create(pod_named("before", "", ""), user);
  REQUIRE(plain.ok());
  CHECK_FALSE(static_cast<const models::Pod&>(*plain.object).spec.priority);
  apply_yaml(cluster, R"(
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: high-default}
value: 5000
globalDefault: true
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: low-default}
value: 10
globalDefault: true
preemptionPolicy: Never
)");
  auto defaulted = cluster.store().create(pod_named("after", "", ""), user);
  REQUIRE(defaulted.ok());
  const auto& pod = static_cast<const models::Pod&>(*defaulted.object);
  CHECK(pod.spec.priorityClassName == "low-default");
  CHECK(pod.spec.priority == 10);
  CHECK(pod.spec.preemptionPolicy == "Never");
  cluster.shutdown();
}
