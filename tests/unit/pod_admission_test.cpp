// DefaultTolerationSeconds: pods get not-ready/unreachable NoExecute
// tolerations of 300 s unless they tolerate those taints already; pod
// templates (DaemonSet pods carry their own) never get them from defaulting.
#include <catch2/catch.hpp>

#include "models/apps.hpp"
#include "models/manifest.hpp"
#include "models/pod_admission.hpp"

using namespace kvsim;

namespace {

std::vector<std::string> tolerations_of(const models::PodSpec& spec) {
  std::vector<std::string> out;
  for (const auto& t : spec.tolerations)
    out.push_back(t.key + ":" + t.effect + (t.tolerationSeconds ? "=" + std::to_string(*t.tolerationSeconds) : ""));
  return out;
}

}  // namespace

TEST_CASE("DefaultTolerationSeconds adds 300 s not-ready and unreachable tolerations to a pod without them") {
  struct Row {
    const char* what;
    std::vector<models::Toleration> given;
    std::vector<std::string> expected;
  };
  const Row rows[] = {
      {"none given", {}, {"node.kubernetes.io/not-ready:NoExecute=300", "node.kubernetes.io/unreachable:NoExecute=300"}},
      {"its own unreachable toleration stays the only one for that key",
       {{"node.kubernetes.io/unreachable", "Exists", "", "NoExecute", 60}},
       {"node.kubernetes.io/unreachable:NoExecute=60", "node.kubernetes.io/not-ready:NoExecute=300"}},
      {"tolerating everything (empty key, Exists) needs nothing", {{"", "Exists", "", "", std::nullopt}}, {":"}},
      {"a NoSchedule toleration does not count",
       {{"node.kubernetes.io/unreachable", "Exists", "", "NoSchedule", std::nullopt}},
       {"node.kubernetes.io/unreachable:NoSchedule", "node.kubernetes.io/not-ready:NoExecute=300",
        "node.kubernetes.io/unreachable:NoExecute=300"}},
  };
  for (const auto& r : rows) {
    INFO(r.what);
    models::PodSpec spec;
    spec.tolerations = r.given;
    models::add_default_tolerations(spec);
    CHECK(tolerations_of(spec) == r.expected);
  }
}

TEST_CASE("the profile's toleration seconds apply, templates are defaulted without the admission plugin") {
  auto& settings = models::default_toleration_seconds();
  const auto saved = settings;
  settings = {120, 120};
  models::PodSpec spec;
  models::add_default_tolerations(spec);
  CHECK(tolerations_of(spec) ==
        std::vector<std::string>{"node.kubernetes.io/not-ready:NoExecute=120", "node.kubernetes.io/unreachable:NoExecute=120"});
  settings = saved;

  auto loaded = models::load_manifests(R"(
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: agent, image: agent:v1}]
)",
                                       "ds.yaml");
  REQUIRE(loaded.ok());
  const auto& ds = static_cast<const models::DaemonSet&>(*loaded.objects.at(0));
  CHECK(ds.spec.template_.spec.tolerations.empty());
  CHECK(ds.spec.template_.spec.restartPolicy == "Always");  // the pod spec defaults still apply
}

TEST_CASE("a created pod is Pending before any kubelet reports on it, as kubectl get pods shows") {
  auto loaded = models::load_manifests(R"(
apiVersion: v1
kind: Pod
metadata: {name: lonely}
spec:
  nodeName: worker-2
  containers: [{name: app, image: app:v1}]
)",
                                       "pod.yaml");
  REQUIRE(loaded.ok());
  const auto& pod = static_cast<const models::Pod&>(*loaded.objects.at(0));
  CHECK(pod.status.phase == "Pending");
}
