// Events share their involvedObject and source (models::Shared) with the Events that name them
// alike, to save memory at scale. What a user reads must not show it: each Event encodes,
// decodes, compares and selects as if it held its own copy, and a change to one Event never
// reaches another.
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "models/codec/same_encoding.hpp"
#include "models/core.hpp"
#include "models/manifest.hpp"
#include "models/pod.hpp"
#include "bare_store.hpp"
#include "sim/scenario/field_value.hpp"

using namespace kvsim;

namespace {

models::Event event_about(const std::string& name) {
  models::Event e;
  e.apiVersion = "v1";
  e.kind = "Event";
  e.metadata.name = name + ".1";
  e.metadata.namespace_ = "default";
  e.involvedObject = models::ObjectReference{"kubevirt.io/v1", "VirtualMachineInstance", "default", name, "uid-1", {}, {}};
  e.reason = "Started";
  e.source = models::EventSource{"virt-handler", "worker-1"};
  return e;
}

}  // namespace

TEST_CASE("an Event copied and changed keeps the other's involvedObject and source, and both encode as their own") {
  const models::Event first = event_about("vm-1");
  models::Event second = first;
  second.involvedObject.mut().name = "vm-2";
  second.source.mut().host = "worker-2";

  CHECK(first.involvedObject->name == "vm-1");
  CHECK(first.source->host == "worker-1");
  const auto a = first.to_json(), b = second.to_json();
  CHECK(a["involvedObject"]["name"] == "vm-1");
  CHECK(b["involvedObject"]["name"] == "vm-2");
  CHECK(b["involvedObject"]["kind"] == "VirtualMachineInstance");
  CHECK(a["source"] == models::Json{{"component", "virt-handler"}, {"host", "worker-1"}});
  CHECK(b["source"]["host"] == "worker-2");
  CHECK(sim::scenario::field_value(second, "involvedObject.name") == "vm-2");
  CHECK(sim::scenario::field_value(first, "source.host") == "worker-1");

  SECTION("they compare by what they hold, shared or not") {
    CHECK_FALSE(models::same_encoding(first, second));
    second.involvedObject.mut().name = "vm-1";
    second.source.mut().host = "worker-1";
    CHECK(models::same_encoding(first, second));
    CHECK(models::same_encoding(first, models::Event(first)));
  }
}

TEST_CASE("an Event manifest decodes its involvedObject and source as plain fields, and without involvedObject is refused") {
  const auto loaded = models::load_manifests(R"(apiVersion: v1
kind: Event
metadata: {name: p.1, namespace: default}
involvedObject: {kind: Pod, name: p, namespace: default}
reason: Pulled
source: {component: kubelet}
)",
                                             "event.yaml");
  REQUIRE(loaded.problems.empty());
  REQUIRE(loaded.objects.size() == 1);
  const auto& e = static_cast<const models::Event&>(*loaded.objects[0]);
  CHECK(e.involvedObject->kind == "Pod");
  CHECK(e.involvedObject->name == "p");
  CHECK(e.source->component == "kubelet");
  CHECK(e.to_json()["involvedObject"] == models::Json{{"kind", "Pod"}, {"name", "p"}, {"namespace", "default"}});

  const auto refused = models::load_manifests("apiVersion: v1\nkind: Event\nmetadata: {name: p.1}\nreason: Pulled\n",
                                              "event.yaml");
  REQUIRE(refused.problems.size() == 1);
  CHECK(refused.problems[0].path == "involvedObject");
  CHECK(refused.problems[0].at.line == 1);
}

TEST_CASE("the store's Events about one object share its reference, and an aggregated Event counts apart") {
  testing::BareStore bare;
  auto& store = bare.store;
  const auto& cause = bare.cause;
  auto pod = std::make_shared<models::Pod>();
  pod->apiVersion = "v1";
  pod->kind = "Pod";
  pod->metadata.name = "virt-launcher-vm-1-abcde";
  pod->metadata.namespace_ = "default";
  pod->spec.containers.push_back({});
  pod->spec.containers.back().name = "compute";
  pod->spec.containers.back().image = "virt-launcher";
  const auto stored = store.create(pod, cause).object;
  REQUIRE(stored);

  store.record_event(*stored, "Normal", "Pulled", "Container image already present", "kubelet");
  store.record_event(*stored, "Normal", "Created", "Created container: compute", "kubelet");
  store.record_event(*stored, "Normal", "Pulled", "Container image already present", "kubelet");
  const auto events = store.events_for(stored->metadata.uid);
  REQUIRE(events.size() == 2);
  CHECK(events[0]->involvedObject.same_as(events[1]->involvedObject));
  CHECK(events[0]->source.same_as(events[1]->source));
  CHECK(events[0]->involvedObject->name == "virt-launcher-vm-1-abcde");
  CHECK(events[0]->involvedObject->uid == stored->metadata.uid);
  CHECK(events[0]->source->component == "kubelet");
  const auto& pulled = events[0]->reason == "Pulled" ? events[0] : events[1];
  const auto& created = events[0]->reason == "Created" ? events[0] : events[1];
  CHECK(pulled->count == 2);
  CHECK(created->count == 1);
  CHECK(pulled->involvedObject.same_as(created->involvedObject));
  // Their texts too: the type both say, and the reason of the Events that say the same.
  CHECK(pulled->type == "Normal");
  CHECK(pulled->type.same_as(created->type));
  CHECK(*pulled->message == "Container image already present");
  auto other = std::make_shared<models::Pod>(*pod);
  other->metadata.name = "virt-launcher-vm-2-fghij";
  const auto stored_other = store.create(other, cause).object;
  REQUIRE(stored_other);
  store.record_event(*stored_other, "Normal", "Pulled", "Container image already present", "kubelet");
  const auto others = store.events_for(stored_other->metadata.uid);
  REQUIRE(others.size() == 1);
  CHECK(others[0]->count == 1);
  CHECK(others[0]->involvedObject->name == "virt-launcher-vm-2-fghij");
  CHECK(others[0]->message.same_as(pulled->message));
  CHECK(others[0]->reason.same_as(pulled->reason));
}
