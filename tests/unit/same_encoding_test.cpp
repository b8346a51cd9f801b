// same_encoding (the status comparison of virt-controller's reconciles) answers exactly as
// comparing the two encodings does, including where the encoding hides a difference.
#include <catch2/catch.hpp>

#include "models/codec/same_encoding.hpp"
#include "models/kubevirt.hpp"

using namespace kvsim;

TEST_CASE("same_encoding agrees with comparing encodings: equal, changed, and differing only below the encoding") {
  models::VMIStatus a;
  a.phase = "Running";
  a.nodeName = "worker-1";
  a.conditions = {{"Ready", "True", "", ""}};
  a.conditions[0].lastTransitionTime = models::Timestamp{12.25};
  a.phaseTransitionTimestamps = {{"Running", models::Timestamp{12.25}}};
  a.activePods = {{"uid-1", "worker-1"}};
  a.migrationState = models::Json{{"sourceNode", "worker-1"}};
  models::VMIStatus b = a;
  CHECK(models::same_encoding(a, b));

  SECTION("a changed field, nested or not, is a change") {
    b.phase = "Failed";
    CHECK_FALSE(models::same_encoding(a, b));
    b = a;
    b.conditions[0].status = "False";
    CHECK_FALSE(models::same_encoding(a, b));
    b = a;
    b.activePods["uid-2"] = "worker-2";
    CHECK_FALSE(models::same_encoding(a, b));
    b = a;
    b.migrationState["targetNode"] = "worker-2";
    CHECK_FALSE(models::same_encoding(a, b));
  }
  SECTION("a timestamp moved within its second encodes alike, as metav1.Time keeps whole seconds") {
    b.conditions[0].lastTransitionTime = models::Timestamp{12.75};
    REQUIRE(models::encode_value(a) == models::encode_value(b));
    CHECK(models::same_encoding(a, b));
    b.conditions[0].lastTransitionTime = models::Timestamp{13.0};
    CHECK_FALSE(models::same_encoding(a, b));
  }
}

// Every pair drawn from a small product of field values, some of which encode alike though they
// differ (a moved fraction of a second, an empty map against none, a quantity written two ways).
TEST_CASE("same_encoding agrees with comparing encodings on every pair of a product of statuses and resource lists") {
  std::vector<models::VMIStatus> statuses;
  for (const char* phase : {"", "Running"})
    for (double transition : {12.25, 12.75, 13.0})
      for (int pods : {0, 1})
        for (int state : {0, 1, 2}) {
          models::VMIStatus s;
          s.phase = phase;
          s.conditions = {{"Ready", "True", "", ""}};
          s.conditions[0].lastTransitionTime = models::Timestamp{transition};
          if (pods) s.activePods = {{"uid-1", "worker-1"}};
          if (state == 1) s.migrationState = models::Json::object();
          if (state == 2) s.migrationState = models::Json{{"sourceNode", "worker-1"}};
          statuses.push_back(s);
        }
  int alike = 0;
  for (const auto& a : statuses)
    for (const auto& b : statuses) {
      const bool encoded_alike = models::encode_value(a) == models::encode_value(b);
      INFO(models::encode_value(a).dump() << " vs " << models::encode_value(b).dump());
      CHECK(models::same_encoding(a, b) == encoded_alike);
      alike += encoded_alike;
    }
  CHECK(alike > static_cast<int>(statuses.size()));  // some differing pairs do encode alike

  const auto gi = *models::Quantity::parse("1Gi"), mi = *models::Quantity::parse("1024Mi");
  REQUIRE(gi == mi);  // the same amount, written two ways
  const models::ResourceList one{{"memory", gi}}, other{{"memory", mi}};
  CHECK_FALSE(models::same_encoding(one, other));
  CHECK(models::same_encoding(one, models::ResourceList{{"memory", *models::Quantity::parse("1Gi")}}));
}
