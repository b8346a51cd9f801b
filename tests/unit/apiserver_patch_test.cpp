// The patch formats of the API server and server-side apply, on plain JSON.
#include <catch2/catch.hpp>

#include "models/apps.hpp"
#include "models/core.hpp"
#include "models/kubevirt.hpp"
#include "sim/apiserver/json_patch.hpp"
#include "sim/apiserver/managed_fields.hpp"
#include "sim/apiserver/protobuf_bodies.hpp"
#include "sim/apiserver/server_side_apply.hpp"
#include "sim/apiserver/strategic_merge_patch.hpp"

using kvsim::models::Json;
using namespace kvsim::sim::apiserver;

namespace {

const TypeSchema& pod_schema() { return schema_for(kvsim::models::Pod::kind_info()); }
const TypeSchema& deployment_schema() { return schema_for(kvsim::models::Deployment::kind_info()); }

Json pod_json() {
  return Json::parse(R"({
    "apiVersion": "v1", "kind": "Pod",
    "metadata": {"name": "p", "namespace": "default", "finalizers": ["a", "b"]},
    "spec": {
      "containers": [
        {"name": "web", "image": "web:1", "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
         "ports": [{"containerPort": 80, "protocol": "TCP"}]},
        {"name": "sidecar", "image": "side:1"}
      ],
      "volumes": [{"name": "data", "emptyDir": {}}],
      "tolerations": [{"key": "x", "operator": "Exists"}]
    }
  })");
}

std::vector<std::string> names(const Json& list) {
  std::vector<std::string> out;
  for (const auto& item : list) out.push_back(item.value("name", std::string()));
  return out;
}

Json smp(const Json& doc, const char* patch, const TypeSchema& schema) {
  auto out = apply_strategic_merge_patch(doc, Json::parse(patch), schema);
  INFO(out.error);
  REQUIRE(out.ok());
  return out.result;
}

}  // namespace

TEST_CASE("a JSON patch applies its operations in order, and a failing one names itself and changes nothing") {
  const Json doc = pod_json();
  SECTION("add, replace, remove") {
    auto out = apply_json_patch(doc, Json::parse(R"([
      {"op": "add", "path": "/metadata/labels", "value": {"app": "web"}},
      {"op": "replace", "path": "/spec/containers/0/image", "value": "web:2"},
      {"op": "remove", "path": "/spec/tolerations"},
      {"op": "test", "path": "/spec/containers/1/name", "value": "sidecar"}])"));
    REQUIRE(out.ok());
    CHECK(out.result["metadata"]["labels"]["app"] == "web");
    CHECK(out.result["spec"]["containers"][0]["image"] == "web:2");
    CHECK_FALSE(out.result["spec"].contains("tolerations"));
  }
  SECTION("a failed test is 422 and says what the value is") {
    auto out = apply_json_patch(doc, Json::parse(R"([
      {"op": "replace", "path": "/spec/containers/0/image", "value": "web:2"},
      {"op": "test", "path": "/metadata/name", "value": "q"}])"));
    CHECK(out.code == 422);
    CHECK(out.error == "json patch operation 1 (test /metadata/name): test failed: the value is \"p\", not \"q\"");
  }
  SECTION("a path that is not there is 422") {
    auto out = apply_json_patch(doc, Json::parse(R"([{"op": "replace", "path": "/spec/nodeName", "value": "n1"}])"));
    CHECK(out.code == 422);
    CHECK(out.error.rfind("json patch operation 0 (replace /spec/nodeName): ", 0) == 0);
  }
  SECTION("a malformed patch is 400") {
    CHECK(apply_json_patch(doc, Json::parse(R"({"op": "add"})")).code == 400);
    auto out = apply_json_patch(doc, Json::parse(R"([{"op": "frobnicate", "path": "/a"}])"));
    CHECK(out.code == 400);
    CHECK(out.error ==
          "json patch operation 0: unsupported op \"frobnicate\" (expected add, remove, replace, move, copy or test)");
    CHECK(apply_json_patch(doc, Json::parse(R"([{"op": "add", "path": "/a"}])")).error ==
          "json patch operation 0: \"add\" needs a \"value\"");
  }
}

