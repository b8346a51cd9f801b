// Secrets and ConfigMaps as the API server keeps them (stringData merged into
// base64 data, type Opaque by default, config-key rules) and as `oc get` and
// `oc describe` print them.
#include "models/base64.hpp"
#include "printer_fixtures.hpp"

using namespace printer_fixtures;

namespace {

const char* kDbSecret = R"(
apiVersion: v1
kind: Secret
metadata: {name: db-creds, namespace: default}
data:
  username: YWRtaW4=
stringData:
  password: s3cr3t-pass
)";

}  // namespace

TEST_CASE("a Secret's stringData is merged into base64 data on write and its type defaults to Opaque") {
  auto s = load_as<kvsim::models::Secret>(kDbSecret, 30);
  CHECK(s->type == "Opaque");
  CHECK(s->stringData.empty());
  CHECK(s->data == std::map<std::string, std::string>{{"password", "czNjcjN0LXBhc3M="}, {"username", "YWRtaW4="}});
  CHECK(s->value("password") == std::optional<std::string>("s3cr3t-pass"));
  CHECK(s->value("username") == std::optional<std::string>("admin"));
  const auto json = s->to_json();
  CHECK_FALSE(json.contains("stringData"));
  CHECK(json["type"] == "Opaque");
}

TEST_CASE("a key in both data and stringData takes stringData's value, as the API server merges them") {
  auto s = load_as<kvsim::models::Secret>(R"(
apiVersion: v1
kind: Secret
metadata: {name: s}
type: kubernetes.io/ssh-auth
data: {ssh-privatekey: b2xk}
stringData: {ssh-privatekey: new}
)");
  CHECK(s->type == "kubernetes.io/ssh-auth");
  CHECK(s->value("ssh-privatekey") == std::optional<std::string>("new"));
}

TEST_CASE("get secrets prints NAME TYPE DATA AGE and get configmaps NAME DATA AGE") {
  auto secret = load(kDbSecret, 125);
  CHECK(table({secret}) ==
        "NAME       TYPE     DATA   AGE\n"
        "db-creds   Opaque   2      2m5s\n");
  auto cm = load(R"(
apiVersion: v1
kind: ConfigMap
metadata: {name: app-config}
data: {mode: fast, level: "3"}
binaryData: {logo.png: iVBORw0=}
)", 3600 * 5);
  CHECK(table({cm}) ==
        "NAME         DATA   AGE\n"
        "app-config   3      5h\n");
}

TEST_CASE("describe secret shows each key's size in bytes and never its value") {
  auto s = load(kDbSecret, 60);
  const auto text = describe(*s, {}, kNow);
  CHECK(text ==
        "Name:         db-creds\n"
        "Namespace:    default\n"
        "Labels:       <none>\n"
        "Annotations:  <none>\n"
        "\n"
        "Type:  Opaque\n"
        "\n"
        "Data\n"
        "====\n"
        "password:  11 bytes\n"
        "username:  5 bytes\n");
  CHECK(text.find("s3cr3t") == std::string::npos);
  CHECK(text.find("admin") == std::string::npos);
}

TEST_CASE("describe configmap prints each value under its key, then BinaryData sizes and Events") {
  auto cm = load(R"(
apiVersion: v1
kind: ConfigMap
metadata: {name: app-config, namespace: default, labels: {app: web}}
data:
  mode: fast
  app.properties: |
    color=blue
binaryData: {logo.png: iVBORw0=}
)");
  CHECK(describe(*cm, {}, kNow) ==
        "Name:         app-config\n"
        "Namespace:    default\n"
        "Labels:       app=web\n"
        "Annotations:  <none>\n"
        "\n"
        "Data\n"
        "====\n"
        "app.properties:\n"
        "----\n"
        "color=blue\n"
        "\n"
        "\n"
        "mode:\n"
        "----\n"
        "fast\n"
        "\n"
        "\n"
        "BinaryData\n"
        "====\n"
        "logo.png: 5 bytes\n"
        "\n"
        "Events:  <none>\n");
}

