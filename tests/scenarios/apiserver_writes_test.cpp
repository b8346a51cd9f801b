// Writes through the Kubernetes API endpoint's handler, as kubectl sends them:
// status codes, Status reasons, messages and causes, the stored objects, and
// what the simulated cluster does with them.
#include <random>

#include "models/apps.hpp"
#include "models/kubevirt.hpp"
#include "models/registry.hpp"
#include "sim/apiserver/handler.hpp"
#include "api_requests.hpp"
#include "small_cluster.hpp"

using namespace kvsim;
using models::Json;
using sim::apiserver::Request;
using sim::apiserver::Response;
using testing::Api;
using testing::body_of;

namespace {

constexpr const char* kVms = "/apis/kubevirt.io/v1/namespaces/default/virtualmachines";
constexpr const char* kDeployments = "/apis/apps/v1/namespaces/default/deployments";

std::string vm_json(const std::string& name, const std::string& run_strategy = "Always", const std::string& extra = "") {
  return R"({"apiVersion":"kubevirt.io/v1","kind":"VirtualMachine","metadata":{"name":")" + name +
         R"(","annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}\n"}},"spec":{)" + extra +
         R"("runStrategy":")" + run_strategy +
         R"(","template":{"spec":{"domain":{"devices":{"disks":[{"name":"rootdisk","disk":{"bus":"virtio"}}]},)"
         R"("resources":{"requests":{"memory":"128Mi"}}},"volumes":[{"name":"rootdisk","containerDisk":)"
         R"({"image":"quay.io/kubevirt/cirros-container-disk-demo"}}]}}}})";
}

std::string deployment_json(int replicas = 2, const std::string& image = "nginx:1.27") {
  return R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"}},)"
         R"("spec":{"replicas":)" +
         std::to_string(replicas) +
         R"(,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},)"
         R"("spec":{"containers":[{"name":"nginx","image":")" +
         image + R"(","resources":{"requests":{"cpu":"100m","memory":"64Mi"}}}]}}}})";
}

std::shared_ptr<const models::Deployment> web_deployment(sim::cluster::Cluster& c) {
  return c.store().get<models::Deployment>("default", "web");
}

int running_pods(sim::cluster::Cluster& c, const std::string& app) {
  int n = 0;
  for (const auto& o : c.store().list(models::Pod::kind_info(), "default")) {
    auto p = std::static_pointer_cast<const models::Pod>(o);
    if (p->metadata.labels.count("app") && p->metadata.labels.at("app") == app && testing::running_ready(p)) ++n;
  }
  return n;
}

// The cause of `status` for `field` (null when there is none).
Json cause_for(const Json& status, const std::string& field) {
  for (const auto& c : status["details"]["causes"])
    if (c.value("field", std::string()) == field) return c;
  return nullptr;
}

}  // namespace

TEST_CASE("a VM created through the API is admitted like kvsim apply's and starts") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  cluster.run_until(0);
  Api api{cluster};
  auto r = api.send("POST", kVms, vm_json("vm1"), "application/json",
                    {{"fieldManager", "kubectl-client-side-apply"}, {"fieldValidation", "Strict"}});
  REQUIRE(r.status == 201);
  const Json created = body_of(r);
  CHECK(created["metadata"]["namespace"] == "default");
  CHECK_FALSE(created["metadata"]["uid"].get<std::string>().empty());
  CHECK(created["metadata"]["generation"] == 1);
  // The creator owns what it wrote, recorded as upstream does.
  const Json& mf = created["metadata"]["managedFields"];
  REQUIRE(mf.size() == 1);
  CHECK(mf[0]["manager"] == "kubectl-client-side-apply");
  CHECK(mf[0]["operation"] == "Update");
  CHECK(mf[0]["apiVersion"] == "kubevirt.io/v1");
  CHECK(mf[0]["fieldsV1"]["f:spec"].contains("f:runStrategy"));
  // The VM controller sees it like any other: its VMI comes up.
  const double up = testing::run_until_true(cluster, 120, [&] {
    auto vmi = cluster.store().get<models::VirtualMachineInstance>("default", "vm1");
    return vmi && vmi->status.phase == "Running";
  });
  CHECK(up > 0);
  // The same name again is AlreadyExists.
  r = api.send("POST", kVms, vm_json("vm1"));
  CHECK(r.status == 409);
  CHECK(body_of(r)["reason"] == "AlreadyExists");
  CHECK(body_of(r)["message"] == "virtualmachines.kubevirt.io \"vm1\" already exists");
  cluster.shutdown();
}