TEST_CASE("a merge patch merges objects, deletes with null and replaces lists") {
  auto out = apply_merge_patch(pod_json(), Json::parse(R"({"metadata": {"finalizers": null, "labels": {"a": "1"}},
                                                      "spec": {"containers": [{"name": "only"}]}})"));
  REQUIRE(out.ok());
  CHECK_FALSE(out.result["metadata"].contains("finalizers"));
  CHECK(out.result["metadata"]["labels"]["a"] == "1");
  CHECK(names(out.result["spec"]["containers"]) == std::vector<std::string>{"only"});
  CHECK(apply_merge_patch(pod_json(), Json::parse("[1]")).code == 400);
}

TEST_CASE("a strategic merge patch merges a built-in kind's lists by their merge keys") {
  const Json doc = pod_json();
  SECTION("a container is merged by name, the others stay") {
    auto out = smp(doc, R"({"spec": {"containers": [{"name": "web", "image": "web:2"}]}})", pod_schema());
    CHECK(names(out["spec"]["containers"]) == std::vector<std::string>{"web", "sidecar"});
    CHECK(out["spec"]["containers"][0]["image"] == "web:2");
    CHECK(out["spec"]["containers"][0]["env"].size() == 2);  // not replaced by the patch's container
  }
  SECTION("a new container comes before the live ones, as upstream orders it") {
    auto out = smp(doc, R"({"spec": {"containers": [{"name": "new", "image": "n:1"}]}})", pod_schema());
    CHECK(names(out["spec"]["containers"]) == std::vector<std::string>{"new", "web", "sidecar"});
  }
  SECTION("env by name and ports by containerPort, inside the merged container") {
    auto out = smp(doc, R"({"spec": {"containers": [{"name": "web",
        "env": [{"name": "B", "value": "3"}, {"name": "C", "value": "4"}],
        "ports": [{"containerPort": 443}]}]}})",
                   pod_schema());
    const auto& web = out["spec"]["containers"][0];
    CHECK(names(web["env"]) == std::vector<std::string>{"A", "B", "C"});
    CHECK(web["env"][1]["value"] == "3");
    CHECK(web["ports"].size() == 2);
  }
  SECTION("$patch: delete removes the item with that key") {
    auto out = smp(doc, R"({"spec": {"containers": [{"name": "sidecar", "$patch": "delete"}]}})", pod_schema());
    CHECK(names(out["spec"]["containers"]) == std::vector<std::string>{"web"});
  }
  SECTION("$patch: replace makes the patch's items the whole list") {
    auto out = smp(doc, R"({"spec": {"containers": [{"$patch": "replace"}, {"name": "solo", "image": "s:1"}]}})",
                   pod_schema());
    CHECK(names(out["spec"]["containers"]) == std::vector<std::string>{"solo"});
  }
  SECTION("$setElementOrder orders the merged list, as kubectl apply sends it") {
    auto out = smp(doc, R"({"spec": {"$setElementOrder/containers": [{"name": "sidecar"}, {"name": "web"}],
                                     "containers": [{"name": "web", "image": "web:3"}]}})",
                   pod_schema());
    CHECK(names(out["spec"]["containers"]) == std::vector<std::string>{"sidecar", "web"});
    CHECK(out["spec"]["containers"][1]["image"] == "web:3");
  }
  SECTION("$retainKeys: a volume changes its source") {
    auto out = smp(doc, R"({"spec": {"volumes": [{"name": "data", "$retainKeys": ["configMap", "name"],
                                                  "configMap": {"name": "cm"}}]}})",
                   pod_schema());
    CHECK(out["spec"]["volumes"][0] == Json::parse(R"({"name": "data", "configMap": {"name": "cm"}})"));
  }
  SECTION("$deleteFromPrimitiveList removes values from a set; a set otherwise grows") {
    auto out = smp(doc, R"({"metadata": {"$deleteFromPrimitiveList/finalizers": ["a"]}})", pod_schema());
    CHECK(out["metadata"]["finalizers"] == Json::parse(R"(["b"])"));
    out = smp(doc, R"({"metadata": {"finalizers": ["c"]}})", pod_schema());
    CHECK(out["metadata"]["finalizers"] == Json::parse(R"(["c", "a", "b"])"));
  }
  SECTION("a list without a merge key (tolerations) is replaced; null deletes a field") {
    auto out = smp(doc, R"({"spec": {"tolerations": [{"key": "y", "operator": "Exists"}], "volumes": null}})",
                   pod_schema());
    CHECK(out["spec"]["tolerations"].size() == 1);
    CHECK(out["spec"]["tolerations"][0]["key"] == "y");
    CHECK_FALSE(out["spec"].contains("volumes"));
  }
  SECTION("a Deployment's strategy keeps only the keys $retainKeys names") {
    const Json d = Json::parse(R"({"spec": {"strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}},
                                           "template": {"spec": {"containers": [{"name": "a", "image": "a:1"}]}}}})");
    auto out = smp(d, R"({"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}})", deployment_schema());
    CHECK(out["spec"]["strategy"] == Json::parse(R"({"type": "Recreate"})"));
  }
  SECTION("an item without its merge key is refused with upstream's words") {
    auto out = apply_strategic_merge_patch(doc, Json::parse(R"({"spec": {"containers": [{"image": "x"}]}})"),
                                           pod_schema());
    CHECK(out.code == 422);
    CHECK(out.error == "map: {\"image\":\"x\"} does not contain declared merge key: name");
  }
  SECTION("an unknown directive is refused") {
    auto out = apply_strategic_merge_patch(doc, Json::parse(R"({"spec": {"$patch": "frob"}})"), pod_schema());
    CHECK(out.code == 400);
  }
}