TEST_CASE("a Secret value that is not base64 is refused with Go's decoder message, located", "[bad-input]") {
  auto result = kvsim::models::load_manifests(R"(apiVersion: v1
kind: Secret
metadata: {name: s}
data:
  password: not base64!
)", "s.yaml");
  REQUIRE_FALSE(result.ok());
  const auto text = kvsim::models::join_lines(result.problems);
  CHECK(text.find("data[password]: illegal base64 data at input byte 3") != std::string::npos);
  CHECK(text.find("s.yaml:") == 0);
}

TEST_CASE("a Secret or ConfigMap key outside [-._a-zA-Z0-9] is refused with the API server's message", "[bad-input]") {
  for (const char* kind : {"Secret", "ConfigMap"}) {
    INFO(kind);
    auto result = kvsim::models::load_manifests(std::string("apiVersion: v1\nkind: ") + kind +
                                                    "\nmetadata: {name: x}\ndata: {\"a b\": \"YQ==\"}\n",
                                                "x.yaml");
    REQUIRE_FALSE(result.ok());
    CHECK(kvsim::models::join_lines(result.problems).find(
              "data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', "
              "'_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is "
              "'[-._a-zA-Z0-9]+')") != std::string::npos);
  }
}

TEST_CASE("base64 round-trips every byte and rejects what Go's StdEncoding rejects") {
  std::string all;
  for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
  std::size_t bad = 0;
  for (std::size_t n : {0u, 1u, 2u, 3u, 4u, 255u, 256u}) {
    const auto encoded = kvsim::models::base64_encode(all.substr(0, n));
    CHECK(encoded.size() == (n + 2) / 3 * 4);
    CHECK(kvsim::models::base64_decode(encoded, bad) == std::optional<std::string>(all.substr(0, n)));
  }
  CHECK(kvsim::models::base64_encode("admin") == "YWRtaW4=");
  CHECK_FALSE(kvsim::models::base64_decode("YWRtaW4", bad));  // padding missing
  CHECK(bad == 4);
  CHECK_FALSE(kvsim::models::base64_decode("YW=taW4=", bad));  // one '=' where two belong
  CHECK(bad == 2);
  CHECK_FALSE(kvsim::models::base64_decode("YQ==YQ==", bad));
  CHECK(bad == 4);
}

TEST_CASE("an immutable Secret or ConfigMap refuses a change of its data, and a Secret any change of its type",
          "[bad-input]") {
  auto old_secret = load_as<kvsim::models::Secret>(R"(
apiVersion: v1
kind: Secret
metadata: {name: s, namespace: default}
immutable: true
stringData: {a: "1"}
)");
  auto next = std::static_pointer_cast<kvsim::models::Secret>(old_secret->clone());
  next->stringData = {{"a", "2"}};
  next->type = "kubernetes.io/tls";
  kvsim::models::DecodeContext ctx;
  kvsim::models::admit_update(*old_secret, *next, ctx);
  const auto text = kvsim::models::join_lines(ctx.problems);
  CHECK(text.find("type: Invalid value: \"kubernetes.io/tls\": field is immutable") != std::string::npos);
  CHECK(text.find("data: Forbidden: field is immutable when `immutable` is set") != std::string::npos);

  auto old_cm = load_as<kvsim::models::ConfigMap>(R"(
apiVersion: v1
kind: ConfigMap
metadata: {name: c, namespace: default}
immutable: true
data: {a: "1"}
)");
  auto same = std::static_pointer_cast<kvsim::models::ConfigMap>(old_cm->clone());
  kvsim::models::DecodeContext unchanged;
  kvsim::models::admit_update(*old_cm, *same, unchanged);
  CHECK(unchanged.problems.empty());
  auto freed = std::static_pointer_cast<kvsim::models::ConfigMap>(old_cm->clone());
  freed->immutable = false;
  kvsim::models::DecodeContext cm_ctx;
  kvsim::models::admit_update(*old_cm, *freed, cm_ctx);
  CHECK(kvsim::models::join_lines(cm_ctx.problems).find("immutable: Forbidden: field is immutable when `immutable` is set") !=
        std::string::npos);
}