TEST_CASE("a create the API refuses says why, as a Status, and stores nothing") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  cluster.run_until(0);
  Api api{cluster};
  auto vm_count = [&] { return cluster.store().count(models::VirtualMachine::kind_info()); };
  const auto before = vm_count();

  {  // an unsupported value is 422 Invalid with the field's cause
    auto r = api.send("POST", kVms, vm_json("bad", "Sometimes"));
    CHECK(r.status == 422);
    const Json s = body_of(r);
    CHECK(s["kind"] == "Status");
    CHECK(s["reason"] == "Invalid");
    CHECK(s["details"]["kind"] == "VirtualMachine");
    CHECK(s["details"]["name"] == "bad");
    const Json c = cause_for(s, "spec.runStrategy");
    REQUIRE(c.is_object());
    CHECK_THAT(c["message"].get<std::string>(), Catch::StartsWith("Unsupported value: \"Sometimes\""));
    CHECK(c["reason"] == "FieldValueNotSupported");
  }
  {  // an unknown field is refused by the strict decoder, located in a body with lines
    const std::string body = "apiVersion: kubevirt.io/v1\nkind: VirtualMachine\nmetadata: {name: typo}\nspec:\n"
                             "  runStrategy: Always\n  runStrategyy: Halted\n  template: {spec: {domain: {devices: {}}}}\n";
    auto r = api.send("POST", kVms, body, "application/yaml");
    CHECK(r.status == 422);
    const Json c = cause_for(body_of(r), "spec.runStrategyy");
    REQUIRE(c.is_object());
    CHECK(c["message"] == "unknown field \"runStrategyy\" (did you mean \"runStrategy\"?) (line 6, column 3)");
  }
  {  // a body that is not JSON is 400 with its line and column
    auto r = api.send("POST", kVms, "{\"apiVersion\": \"kubevirt.io/v1\",\n \"kind\": VirtualMachine}");
    CHECK(r.status == 400);
    CHECK(body_of(r)["reason"] == "BadRequest");
    CHECK_THAT(body_of(r)["message"].get<std::string>(),
               Catch::StartsWith("the request body is not valid JSON: parse error at line 2, column 10"));
  }
  {  // a YAML body yaml-cpp 0.7 would loop on forever (a lone comma, broken flow style)
     // is a located 400 at once, and stores nothing
    for (const char* body : {",", "{a: [b, c}", "[a, {b: c]"}) {
      auto r = api.send("POST", kVms, body, "application/yaml");
      INFO(body);
      CHECK(r.status == 400);
      CHECK_THAT(body_of(r)["message"].get<std::string>(),
                 Catch::StartsWith("the request body is not valid YAML: request body:1:"));
    }
    CHECK(vm_count() == before);
  }
  {  // another namespace in the body than in the URL is 400, as upstream words it
    auto r = api.send("POST", kVms,
                      R"({"apiVersion":"kubevirt.io/v1","kind":"VirtualMachine","metadata":{"name":"x","namespace":"other"}})");
    CHECK(r.status == 400);
    CHECK(body_of(r)["message"] ==
          "the namespace of the provided object does not match the namespace sent on the request");
  }
  {  // a protobuf body (kubectl create deployment) is 415 and names the command to use
    auto r = api.send("POST", kDeployments, std::string("k8s\0\n", 5), "application/vnd.kubernetes.protobuf");
    CHECK(r.status == 415);
    CHECK(body_of(r)["reason"] == "UnsupportedMediaType");
    CHECK_THAT(body_of(r)["message"].get<std::string>(), Catch::Contains("kubectl apply -f"));
  }
  {  // a media type that is neither JSON nor YAML is 415, listing those read
    auto r = api.send("POST", kVms, vm_json("x"), "text/plain");
    CHECK(r.status == 415);
    CHECK(body_of(r)["message"] == "the body of the request was in an unknown format - accepted media types include: "
                                   "application/json, application/yaml");
  }
  {  // a dry run answers 201 and stores nothing
    auto r = api.send("POST", kVms, vm_json("dry"), "application/json", {{"dryRun", "All"}});
    CHECK(r.status == 201);
    CHECK(body_of(r)["metadata"]["name"] == "dry");
    CHECK_FALSE(cluster.store().get(models::VirtualMachine::kind_info(), "default", "dry"));
  }
  {  // a missing namespace is 404 NotFound
    auto r = api.send("POST", "/apis/kubevirt.io/v1/namespaces/nowhere/virtualmachines", vm_json("x"));
    CHECK(r.status == 404);
    CHECK(body_of(r)["message"] == "namespaces \"nowhere\" not found");
  }
  CHECK(vm_count() == before);
  cluster.shutdown();
}