TEST_CASE("field sets read and write the fieldsV1 notation, list items marked with a dot") {
  const Json d = Json::parse(R"({"apiVersion": "apps/v1", "kind": "Deployment",
      "metadata": {"name": "web", "namespace": "default", "uid": "u", "labels": {"app": "web"}},
      "spec": {"replicas": 3, "template": {"spec": {"containers": [{"name": "web", "image": "web:1"}]}}},
      "status": {"replicas": 3}})");
  const auto set = field_set(d, deployment_schema(), ObjectPart::Main);
  const Json v1 = to_fields_v1(set);
  CHECK(v1 == Json::parse(R"({"f:metadata": {"f:labels": {"f:app": {}}},
      "f:spec": {"f:replicas": {}, "f:template": {"f:spec": {"f:containers": {
          "k:{\"name\":\"web\"}": {".": {}, "f:image": {}, "f:name": {}}}}}}})"));
  CHECK(from_fields_v1(v1) == set);
  const FieldPath image{"f:spec", "f:template", "f:spec", "f:containers", "k:{\"name\":\"web\"}", "f:image"};
  CHECK(set.count(image));
  CHECK(path_string(image) == ".spec.template.spec.containers[name=\"web\"].image");
  CHECK(field_set(d, deployment_schema(), ObjectPart::Status) == FieldSet{{"f:status", "f:replicas"}});
}

TEST_CASE("an update makes its writer the owner of what it changed, and takes it from the others") {
  const Json now = "2026-01-01T00:00:10Z";
  const Json v1 = Json::parse(R"({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                                  "spec": {"replicas": 3, "paused": false}})");
  std::vector<ManagedEntry> entries;
  record_update(entries, Json::object(), v1, {"kubectl-client-side-apply", "apps/v1", ""}, deployment_schema(),
                ObjectPart::Main, now);
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].fields == FieldSet{{"f:spec", "f:replicas"}, {"f:spec", "f:paused"}});
  Json v2 = v1;
  v2["spec"]["replicas"] = 5;
  record_update(entries, v1, v2, {"kubectl-scale", "apps/v1", "scale"}, deployment_schema(), ObjectPart::Main, now);
  REQUIRE(entries.size() == 2);
  CHECK(entries[0].fields == FieldSet{{"f:spec", "f:paused"}});
  CHECK(entries[1].subresource == "scale");
  CHECK(entries[1].fields == FieldSet{{"f:spec", "f:replicas"}});
  const Json encoded = encode_managed_fields(entries);
  CHECK(encoded[1]["manager"] == "kubectl-scale");
  CHECK(encoded[1]["subresource"] == "scale");
  CHECK(encoded[1]["time"] == now);
}

