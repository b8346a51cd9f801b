// ObjectMeta's labels, annotations, owner references and finalizers are held only when set
// (models::Sparse), and the large optional members of VMs, VMIs and pods on the heap
// (models::Boxed), to save memory at scale. A user must not see it: an object reads, writes,
// copies, encodes, decodes and compares as it did with the plain containers and optionals.
#include <catch2/catch.hpp>

#include <string>

#include "models/codec/same_encoding.hpp"
#include "models/kubevirt.hpp"
#include "models/manifest.hpp"
#include "models/pod.hpp"
#include "sim/scenario/field_value.hpp"

using namespace kvsim;

namespace {

models::Pod bare_pod(const std::string& name) {
  models::Pod p;
  p.apiVersion = "v1";
  p.kind = "Pod";
  p.metadata.name = name;
  p.metadata.namespace_ = "default";
  return p;
}

}  // namespace

TEST_CASE("unset labels, annotations, owners and finalizers read as empty, and a copy written to keeps the original") {
  const models::Pod plain = bare_pod("p");
  const models::Labels& labels = plain.metadata.labels;
  CHECK(labels.empty());
  CHECK(plain.metadata.labels.find("app") == plain.metadata.labels.end());
  CHECK(plain.metadata.finalizers.size() == 0);
  const auto bare = plain.to_json();
  CHECK_FALSE(bare["metadata"].contains("labels"));
  CHECK_FALSE(bare["metadata"].contains("annotations"));
  CHECK_FALSE(bare["metadata"].contains("ownerReferences"));
  CHECK_FALSE(bare["metadata"].contains("finalizers"));

  models::Pod labelled = plain;
  labelled.metadata.labels["app"] = "web";
  labelled.metadata.annotations.emplace("note", "first");
  labelled.metadata.finalizers.push_back("example.com/keep");
  labelled.metadata.ownerReferences.push_back({"apps/v1", "ReplicaSet", "web-1", "uid-rs", true, true});
  CHECK(plain.metadata.labels.empty());
  CHECK(labelled.metadata.labels.at("app") == "web");
  CHECK(sim::scenario::field_value(labelled, "metadata.labels.app") == "web");
  const auto set = labelled.to_json();
  CHECK(set["metadata"]["labels"] == models::Json{{"app", "web"}});
  CHECK(set["metadata"]["annotations"] == models::Json{{"note", "first"}});
  CHECK(set["metadata"]["finalizers"] == models::Json::array({"example.com/keep"}));
  CHECK(set["metadata"]["ownerReferences"][0]["name"] == "web-1");
  CHECK(labelled.metadata.controller_ref() != nullptr);
  CHECK_FALSE(models::same_encoding(plain, labelled));

  SECTION("a copy is its own") {
    models::Pod copy = labelled;
    copy.metadata.labels["app"] = "db";
    copy.metadata.finalizers.clear();
    CHECK(labelled.metadata.labels.at("app") == "web");
    CHECK(labelled.metadata.finalizers.size() == 1);
    CHECK(copy.metadata.finalizers.empty());
    CHECK_FALSE(copy.to_json()["metadata"].contains("finalizers"));
  }
  SECTION("erasing reads as std::erase does, and does nothing to an empty one") {
    models::Pod p = labelled;
    CHECK(erase(p.metadata.finalizers, "example.com/other") == 0);
    CHECK(erase(p.metadata.finalizers, "example.com/keep") == 1);
    CHECK(erase_if(p.metadata.ownerReferences, [](const auto& r) { return r.uid == "uid-rs"; }) == 1);
    CHECK(p.metadata.annotations.erase("note") == 1);
    models::Pod empty = plain;
    CHECK(erase(empty.metadata.finalizers, "example.com/keep") == 0);
    CHECK(empty.metadata.labels.erase("app") == 0);
    CHECK(models::same_encoding(empty, plain));
    p.metadata.labels.erase("app");
    CHECK(models::same_encoding(p, plain));  // emptied: encodes as never set
  }
}

TEST_CASE("a manifest's metadata and boxed members decode and print as they came") {
  const auto loaded = models::load_manifests(R"(apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata:
  name: vm-1
  namespace: default
  labels: {app: web}
  annotations: {note: kept}
  finalizers: [example.com/keep]
spec:
  runStrategy: Always
  instancetype: {name: u1.small}
  template:
    metadata: {labels: {kubevirt.io/vm: vm-1}}
    spec:
      affinity: {}
      domain:
        cpu: {cores: 2}
        devices: {}
)",
                                             "vm.yaml");
  REQUIRE(loaded.problems.empty());
  REQUIRE(loaded.objects.size() == 1);
  const auto& vm = static_cast<const models::VirtualMachine&>(*loaded.objects[0]);
  CHECK(vm.metadata.labels.at("app") == "web");
  CHECK(vm.metadata.annotations.at("note") == "kept");
  REQUIRE(vm.spec.instancetype);
  CHECK(vm.spec.instancetype->name == "u1.small");
  CHECK_FALSE(vm.spec.preference);
  CHECK_FALSE(vm.status.startFailure.has_value());
  REQUIRE(vm.spec.template_.spec.domain.cpu);
  CHECK(vm.spec.template_.spec.domain.cpu->cores == 2);
  CHECK_FALSE(vm.spec.template_.spec.domain.memory);
  const auto json = vm.to_json();
  CHECK(json["metadata"]["finalizers"] == models::Json::array({"example.com/keep"}));
  CHECK(json["spec"]["instancetype"] == models::Json{{"name", "u1.small"}});
  CHECK_FALSE(json["spec"].contains("preference"));
  // An optional struct set empty is kept, as `affinity: {}` was written.
  CHECK(json["spec"]["template"]["spec"]["affinity"] == models::Json::object());
  CHECK_FALSE(json["spec"]["template"]["spec"]["domain"].contains("memory"));
  CHECK(sim::scenario::field_value(vm, "spec.template.spec.domain.cpu.cores") == "2");
  CHECK(sim::scenario::field_value(vm, "spec.preference.name") == "");

  SECTION("a copy of a boxed member is its own, and compares by what it holds") {
    models::VirtualMachine copy = vm;
    copy.spec.template_.spec.domain.cpu->cores = 4;
    CHECK(vm.spec.template_.spec.domain.cpu->cores == 2);
    CHECK_FALSE(models::same_encoding(vm, copy));
    copy.spec.template_.spec.domain.cpu->cores = 2;
    CHECK(models::same_encoding(vm, copy));
    copy.spec.template_.spec.affinity.reset();
    CHECK_FALSE(models::same_encoding(vm, copy));
    CHECK_FALSE(copy.to_json()["spec"]["template"]["spec"].contains("affinity"));
  }
}