TEST_CASE("PUT replaces with optimistic concurrency: a stale resourceVersion is 409") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  cluster.run_until(0);
  Api api{cluster};
  REQUIRE(api.send("POST", kDeployments, deployment_json()).status == 201);
  cluster.run_until(5);
  Json d = body_of(api.send("GET", std::string(kDeployments) + "/web/scale"));  // warm: scale GET works too
  Json live = web_deployment(cluster)->to_json();
  const auto generation = live["metadata"]["generation"].get<int>();

  Json stale = live;
  stale["metadata"]["resourceVersion"] = "1";
  stale["spec"]["replicas"] = 4;
  auto r = api.send("PUT", std::string(kDeployments) + "/web", stale.dump());
  CHECK(r.status == 409);
  CHECK(body_of(r)["reason"] == "Conflict");
  CHECK(body_of(r)["message"] ==
        "Operation cannot be fulfilled on deployments.apps \"web\": the object has been modified; please apply your "
        "changes to the latest version and try again");

  Json fresh = live;
  fresh["spec"]["replicas"] = 4;
  fresh["status"] = Json::object();  // ignored: the main resource never writes status
  r = api.send("PUT", std::string(kDeployments) + "/web", fresh.dump(), "application/json",
               {{"fieldManager", "kubectl-replace"}});
  REQUIRE(r.status == 200);
  CHECK(body_of(r)["spec"]["replicas"] == 4);
  CHECK(body_of(r)["metadata"]["generation"] == generation + 1);
  CHECK(body_of(r)["status"] == live["status"]);

  // A custom resource refuses a PUT without a resourceVersion (upstream's CRDs).
  REQUIRE(api.send("POST", kVms, vm_json("vm1", "Halted")).status == 201);
  Json vm = cluster.store().get(models::VirtualMachine::kind_info(), "default", "vm1")->to_json();
  vm["metadata"].erase("resourceVersion");
  CHECK(api.send("PUT", std::string(kVms) + "/vm1", vm.dump()).status == 409);
  // The name in the body must be the URL's.
  r = api.send("PUT", std::string(kVms) + "/vm2", vm.dump());
  CHECK(r.status == 400);
  CHECK(body_of(r)["message"] == "the name of the object (vm1) does not match the name on the URL (vm2)");
  (void)d;
  cluster.shutdown();
}