namespace {

const Json kApplyTime = "2026-01-01T00:01:00Z";

// A Deployment created by client-side apply (replicas 3) with its managedFields.
Json csa_deployment(int live_replicas) {
  Json d = Json::parse(R"({"apiVersion": "apps/v1", "kind": "Deployment",
      "metadata": {"name": "web", "namespace": "default", "resourceVersion": "7", "annotations": {
        "kubectl.kubernetes.io/last-applied-configuration":
          "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"annotations\":{},\"name\":\"web\",\"namespace\":\"default\"},\"spec\":{\"replicas\":3}}\n"}},
      "spec": {"replicas": 3, "template": {"spec": {"containers": [{"name": "web", "image": "web:1"}]}}}})");
  std::vector<ManagedEntry> entries;
  record_update(entries, Json::object(), d, {"kubectl-client-side-apply", "apps/v1", ""}, deployment_schema(),
                ObjectPart::Main, Json("2026-01-01T00:00:00Z"));
  d["metadata"]["managedFields"] = encode_managed_fields(entries);
  d["spec"]["replicas"] = live_replicas;
  return d;
}

Json apply_config(int replicas) {
  Json c = Json::parse(R"({"apiVersion": "apps/v1", "kind": "Deployment",
      "metadata": {"name": "web", "namespace": "default"},
      "spec": {"template": {"spec": {"containers": [{"name": "web", "image": "web:2"}]}}}})");
  c["spec"]["replicas"] = replicas;
  return c;
}

ApplySettlement ssa(const Json& live, const Json& config, const std::string& manager, bool force, Json* merged = nullptr) {
  auto plan = plan_apply(live, config, manager, deployment_schema());
  if (merged) *merged = plan.merged;
  return settle_apply(plan, live, plan.merged, config, manager, "apps/v1", force, deployment_schema(), kApplyTime);
}

