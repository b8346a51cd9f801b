// `-o yaml` as kubectl prints it (sigs.k8s.io/yaml over go-yaml v2, issue 20 item 15): which
// strings are quoted and how, literal blocks, folding past column 80, and the order of keys.
#include <catch2/catch.hpp>

#include <string>

#include "models/codec/yaml_writer.hpp"

using kvsim::models::Json;
using kvsim::models::to_yaml;

namespace {
std::string one(const std::string& value) { return to_yaml(Json{{"k", value}}); }
}  // namespace

TEST_CASE("strings that would read back as another type are double-quoted, as go-yaml's resolve decides") {
  // bools of YAML 1.1, nulls, numbers in every base, special floats, timestamps, sexagesimals
  for (const char* s : {"true", "False", "yes", "Y", "n", "on", "OFF", "null", "~", "", "123", "-7", "+1", "0755",
                        "08", "0x1F", "0o17", "0b101", "1_000", "1.5", ".5", "1e3", "0.055", ".inf", "-.Inf", ".NaN",
                        "2026-01-12T13:46:40Z", "2026-1-2", "2026-01-12 13:46:40", "12:30", "1:20:30.5"}) {
    INFO(s);
    CHECK(one(s) == "k: \"" + std::string(s) + "\"\n");
  }
  // ...and these do not: plain.
  for (const char* s : {"Running", "10.128.2.3", "1Gi", "100m", "NaN", "inf", "2026-13-01", "2026-02-30",
                        "v1.5.0", "a:b", "-foo", "kubevirt.io/domain", "<<", "virt-launcher-vm1-mgk5t"}) {
    INFO(s);
    CHECK(one(s) == "k: " + std::string(s) + "\n");
  }
}

TEST_CASE("strings a plain scalar cannot carry are single-quoted, or double-quoted with escapes") {
  CHECK(one("- x") == "k: '- x'\n");
  CHECK(one("a: b") == "k: 'a: b'\n");
  CHECK(one("a #b") == "k: 'a #b'\n");
  CHECK(one("*star") == "k: '*star'\n");
  CHECK(one("{}") == "k: '{}'\n");
  CHECK(one(" lead") == "k: ' lead'\n");
  CHECK(one("trail ") == "k: 'trail '\n");
  CHECK(one("it's: x") == "k: 'it''s: x'\n");
  CHECK(one("-") == "k: '-'\n");
  // control characters: double quotes and go-yaml's escapes
  CHECK(one("tab\there") == "k: \"tab\\there\"\n");
  CHECK(one(std::string("nul\x01") + "x") == "k: \"nul\\x01x\"\n");
  // a key that needs it too
  CHECK(to_yaml(Json{{"true", 1}, {"", 2}}) == "\"\": 2\n\"true\": 1\n");
}

TEST_CASE("multi-line strings are literal blocks with go-yaml's chomping and indentation hints") {
  CHECK(one("line1\nline2\n") == "k: |\n  line1\n  line2\n");
  CHECK(one("line1\nline2") == "k: |-\n  line1\n  line2\n");
  CHECK(one("a\n\n") == "k: |+\n  a\n\n");
  CHECK(one("a\n\nb\n") == "k: |\n  a\n\n  b\n");
  CHECK(one(" lead\n") == "k: |2\n   lead\n");
  CHECK(to_yaml(Json{{"l", Json::array({"x\ny\n"})}}) == "l:\n- |\n  x\n  y\n");
  // a space before a line break rules the block out: double quotes
  CHECK(one("a \nb") == "k: \"a \\nb\"\n");
}

TEST_CASE("long strings fold at a space once past column 80, continuing two columns in") {
  std::string words;
  for (int i = 0; i < 12; ++i) words += (i ? " " : "") + std::string(9, 'a');
  std::string first, rest;
  for (int i = 0; i < 8; ++i) first += (i ? " " : "") + std::string(9, 'a');
  for (int i = 0; i < 4; ++i) rest += (i ? " " : "") + std::string(9, 'a');
  // After 8 words the line is 82 columns: the next space becomes a line break.
  CHECK(one(words) == "k: " + first + "\n  " + rest + "\n");
  // Single-quoted text folds the same way, inside its quotes; a list item's continues under it.
  CHECK(one("x: " + words) == "k: 'x: " + first + "\n  " + rest + "'\n");
  CHECK(to_yaml(Json{{"l", Json::array({words})}}) == "l:\n- " + first + "\n  " + rest + "\n");
  // Keys never fold; nor does text without spaces.
  const std::string long_word(120, 'b');
  CHECK(one(long_word) == "k: " + long_word + "\n");
}

TEST_CASE("a scheduler message folds exactly as kubectl 1.32 printed it (kubectl create configmap --dry-run=client -o yaml)") {
  const std::string message =
      "0/6 nodes are available: 3 Insufficient memory, 3 node(s) had untolerated taint "
      "{node-role.kubernetes.io/master: }. preemption: 0/6 nodes are available: 3 No preemption victims found for "
      "incoming pod, 3 Preemption is not helpful for scheduling.";
  CHECK(to_yaml(Json{{"data", {{"long", message}}}}) ==
        "data:\n"
        "  long: '0/6 nodes are available: 3 Insufficient memory, 3 node(s) had untolerated\n"
        "    taint {node-role.kubernetes.io/master: }. preemption: 0/6 nodes are available:\n"
        "    3 No preemption victims found for incoming pod, 3 Preemption is not helpful for\n"
        "    scheduling.'\n");
  CHECK(to_yaml(Json{{"data", {{"z2", " lead\nx"}}}}) == "data:\n  z2: |2-\n     lead\n    x\n");
}

TEST_CASE("keys are in go-yaml's order: digit runs by value, other characters before letters") {
  const Json j = {{"a10", 1}, {"a9", 2}, {"b", 3}, {"Ab", 4}, {"_b", 5}};
  CHECK(to_yaml(j) == "_b: 5\nAb: 4\na9: 2\na10: 1\nb: 3\n");
}

TEST_CASE("nested maps indent by two, sequences in a map do not, empty ones are inline") {
  const Json j = Json::parse(R"({"metadata":{"name":"x","labels":{}},"items":[{"a":1,"b":[1,[2,3]]},"s",null,[]]})");
  CHECK(to_yaml(j) == "items:\n- a: 1\n  b:\n  - 1\n  - - 2\n    - 3\n- s\n- null\n- []\nmetadata:\n  labels: {}\n  name: x\n");
}