TEST_CASE("patches of all three kinds, and what each changes") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  cluster.run_until(0);
  Api api{cluster};
  REQUIRE(api.send("POST", kDeployments, deployment_json()).status == 201);
  REQUIRE(testing::run_until_true(cluster, 60, [&] { return running_pods(cluster, "web") == 2; }) > 0);
  const std::string web = std::string(kDeployments) + "/web";
  const auto rv = web_deployment(cluster)->metadata.resourceVersion;

  // kubectl label: a merge patch of metadata; no spec change, no new generation.
  auto r = api.send("PATCH", web, R"({"metadata":{"labels":{"tier":"front"}}})", "application/merge-patch+json",
                    {{"fieldManager", "kubectl-label"}});
  REQUIRE(r.status == 200);
  CHECK(web_deployment(cluster)->metadata.labels.at("tier") == "front");
  CHECK(web_deployment(cluster)->metadata.generation == 1);
  CHECK(web_deployment(cluster)->metadata.resourceVersion != rv);

  // A patch that changes nothing is no write.
  const auto rv2 = web_deployment(cluster)->metadata.resourceVersion;
  CHECK(api.send("PATCH", web, R"({"metadata":{"labels":{"tier":"front"}}})", "application/merge-patch+json",
                 {{"fieldManager", "kubectl-label"}})
            .status == 200);
  CHECK(web_deployment(cluster)->metadata.resourceVersion == rv2);

  // kubectl set image / apply: a strategic merge patch of one container by name rolls out a new ReplicaSet.
  r = api.send("PATCH", web, R"({"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.28"}]}}}})",
               "application/strategic-merge-patch+json", {{"fieldManager", "kubectl-set"}});
  REQUIRE(r.status == 200);
  const auto& container = web_deployment(cluster)->spec.template_.spec.containers.at(0);
  CHECK(container.image == "nginx:1.28");
  CHECK(container.resources.requests.count("cpu") == 1);  // merged, not replaced
  CHECK(web_deployment(cluster)->metadata.generation == 2);
  REQUIRE(testing::run_until_true(cluster, cluster.now() + 120, [&] {
    return cluster.store().list(models::ReplicaSet::kind_info(), "default").size() == 2 &&
           running_pods(cluster, "web") == 2;
  }) > 0);

  // kubectl patch --type=json: a failing test is 422 and changes nothing.
  r = api.send("PATCH", web, R"([{"op":"test","path":"/spec/replicas","value":7},{"op":"replace","path":"/spec/replicas","value":9}])",
               "application/json-patch+json");
  CHECK(r.status == 422);
  CHECK(body_of(r)["message"] == "json patch operation 0 (test /spec/replicas): test failed: the value is 2, not 7");
  CHECK(web_deployment(cluster)->spec.replicas == 2);
  // A patch that breaks validation is 422 with the field.
  r = api.send("PATCH", web, R"([{"op":"replace","path":"/spec/replicas","value":-1}])", "application/json-patch+json");
  CHECK(r.status == 422);
  CHECK(cause_for(body_of(r), "spec.replicas").is_object());
  // A patch naming a stale resourceVersion is refused.
  r = api.send("PATCH", web, R"({"metadata":{"resourceVersion":"3"},"spec":{"replicas":3}})",
               "application/merge-patch+json");
  CHECK(r.status == 409);

  // A custom resource has no strategic merge patch: upstream's 415.
  REQUIRE(api.send("POST", kVms, vm_json("vm1", "Halted")).status == 201);
  r = api.send("PATCH", std::string(kVms) + "/vm1", R"({"spec":{"runStrategy":"Always"}})",
               "application/strategic-merge-patch+json");
  CHECK(r.status == 415);
  CHECK(body_of(r)["message"] ==
        "the body of the request was in an unknown format - accepted media types include: "
        "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
  // A merge patch of it starts it.
  r = api.send("PATCH", std::string(kVms) + "/vm1", R"({"spec":{"runStrategy":"Always"}})",
               "application/merge-patch+json", {{"fieldManager", "kubectl-patch"}});
  CHECK(r.status == 200);
  CHECK(body_of(r)["metadata"]["generation"] == 2);
  CHECK(testing::run_until_true(cluster, cluster.now() + 120, [&] {
    auto vmi = cluster.store().get<models::VirtualMachineInstance>("default", "vm1");
    return vmi && vmi->status.phase == "Running";
  }) > 0);
  cluster.shutdown();
}

TEST_CASE("the status subresource writes only status, the main resource never does") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  cluster.run_until(0);
  Api api{cluster};
  REQUIRE(api.send("POST", kVms, vm_json("vm1", "Halted")).status == 201);
  const std::string vm = std::string(kVms) + "/vm1";
  // A merge patch of the main resource that touches status changes nothing there.
  auto r = api.send("PATCH", vm, R"({"status":{"printableStatus":"Hacked"},"metadata":{"labels":{"a":"b"}}})",
                    "application/merge-patch+json");
  REQUIRE(r.status == 200);
  CHECK(body_of(r)["status"].value("printableStatus", std::string()) != "Hacked");
  CHECK(body_of(r)["metadata"]["labels"]["a"] == "b");
  // Through the status subresource, only status moves.
  r = api.send("PATCH", vm + "/status", R"({"status":{"printableStatus":"Hacked"},"metadata":{"labels":{"a":"c"}}})",
               "application/merge-patch+json", {{"fieldManager", "tester"}});
  REQUIRE(r.status == 200);
  const Json after = body_of(r);
  CHECK(after["status"]["printableStatus"] == "Hacked");
  CHECK(after["metadata"]["labels"]["a"] == "b");
  bool status_entry = false;
  for (const auto& e : after["metadata"]["managedFields"])
    if (e["manager"] == "tester") status_entry = e["subresource"] == "status" && e["fieldsV1"].contains("f:status");
  CHECK(status_entry);
  cluster.shutdown();
}