std::vector<std::string> managers_of(const Json& managed_fields) {
  std::vector<std::string> out;
  for (const auto& e : managed_fields) out.push_back(e["manager"].get<std::string>() + "/" + e["operation"].get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("server-side apply refuses to change a field another manager owns, unless forced") {
  const Json live = csa_deployment(3);
  SECTION("another value is a conflict, in upstream's words") {
    auto s = ssa(live, apply_config(5), "deployer", false);
    REQUIRE(s.conflicts.size() == 2);  // replicas, and the container's image
    CHECK(s.conflict_message() ==
          "Apply failed with 2 conflicts: conflicts with \"kubectl-client-side-apply\" using apps/v1:\n"
          "- .spec.replicas\n- .spec.template.spec.containers[name=\"web\"].image");
    Json one = apply_config(5);
    one["spec"]["template"]["spec"]["containers"][0]["image"] = "web:1";
    s = ssa(live, one, "deployer", false);
    CHECK(s.conflict_message() ==
          "Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1: .spec.replicas");
  }
  SECTION("the same value is shared ownership") {
    Json same = apply_config(3);
    same["spec"]["template"]["spec"]["containers"][0]["image"] = "web:1";
    auto s = ssa(live, same, "deployer", false);
    REQUIRE(s.conflicts.empty());
    CHECK(managers_of(s.managed_fields) ==
          std::vector<std::string>{"deployer/Apply", "kubectl-client-side-apply/Update"});
    CHECK(from_fields_v1(s.managed_fields[1]["fieldsV1"]).count({"f:spec", "f:replicas"}));
  }
  SECTION("force takes the fields over") {
    Json merged;
    auto s = ssa(live, apply_config(5), "deployer", true, &merged);
    REQUIRE(s.conflicts.empty());
    CHECK(merged["spec"]["replicas"] == 5);
    const auto csa = from_fields_v1(s.managed_fields[1]["fieldsV1"]);
    CHECK_FALSE(csa.count({"f:spec", "f:replicas"}));
    CHECK(from_fields_v1(s.managed_fields[0]["fieldsV1"]).count({"f:spec", "f:replicas"}));
  }
  SECTION("kubectl's own manager takes over what still reads as the last-applied configuration") {
    auto s = ssa(live, apply_config(5), "kubectl", false);
    CHECK(s.conflicts.size() == 1);  // the image: not in the last-applied configuration
    Json only_replicas = apply_config(5);
    only_replicas["spec"].erase("template");
    s = ssa(live, only_replicas, "kubectl", false);
    CHECK(s.conflicts.empty());
    CHECK(s.last_applied == only_replicas.dump() + "\n");
    // Once the live value moved away from the annotation (kubectl scale), it is a conflict again.
    CHECK(ssa(csa_deployment(4), only_replicas, "kubectl", false).conflicts.size() == 1);
  }
}

TEST_CASE("server-side apply removes what its manager stopped applying, unless another applier holds it") {
  Json live = Json::parse(R"({"apiVersion": "apps/v1", "kind": "Deployment",
      "metadata": {"name": "web", "namespace": "default", "labels": {"a": "1", "b": "2"}},
      "spec": {"replicas": 2}})");
  std::vector<ManagedEntry> entries = {
      {"team-a", "Apply", "apps/v1", "", kApplyTime, {{"f:metadata", "f:labels", "f:a"}, {"f:metadata", "f:labels", "f:b"}}},
      {"team-b", "Apply", "apps/v1", "", kApplyTime, {{"f:metadata", "f:labels", "f:b"}}}};
  live["metadata"]["managedFields"] = encode_managed_fields(entries);
  const Json config = Json::parse(R"({"apiVersion": "apps/v1", "kind": "Deployment",
      "metadata": {"name": "web", "namespace": "default", "labels": {"c": "3"}}})");
  auto plan = plan_apply(live, config, "team-a", deployment_schema());
  CHECK(plan.merged["metadata"]["labels"] == Json::parse(R"({"b": "2", "c": "3"})"));
  CHECK(plan.merged["spec"]["replicas"] == 2);  // nobody applied it: kept
}

TEST_CASE("server-side apply merges keyed lists item by item") {
  const Json live = Json::parse(R"({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
      "spec": {"containers": [{"name": "a", "image": "a:1"}, {"name": "b", "image": "b:1"}]}})");
  const Json config = Json::parse(R"({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
      "spec": {"containers": [{"name": "b", "image": "b:2"}, {"name": "c", "image": "c:1"}]}})");
  auto plan = plan_apply(live, config, "m", pod_schema());
  CHECK(names(plan.merged["spec"]["containers"]) == std::vector<std::string>{"a", "b", "c"});
  CHECK(plan.merged["spec"]["containers"][1]["image"] == "b:2");
  // A custom resource's lists are atomic: the configuration replaces them.
  const auto& vm = schema_for(kvsim::models::VirtualMachine::kind_info());
  auto crd = plan_apply(live, config, "m", vm);
  CHECK(names(crd.merged["spec"]["containers"]) == std::vector<std::string>{"b", "c"});
}

namespace {

// Protobuf encoding, enough to write what client-go sends for an Eviction.
std::string varint(std::uint64_t v) {
  std::string out;
  do {
    unsigned char b = v & 0x7f;
    v >>= 7;
    out += static_cast<char>(v ? b | 0x80 : b);
  } while (v);
  return out;
}
std::string field(int number, const std::string& bytes) { return varint(number << 3 | 2) + varint(bytes.size()) + bytes; }
std::string number(int n, std::uint64_t v) { return varint(n << 3) + varint(v); }

std::string eviction_body(const std::string& kind) {
  const std::string meta = field(1, "web-1") + field(3, "default");
  const std::string options = number(1, 30) + field(2, field(1, "uid-1")) + field(4, "Foreground") + field(5, "All");
  const std::string eviction = field(1, meta) + field(2, options);
  const std::string type = field(1, "policy/v1") + field(2, kind);
  return std::string("k8s\0", 4) + field(1, type) + field(2, eviction) + field(4, "application/vnd.kubernetes.protobuf");
}

}  // namespace

