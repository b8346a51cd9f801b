// The store's watch delivery with label-selected watches indexed by label: a watch hears the
// objects that carry its label now or carried it before, and every watch of a kind hears a
// change in the order the watches were made, indexed or not.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "models/core.hpp"
#include "models/pod.hpp"
#include "bare_store.hpp"

using namespace kvsim;

namespace {

std::shared_ptr<models::Object> a_pod(const std::string& name, const models::Labels& labels) {
  auto pod = std::make_shared<models::Pod>();
  pod->apiVersion = "v1";
  pod->kind = "Pod";
  pod->metadata.name = name;
  pod->metadata.namespace_ = "default";
  pod->metadata.labels = labels;
  pod->spec.containers.push_back({});
  pod->spec.containers.back().name = "c";
  pod->spec.containers.back().image = "busybox";
  return pod;
}

}  // namespace

TEST_CASE("a label-selected watch hears only objects with its label, and watches hear a change in the order they were made") {
  testing::BareStore bare;
  auto& store = bare.store;
  const auto& cause = bare.cause;

  std::vector<std::string> heard;  // "watch:pod"
  auto hear = [&](const char* who) {
    return [&heard, who](const sim::api::WatchEvent& e) { heard.push_back(std::string(who) + ":" + e.object->metadata.name); };
  };
  const auto& pods = models::Pod::kind_info();
  store.watch({&pods, {}, std::nullopt, {}}, hear("all-1"));
  store.watch({&pods, {}, models::LabelSelector{{{"app", "web"}}, {}}, {}}, hear("web"));
  store.watch({&pods, {}, std::nullopt, {}}, hear("all-2"));
  store.watch({&pods, {}, models::LabelSelector{{{"app", "db"}, {"tier", "back"}}, {}}, {}}, hear("db-back"));
  store.watch({&pods, "other", models::LabelSelector{{{"app", "web"}}, {}}, {}}, hear("web-in-other"));

  REQUIRE(store.create(a_pod("p1", {{"app", "web"}}), cause).ok());
  CHECK(heard == std::vector<std::string>{"all-1:p1", "web:p1", "all-2:p1"});

  heard.clear();
  REQUIRE(store.create(a_pod("p2", {{"app", "db"}}), cause).ok());  // db without tier: no match
  CHECK(heard == std::vector<std::string>{"all-1:p2", "all-2:p2"});

  heard.clear();
  auto p2 = store.get(pods, "default", "p2")->clone();
  p2->metadata.labels["tier"] = "back";
  p2->metadata.resourceVersion.clear();
  REQUIRE(store.update(p2, cause).ok());
  CHECK(heard == std::vector<std::string>{"all-1:p2", "all-2:p2", "db-back:p2"});

  // Losing the label is heard by the watch it matched before (the watcher sees it leave).
  heard.clear();
  auto p1 = store.get(pods, "default", "p1")->clone();
  p1->metadata.labels["app"] = "api";
  p1->metadata.resourceVersion.clear();
  REQUIRE(store.update(p1, cause).ok());
  CHECK(heard == std::vector<std::string>{"all-1:p1", "web:p1", "all-2:p1"});

  heard.clear();
  auto p1b = store.get(pods, "default", "p1")->clone();
  p1b->metadata.annotations["x"] = "y";
  p1b->metadata.resourceVersion.clear();
  REQUIRE(store.update(p1b, cause).ok());
  CHECK(heard == std::vector<std::string>{"all-1:p1", "all-2:p1"});
}