TEST_CASE("kubectl scale patches the scale subresource and the Deployment's ReplicaSet follows") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  cluster.run_until(0);
  Api api{cluster};
  REQUIRE(api.send("POST", kDeployments, deployment_json(2)).status == 201);
  REQUIRE(testing::run_until_true(cluster, 60, [&] { return running_pods(cluster, "web") == 2; }) > 0);
  const std::string scale = std::string(kDeployments) + "/web/scale";
  auto r = api.send("GET", scale);
  REQUIRE(r.status == 200);
  Json s = body_of(r);
  CHECK(s["kind"] == "Scale");
  CHECK(s["apiVersion"] == "autoscaling/v1");
  CHECK(s["spec"]["replicas"] == 2);
  CHECK(s["status"]["replicas"] == 2);
  CHECK(s["status"]["selector"] == "app=web");

  r = api.send("PATCH", scale, R"({"spec":{"replicas":5}})", "application/merge-patch+json",
               {{"fieldManager", "kubectl-scale"}});
  REQUIRE(r.status == 200);
  CHECK(body_of(r)["spec"]["replicas"] == 5);
  CHECK(web_deployment(cluster)->metadata.generation == 2);
  REQUIRE(testing::run_until_true(cluster, cluster.now() + 120, [&] { return running_pods(cluster, "web") == 5; }) > 0);
  auto rs = std::static_pointer_cast<const models::ReplicaSet>(
      cluster.store().list(models::ReplicaSet::kind_info(), "default").at(0));
  CHECK(rs->spec.replicas == 5);

  // Negative replicas: upstream's words; a stale resourceVersion in a PUT: 409.
  r = api.send("PATCH", scale, R"({"spec":{"replicas":-1}})", "application/merge-patch+json");
  CHECK(r.status == 422);
  CHECK(body_of(r)["message"] ==
        "Scale.autoscaling \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0");
  s = body_of(api.send("GET", scale));
  s["metadata"]["resourceVersion"] = "2";
  s["spec"]["replicas"] = 1;
  CHECK(api.send("PUT", scale, s.dump()).status == 409);
  // A kind without replicas has no scale.
  CHECK(api.send("GET", "/api/v1/namespaces/default/pods/x/scale").status == 404);

  // A VirtualMachineInstanceReplicaSet scales the same way; its VMIs follow.
  const std::string vmirs = R"({"apiVersion":"kubevirt.io/v1","kind":"VirtualMachineInstanceReplicaSet",
    "metadata":{"name":"cirros"},"spec":{"replicas":0,"selector":{"matchLabels":{"app":"cirros"}},
    "template":{"metadata":{"labels":{"app":"cirros"}},"spec":{"domain":{"devices":{},
    "resources":{"requests":{"memory":"128Mi"}}}}}}})";
  const std::string rs_scale = "/apis/kubevirt.io/v1/namespaces/default/virtualmachineinstancereplicasets/cirros/scale";
  REQUIRE(api.send("POST", "/apis/kubevirt.io/v1/namespaces/default/virtualmachineinstancereplicasets", vmirs).status == 201);
  r = api.send("PATCH", rs_scale, R"({"spec":{"replicas":2}})", "application/merge-patch+json");
  REQUIRE(r.status == 200);
  CHECK(body_of(r)["spec"]["replicas"] == 2);
  CHECK(testing::run_until_true(cluster, cluster.now() + 60, [&] {
    return cluster.store().list(models::VirtualMachineInstance::kind_info(), "default").size() == 2;
  }) > 0);
  CHECK(body_of(api.send("GET", rs_scale))["status"]["selector"] == "app=cirros");
  cluster.shutdown();
}

