// oc process's template processing (openshift/library-go pkg/template/templateprocessing,
// pkg/template/generator; openshift/oc pkg/cli/process): pure, with a scripted draw.
#include <catch2/catch.hpp>

#include "models/manifest.hpp"
#include "models/template.hpp"
#include "sim/commands/template_processing.hpp"

using namespace kvsim;
using sim::commands::Draw;

namespace {

models::Template template_of(const std::string& yaml) {
  auto loaded = models::load_manifests(yaml, "t.yaml");
  for (const auto& p : loaded.problems) FAIL(p.str());
  REQUIRE(loaded.objects.size() == 1);
  return static_cast<const models::Template&>(*loaded.objects.front());
}

const char* const kTemplate = R"(
apiVersion: template.openshift.io/v1
kind: Template
metadata: {name: t, annotations: {description: "A test template"}}
labels: {app: "${NAME}"}
objects:
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: "${NAME}-config", namespace: hard-coded}
  data: {password: "${PASSWORD}", both: "${NAME}/${NAME}", unknown: "${OTHER}"}
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: "${NAME}", namespace: "${TARGET_NS}"}
  spec: {replicas: "${{REPLICAS}}", paused: "${{PAUSED}}", note: "x${{REPLICAS}}"}
parameters:
- {name: NAME, description: The name, generate: expression, from: "app-[a-z0-9]{4}"}
- {name: PASSWORD, description: A secret, generate: expression, from: "[A-Z]{2}"}
- {name: REPLICAS, value: "3"}
- {name: PAUSED, value: "false"}
- {name: TARGET_NS, value: apps}
- {name: OWNER, description: Who owns it, required: true}
)";

// Always the last character of the alphabet, or always the first.
const Draw kLast = [](std::uint64_t n) { return n - 1; };
const Draw kFirst = [](std::uint64_t) { return std::uint64_t{0}; };

}  // namespace

TEST_CASE("a range in a generator expression stops one short of its last character, as library-go slices it") {
  std::string error;
  CHECK(sim::commands::generate_expression("fedora-[a-z0-9]{4}", kLast, error) == "fedora-8888");
  CHECK(sim::commands::generate_expression("[a-z0-9]{3}", kFirst, error) == "aaa");
  CHECK(sim::commands::generate_expression("[0-9]{2}-[A-Z]{1}", kLast, error) == "88-Y");
  CHECK(sim::commands::generate_expression("[\\d]{2}", kLast, error) == "99");  // \d is every digit
  CHECK(error.empty());
  CHECK(sim::commands::generate_expression("plain", kLast, error) == "plain");
}

TEST_CASE("a malformed generator expression is refused with library-go's text", "[bad-input]") {
  std::string error;
  sim::commands::generate_expression("[z-a]{3}", kFirst, error);
  CHECK(error == "invalid range specified: z-a");
  error.clear();
  sim::commands::generate_expression("[a-z]{0}", kFirst, error);
  CHECK(error == "range must be within [1-255] characters (0)");
}

TEST_CASE("process substitutes ${NAME} in every string, ${{NAME}} as JSON, and adds the template's labels") {
  auto t = template_of(kTemplate);
  const auto out = sim::commands::process_template(t, {{"OWNER", "me"}}, false, kFirst);
  REQUIRE(out.error.empty());
  REQUIRE(out.objects.size() == 2);
  const auto& cm = out.objects[0];
  CHECK(cm["metadata"]["name"] == "app-aaaa-config");
  CHECK(cm["metadata"]["namespace"] == "");  // a hard-coded namespace is emptied
  CHECK(cm["metadata"]["labels"]["app"] == "app-aaaa");
  CHECK(cm["data"]["password"] == "AA");
  CHECK(cm["data"]["both"] == "app-aaaa/app-aaaa");
  CHECK(cm["data"]["unknown"] == "${OTHER}");  // no such parameter: left as written
  const auto& deploy = out.objects[1];
  CHECK(deploy["metadata"]["namespace"] == "apps");  // a namespace naming a parameter is kept
  CHECK(deploy["spec"]["replicas"] == 3);
  CHECK(deploy["spec"]["paused"] == false);
  CHECK(deploy["spec"]["note"] == "x${{REPLICAS}}");  // ${{...}} only as a whole string
}

TEST_CASE("a value given for a generated parameter replaces its generator") {
  auto t = template_of(kTemplate);
  const auto out = sim::commands::process_template(t, {{"NAME", "web"}, {"OWNER", "me"}}, false, kFirst);
  REQUIRE(out.error.empty());
  CHECK(out.objects[1]["metadata"]["name"] == "web");
}

TEST_CASE("process refuses an unknown parameter and a missing required one as oc prints them", "[bad-input]") {
  auto t = template_of(kTemplate);
  CHECK(sim::commands::process_template(t, {{"OWNER", "me"}, {"COLOR", "red"}}, false, kFirst).error ==
        "error: unknown parameter name \"COLOR\"");
  CHECK(sim::commands::process_template(t, {{"OWNER", "me"}, {"COLOR", "red"}}, true, kFirst).error.empty());
  CHECK(sim::commands::process_template(t, {}, false, kFirst).error ==
        "error: unable to process template\n"
        "  Required value: template.parameters[5]: parameter OWNER is required and must be specified");
}

TEST_CASE("process --parameters lists NAME DESCRIPTION GENERATOR VALUE, the expression for a generated one") {
  auto t = template_of(kTemplate);
  CHECK(sim::commands::print_template_parameters(t) ==
        "NAME                DESCRIPTION         GENERATOR           VALUE\n"
        "NAME                The name            expression          app-[a-z0-9]{4}\n"
        "PASSWORD            A secret            expression          [A-Z]{2}\n"
        "REPLICAS                                                    3\n"
        "PAUSED                                                      false\n"
        "TARGET_NS                                                   apps\n"
        "OWNER               Who owns it\n");
}

TEST_CASE("the processed List prints as oc's JSON: kind and apiVersion first, four spaces, HTML characters escaped") {
  const models::Json items = models::Json::array({{{"kind", "ConfigMap"}, {"data", {{"a", "<b>&"}}}}});
  CHECK(sim::commands::print_processed_list(items, false) ==
        "{\n"
        "    \"kind\": \"List\",\n"
        "    \"apiVersion\": \"v1\",\n"
        "    \"metadata\": {},\n"
        "    \"items\": [\n"
        "        {\n"
        "            \"data\": {\n"
        "                \"a\": \"\\u003cb\\u003e\\u0026\"\n"
        "            },\n"
        "            \"kind\": \"ConfigMap\"\n"
        "        }\n"
        "    ]\n"
        "}\n");
  CHECK(sim::commands::print_processed_list(items, true).rfind("apiVersion: v1\nitems:\n", 0) == 0);
}
