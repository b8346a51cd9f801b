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