TEST_CASE("DELETE honours propagationPolicy, preconditions and a pod's grace period") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  cluster.run_until(0);
  Api api{cluster};
  REQUIRE(api.send("POST", kDeployments, deployment_json(2)).status == 201);
  REQUIRE(testing::run_until_true(cluster, 60, [&] { return running_pods(cluster, "web") == 2; }) > 0);
  const std::string web = std::string(kDeployments) + "/web";
  const auto uid = web_deployment(cluster)->metadata.uid;

  // A wrong uid precondition: 409, nothing deleted.
  auto r = api.send("DELETE", web, R"({"preconditions":{"uid":"not-it"}})");
  CHECK(r.status == 409);
  CHECK(body_of(r)["message"] == "Operation cannot be fulfilled on deployments.apps \"web\": Precondition failed: UID "
                                 "in precondition: not-it, UID in object meta: " + uid);
  CHECK(api.send("DELETE", web, R"({"propagationPolicy":"Sometimes"})").status == 422);

  // A pod is kept through its grace period and answered with its deletionTimestamp.
  const auto pod = cluster.store().list(models::Pod::kind_info(), "default").at(0);
  r = api.send("DELETE", "/api/v1/namespaces/default/pods/" + pod->metadata.name, R"({"gracePeriodSeconds":5})");
  REQUIRE(r.status == 200);
  CHECK(body_of(r)["kind"] == "Pod");
  CHECK(body_of(r)["metadata"].contains("deletionTimestamp"));
  CHECK(body_of(r)["metadata"]["deletionGracePeriodSeconds"] == 5);

  // Orphan: the Deployment goes at once (a Success Status), its ReplicaSet stays without an owner.
  r = api.send("DELETE", web, R"({"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Orphan"})");
  REQUIRE(r.status == 200);
  const Json s = body_of(r);
  CHECK(s["kind"] == "Status");
  CHECK(s["status"] == "Success");
  CHECK(s["details"] == Json({{"name", "web"}, {"group", "apps"}, {"kind", "deployments"}, {"uid", uid}}));
  CHECK_FALSE(web_deployment(cluster));
  auto sets = cluster.store().list(models::ReplicaSet::kind_info(), "default");
  REQUIRE(sets.size() == 1);
  CHECK(sets[0]->metadata.ownerReferences.empty());
  const std::string rs = "/apis/apps/v1/namespaces/default/replicasets/" + sets[0]->metadata.name;

  // Foreground: the ReplicaSet is kept (foregroundDeletion) until its pods are gone.
  r = api.send("DELETE", rs, R"({"propagationPolicy":"Foreground"})");
  REQUIRE(r.status == 200);
  CHECK(body_of(r)["kind"] == "ReplicaSet");
  CHECK(body_of(r)["metadata"]["finalizers"] == Json::array({"foregroundDeletion"}));
  CHECK(testing::run_until_true(cluster, cluster.now() + 120, [&] {
    return cluster.store().list(models::ReplicaSet::kind_info(), "default").empty() &&
           cluster.store().list(models::Pod::kind_info(), "default").empty();
  }) > 0);
  CHECK(api.send("DELETE", rs).status == 404);
  cluster.shutdown();
}

TEST_CASE("deletecollection deletes what the selectors match") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  cluster.run_until(0);
  Api api{cluster};
  for (const char* name : {"a", "b", "c"}) {
    Json cm = {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", name}}}, {"data", {{"k", "v"}}}};
    if (std::string(name) != "c") cm["metadata"]["labels"] = {{"group", "x"}};
    REQUIRE(api.send("POST", "/api/v1/namespaces/default/configmaps", cm.dump()).status == 201);
  }
  auto r = api.send("DELETE", "/api/v1/namespaces/default/configmaps", {}, "application/json",
                    {{"labelSelector", "group=x"}});
  REQUIRE(r.status == 200);
  CHECK(body_of(r)["kind"] == "ConfigMapList");
  CHECK(body_of(r)["items"].size() == 2);
  auto left = cluster.store().list(models::ConfigMap::kind_info(), "default");
  REQUIRE(left.size() == 1);
  CHECK(left[0]->metadata.name == "c");
  cluster.shutdown();
}

