// kubectl apply's three-way merge: the file wins, what the last file set and
// this one drops goes, what others set stays.
#include <catch2/catch.hpp>

#include "sim/commands/apply_merge.hpp"

using kvsim::models::Json;
using namespace kvsim::sim::commands;

TEST_CASE("three_way_merge keeps what others set, removes what the file dropped, takes what the file sets") {
  const Json live = Json::parse(R"({"spec": {"replicas": 5, "paused": true, "strategy": {"type": "Recreate"}},
                                    "metadata": {"finalizers": ["f"], "annotations": {"rev": "2", "team": "a"}}})");
  const Json last = Json::parse(R"({"spec": {"paused": true, "strategy": {"type": "Recreate"}},
                                    "metadata": {"annotations": {"team": "a"}}})");
  const Json desired = Json::parse(R"({"spec": {"strategy": {"type": "RollingUpdate"}},
                                       "metadata": {"annotations": {}}})");
  const Json merged = three_way_merge(live, last, desired);
  CHECK(merged["spec"]["replicas"] == 5);                       // set by `scale`, never in a file
  CHECK_FALSE(merged["spec"].contains("paused"));               // the last file set it, this one drops it
  CHECK(merged["spec"]["strategy"]["type"] == "RollingUpdate");  // the file wins
  CHECK(merged["metadata"]["finalizers"] == Json::array({"f"}));
  CHECK(merged["metadata"]["annotations"] == Json::parse(R"({"rev": "2"})"));
}

TEST_CASE("three_way_merge replaces lists whole and takes new keys as written") {
  const Json live = Json::parse(R"({"containers": [{"name": "a", "image": "x:1", "imagePullPolicy": "IfNotPresent"}]})");
  const Json desired = Json::parse(R"({"containers": [{"name": "a", "image": "x:2"}], "hostname": "h"})");
  CHECK(three_way_merge(live, Json::object(), desired) == desired);
}

TEST_CASE("the last-applied annotation is the file's object as compact sorted JSON with an empty annotations map") {
  const Json document = Json::parse(R"({"kind": "Pod", "apiVersion": "v1", "metadata": {"name": "p", "namespace": "default"}})");
  CHECK(last_applied_value(document) ==
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"annotations\":{},\"name\":\"p\",\"namespace\":\"default\"}}\n");
  Json live = Json::object();
  live["metadata"]["annotations"][kLastAppliedAnnotation] = last_applied_value(document);
  CHECK(last_applied_of(live) == applied_configuration(document));
  CHECK(last_applied_of(Json::parse(R"({"metadata": {}})")) == Json::object());
}
