// Refusals read as kubectl prints them: Invalid lists its causes under
// `The Kind "name" is invalid:`, other codes name their reason.
#include <catch2/catch.hpp>

#include "sim/commands/server_error.hpp"

using kvsim::sim::api::WriteResult;
using kvsim::sim::commands::server_error;

TEST_CASE("an Invalid refusal with one cause reads The Kind \"name\" is invalid: cause") {
  const WriteResult r{nullptr, "Deployment.apps \"web\" is invalid: spec.selector: Invalid value: x: field is immutable",
                      422, "Deployment", "web", {"spec.selector: Invalid value: x: field is immutable"}};
  CHECK(server_error(r) == "The Deployment \"web\" is invalid: spec.selector: Invalid value: x: field is immutable");
}

TEST_CASE("an Invalid refusal with several causes lists one per line with a star") {
  const WriteResult r{nullptr, "", 422, "Deployment", "web",
                      {"spec.replicas: Invalid value: -1: must be greater than or equal to 0",
                       "spec.template.metadata.labels: Invalid value: x: `selector` does not match template `labels`"}};
  CHECK(server_error(r) ==
        "The Deployment \"web\" is invalid:\n"
        "* spec.replicas: Invalid value: -1: must be greater than or equal to 0\n"
        "* spec.template.metadata.labels: Invalid value: x: `selector` does not match template `labels`");
}

TEST_CASE("other refusals name the reason of their status code") {
  CHECK(server_error({nullptr, "pods \"x\" not found", 404, {}, {}, {}}) ==
        "Error from server (NotFound): pods \"x\" not found");
  CHECK(server_error({nullptr, "pods \"x\" already exists", 409, {}, {}, {}}) ==
        "Error from server (AlreadyExists): pods \"x\" already exists");
  CHECK(server_error({nullptr, "the object has been modified", 409, {}, {}, {}}) ==
        "Error from server (Conflict): the object has been modified");
  CHECK(server_error({nullptr, "cross-namespace owner references are not allowed", 422, {}, {}, {}}) ==
        "Error from server (Invalid): cross-namespace owner references are not allowed");
}