TEST_CASE("server-side apply creates, refuses a conflicting change, and takes ownership with force") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  cluster.run_until(0);
  Api api{cluster};
  const std::string web = std::string(kDeployments) + "/web";
  const std::map<std::string, std::string> as_kubectl = {{"fieldManager", "kubectl"}, {"force", "false"}};
  auto r = api.send("PATCH", web, deployment_json(2), "application/apply-patch+yaml", as_kubectl);
  REQUIRE(r.status == 201);
  Json mf = body_of(r)["metadata"]["managedFields"];
  REQUIRE(mf.size() == 1);
  CHECK(mf[0]["operation"] == "Apply");
  CHECK(mf[0]["fieldsV1"]["f:spec"]["f:template"]["f:spec"]["f:containers"].contains("k:{\"name\":\"nginx\"}"));

  // kubectl scale takes .spec.replicas; applying another value is now a conflict.
  REQUIRE(api.send("PATCH", web + "/scale", R"({"spec":{"replicas":3}})", "application/merge-patch+json",
                   {{"fieldManager", "kubectl-scale"}})
              .status == 200);
  r = api.send("PATCH", web, deployment_json(4), "application/apply-patch+yaml", as_kubectl);
  CHECK(r.status == 409);
  const Json s = body_of(r);
  CHECK(s["reason"] == "Conflict");
  CHECK(s["message"] == "Apply failed with 1 conflict: conflict with \"kubectl-scale\" with subresource \"scale\" "
                        "using apps/v1: .spec.replicas");
  REQUIRE(s["details"]["causes"].size() == 1);
  CHECK(s["details"]["causes"][0]["reason"] == "FieldManagerConflict");
  CHECK(s["details"]["causes"][0]["field"] == ".spec.replicas");
  CHECK(web_deployment(cluster)->spec.replicas == 3);

  // The same value is no conflict; force moves ownership.
  CHECK(api.send("PATCH", web, deployment_json(3), "application/apply-patch+yaml", as_kubectl).status == 200);
  r = api.send("PATCH", web, deployment_json(4), "application/apply-patch+yaml",
               {{"fieldManager", "kubectl"}, {"force", "true"}});
  REQUIRE(r.status == 200);
  CHECK(web_deployment(cluster)->spec.replicas == 4);
  // The body is held in a variable: a range-for over a member of a temporary reads freed memory
  // before C++23 (AddressSanitizer found it here).
  const Json forced = body_of(r);
  for (const auto& e : forced["metadata"]["managedFields"])
    if (e["manager"] == "kubectl-scale") CHECK_FALSE(e["fieldsV1"]["f:spec"].contains("f:replicas"));

  // Dropping a field from the configuration gives it back to its default.
  Json without = Json::parse(deployment_json(4));
  without["spec"].erase("replicas");
  r = api.send("PATCH", web, without.dump(), "application/apply-patch+yaml", as_kubectl);
  REQUIRE(r.status == 200);
  CHECK(web_deployment(cluster)->spec.replicas == 1);
  // Apply needs a field manager; a configuration carrying managedFields is refused.
  CHECK(api.send("PATCH", web, without.dump(), "application/apply-patch+yaml").status == 422);
  cluster.shutdown();
}

TEST_CASE("every object of the default scenario reads back through a no-op patch unchanged") {
  // The API decodes what it encodes: a merge patch of {} must be accepted for
  // every kind the cluster holds, and write nothing.
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  cluster.run_until(0);
  testing::apply_yaml(cluster, R"(
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: vm1, namespace: default}
spec:
  runStrategy: Always
  template:
    spec:
      domain:
        devices:
          disks: [{name: rootdisk, disk: {bus: virtio}}]
        resources: {requests: {memory: 128Mi}}
      volumes: [{name: rootdisk, containerDisk: {image: quay.io/kubevirt/cirros-container-disk-demo}}]
)");
  testing::apply_yaml(cluster, testing::web_replicaset_yaml(2));
  cluster.run_until(90);
  Api api{cluster};
  int checked = 0;
  for (const auto* kind : models::all_kinds()) {
    if (!kind->not_modelled.empty() || kind->kind == "Event") continue;
    for (const auto& o : cluster.store().list(*kind)) {
      const std::string base = kind->group().empty() ? "/api/v1" : "/apis/" + std::string(kind->api_version);
      const std::string path = base + (kind->namespaced ? "/namespaces/" + o->metadata.namespace_ : "") + "/" +
                               std::string(kind->plural) + "/" + o->metadata.name;
      auto r = api.send("PATCH", path, "{}", "application/merge-patch+json");
      INFO(path << " -> " << r.body);
      CHECK(r.status == 200);
      CHECK(cluster.store().get(*kind, o->metadata.namespace_, o->metadata.name)->metadata.resourceVersion ==
            o->metadata.resourceVersion);
      ++checked;
    }
  }
  CHECK(checked > 20);
  cluster.shutdown();
}