TEST_CASE("the protobuf Secret and ConfigMap kubectl create sends read as their JSON form, bytes as base64") {
  auto envelope = [](const std::string& kind, const std::string& raw) {
    return std::string("k8s\0", 4) + field(1, field(1, "v1") + field(2, kind)) + field(2, raw);
  };
  const std::string meta = field(1, field(1, "db-creds") + field(3, "default") + field(11, field(1, "app") + field(2, "db")));
  const std::string secret = meta + field(2, field(1, "password") + field(2, "s3cr3t")) + field(3, "Opaque") +
                             field(4, field(1, "note") + field(2, "plain")) + number(5, 1);
  std::string error;
  auto s = decode_protobuf_body(envelope("Secret", secret), error);
  INFO(error);
  REQUIRE(s);
  CHECK(*s == Json::parse(R"({"apiVersion": "v1", "kind": "Secret",
      "metadata": {"name": "db-creds", "namespace": "default", "labels": {"app": "db"}},
      "data": {"password": "czNjcjN0"}, "type": "Opaque", "stringData": {"note": "plain"}, "immutable": true})"));
  const std::string cm = field(1, field(1, "app")) + field(2, field(1, "mode") + field(2, "fast")) +
                         field(3, field(1, "logo") + field(2, std::string("\x89PNG", 4)));
  auto c = decode_protobuf_body(envelope("ConfigMap", cm), error);
  REQUIRE(c);
  CHECK(*c == Json::parse(R"({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "app"},
      "data": {"mode": "fast"}, "binaryData": {"logo": "iVBORw=="}})"));
  // A map entry cut short is refused.
  CHECK_FALSE(decode_protobuf_body(envelope("Secret", meta + field(2, std::string("\x0a\x05" "ab", 4))), error));
  CHECK(error == "a malformed protobuf Secret");
}

TEST_CASE("the protobuf Eviction kubectl drain posts reads as its JSON form") {
  std::string error;
  auto e = decode_protobuf_body(eviction_body("Eviction"), error);
  INFO(error);
  REQUIRE(e);
  CHECK(*e == Json::parse(R"({"apiVersion": "policy/v1", "kind": "Eviction",
      "metadata": {"name": "web-1", "namespace": "default"},
      "deleteOptions": {"gracePeriodSeconds": 30, "preconditions": {"uid": "uid-1"},
                        "propagationPolicy": "Foreground", "dryRun": ["All"]}})"));
  CHECK_FALSE(decode_protobuf_body(eviction_body("Deployment"), error));
  CHECK(error == "kvsim reads protobuf only for an Eviction, DeleteOptions, Secret or ConfigMap, not Deployment");
  CHECK_FALSE(decode_protobuf_body("{\"kind\":\"Eviction\"}", error));
  // Truncated inside a field: refused, never read past the end. (Cut between
  // two top-level fields, a protobuf message is still a whole, shorter one.)
  const auto body = eviction_body("Eviction");
  const std::size_t after_type = 4 + field(1, field(1, "policy/v1") + field(2, "Eviction")).size();
  const std::size_t after_raw = body.size() - field(4, "application/vnd.kubernetes.protobuf").size();
  for (std::size_t n = 5; n < body.size(); ++n) {
    INFO(n);
    if (n == after_type || n == after_raw) CHECK(decode_protobuf_body(body.substr(0, n), error));
    else CHECK_FALSE(decode_protobuf_body(body.substr(0, n), error));
  }
}

TEST_CASE("the protobuf DeleteOptions kubectl drain sends with a DELETE reads as its JSON form") {
  const std::string options = number(1, 0) + field(4, "Background") + number(3, 1);
  const std::string type = field(1, "v1") + field(2, "DeleteOptions");
  std::string error;
  auto d = decode_protobuf_body(std::string("k8s\0", 4) + field(1, type) + field(2, options), error);
  INFO(error);
  REQUIRE(d);
  CHECK(*d == Json::parse(R"({"apiVersion": "v1", "kind": "DeleteOptions", "gracePeriodSeconds": 0,
                              "propagationPolicy": "Background", "orphanDependents": true})"));
}