TEST_CASE("malformed and mutated write requests are answered with a 4xx Status, never a crash or a 500") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  cluster.run_until(0);
  Api api{cluster};
  REQUIRE(api.send("POST", kDeployments, deployment_json()).status == 201);
  REQUIRE(api.send("POST", kVms, vm_json("vm1", "Halted")).status == 201);
  const std::string web = std::string(kDeployments) + "/web";
  struct Case {
    std::string method, path, content_type, body;
  };
  std::vector<Case> cases = {
      {"POST", kDeployments, "application/json", deployment_json()},
      {"PUT", web, "application/json", web_deployment(cluster)->to_json().dump()},
      {"PATCH", web, "application/merge-patch+json", R"({"metadata":{"labels":{"a":"b"}},"spec":{"replicas":3}})"},
      {"PATCH", web, "application/strategic-merge-patch+json",
       R"({"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"}],"containers":[{"name":"nginx","image":"x"}]}}}})"},
      {"PATCH", web, "application/json-patch+json", R"([{"op":"replace","path":"/spec/replicas","value":1}])"},
      {"PATCH", web, "application/apply-patch+yaml", deployment_json(3)},
      {"PATCH", web + "/scale", "application/merge-patch+json", R"({"spec":{"replicas":2}})"},
      {"PUT", web + "/scale", "application/json", R"({"kind":"Scale","metadata":{"name":"web"},"spec":{"replicas":2}})"},
      {"PATCH", web + "/status", "application/merge-patch+json", R"({"status":{"replicas":1}})"},
      {"DELETE", std::string(kVms) + "/vm9", "application/json", R"({"propagationPolicy":"Background","preconditions":{"uid":"x"}})"},
      {"POST", "/api/v1/namespaces/default/pods/nope/eviction", "application/json",
       R"({"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"nope"},"deleteOptions":{"gracePeriodSeconds":1}})"},
  };
  // Hand-picked shapes that are JSON but not what the endpoint reads.
  for (const char* body : {"null", "[]", "1", "\"s\"", R"({"metadata":[]})", R"({"metadata":{"name":7}})",
                           R"({"apiVersion":1,"kind":{}})", R"({"spec":{"replicas":"many"}})", R"({"spec":[]})",
                           R"({"metadata":{"managedFields":[{"manager":1,"operation":[]}]}})", "{", ""}) {
    for (const auto& c : cases) {
      auto r = api.send(c.method, c.path, body, c.content_type);
      INFO(c.method << " " << c.path << " " << body << " -> " << r.body);
      CHECK(r.status < 500);
      CHECK_NOTHROW(Json::parse(r.body));
    }
  }
  // Seeded mutations of valid bodies: truncated, a byte changed, a byte doubled.
  std::mt19937 rng(7);
  for (int i = 0; i < 600; ++i) {
    const auto& c = cases[rng() % cases.size()];
    std::string body = c.body;
    const auto at = body.empty() ? 0 : rng() % body.size();
    switch (rng() % 3) {
      case 0: body.resize(at); break;
      case 1: if (!body.empty()) body[at] = "{}[]\",:0a\\ \n"[rng() % 13]; break;
      default: body.insert(at, 1, body.empty() ? '{' : body[at]); break;
    }
    auto r = api.send(c.method, c.path, body, c.content_type);
    INFO(c.method << " " << c.path << " " << body << " -> " << r.body);
    CHECK(r.status < 500);
  }
  cluster.shutdown();
}
