// Inputs that hang yaml-cpp 0.7 (a lone comma, broken flow collections) and
// inputs past each cap: each is refused with a located error, quickly. These
// tests carry a CTest TIMEOUT (tests/CMakeLists.txt, tag [bad-input]), so a
// parser that hangs again fails them instead of blocking CI.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <sstream>
#include <string>

#include "models/codec/input_file.hpp"
#include "models/codec/safe_yaml.hpp"
#include "models/manifest.hpp"
#include "sim/commands/command_input.hpp"
#include "sim/regression/trace_diff.hpp"

using namespace kvsim;

namespace {

std::string refusal(const std::string& text, const std::string& file = "bad.yaml") {
  auto r = models::load_manifests(text, file);
  CHECK(r.objects.empty());
  return models::join_lines(r.problems);
}

// The parser's refusal alone (no decoding), or "" when it reads the input.
std::string yaml_parse_error(const std::string& text, const std::string& file) {
  models::Problems problems;
  const auto docs = models::parse_yaml_documents(text, file, problems);
  CHECK(docs.has_value() == problems.empty());
  return models::join_lines(problems);
}

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace

TEST_CASE("a file holding a lone comma is refused at 1:1 instead of hanging", "[bad-input]") {
  CHECK(refusal(",", "comma.yaml") ==
        "comma.yaml:1:1: YAML: did not find expected node content (while parsing a block node)");
  CHECK(refusal(",\n", "comma.yaml") ==
        "comma.yaml:1:1: YAML: did not find expected node content (while parsing a block node)");
  // The document marker form hangs yaml-cpp 0.7 too.
  CHECK(refusal("--- ,\n", "comma.yaml") ==
        "comma.yaml:1:5: YAML: did not find expected node content (while parsing a block node)");
}

TEST_CASE("broken flow collections are refused where they break", "[bad-input]") {
  CHECK(refusal("[") == "bad.yaml:1:2: YAML: did not find expected node content (while parsing a flow node)");
  CHECK(refusal("{a: [}") == "bad.yaml:1:6: YAML: did not find expected node content (while parsing a flow node)");
  CHECK(refusal("- [,") == "bad.yaml:1:4: YAML: did not find expected node content (while parsing a flow node)");
  CHECK(refusal("[:") == "bad.yaml:1:2: YAML: did not find expected node content (while parsing a flow node)");
  CHECK(refusal("{:") == "bad.yaml:1:2: YAML: did not find expected node content (while parsing a flow node)");
  CHECK(refusal("{# ke\ny{:") ==
        "bad.yaml:2:2: YAML: did not find expected ',' or '}' (while parsing a flow mapping at 1:1)");
  CHECK(refusal("- !+(.,.)") ==
        "bad.yaml:1:7: YAML: did not find expected whitespace or line break (while scanning a tag at 1:3)");
  CHECK(refusal("[a, ,]") == "bad.yaml:1:5: YAML: did not find expected node content (while parsing a flow node)");
  CHECK(refusal("kind: Pod\nmetadata: {name: a,\n") ==
        "bad.yaml:3:1: YAML: did not find expected node content (while parsing a flow node)");
}

TEST_CASE("an unterminated quote and bad bytes are refused, located", "[bad-input]") {
  CHECK(refusal("kind: \"Pod\n") ==
        "bad.yaml:2:1: YAML: found unexpected end of stream (while scanning a quoted scalar at 1:7)");
  CHECK(refusal("kind: Pod\nname: a\xff\n") == "bad.yaml:2:8: YAML: invalid leading UTF-8 octet (#xFF)");
  CHECK(refusal(std::string("kind: P\0d\n", 10)) == "bad.yaml:1:8: YAML: control characters are not allowed (#x0)");
}

TEST_CASE("an input past the size cap is refused where it passes the cap", "[bad-input]") {
  const std::string line = "# a comment of 32 bytes .......\n";
  REQUIRE(line.size() == 32);
  const std::string text = repeat(line, (8u << 20) / 32) + "kind: Pod\n";
  CHECK(refusal(text, "big.yaml") ==
        "big.yaml:262145:1: YAML: the input is larger than the cap of 8 MiB (8388608 bytes); it passes the cap here");
  // At the cap exactly, the input is read.
  CHECK(yaml_parse_error(repeat(line, (8u << 20) / 32), "big.yaml") == "");
}

TEST_CASE("a file larger than the size cap is read only to one byte past it", "[bad-input]") {
  std::string error;
  const auto zeros = models::read_input_file("/dev/zero", 1000, error);
  REQUIRE(zeros);
  CHECK(zeros->size() == 1001);
  CHECK_FALSE(models::read_input_file("/nonexistent/vm.yaml", 1000, error));
  CHECK(error == "No such file or directory");
  CHECK_FALSE(models::read_input_file("/", 1000, error));
  CHECK(error == "Is a directory");
}

TEST_CASE("more documents than the cap are refused at the first one past it", "[bad-input]") {
  CHECK(refusal(repeat("---\n", 10'001), "many.yaml") ==
        "many.yaml:10001:1: YAML: more documents than the cap of 10000 in one input");
  CHECK(yaml_parse_error(repeat("---\n", 10'000), "many.yaml") == "");
}

TEST_CASE("nesting deeper than the cap is refused at the level past it", "[bad-input]") {
  CHECK(refusal(repeat("[", 101) + repeat("]", 101), "deep.yaml") ==
        "deep.yaml:1:101: YAML: nesting deeper than the cap of 100 levels");
  // 99 sequences and the scalar inside them: 100 levels.
  models::Problems problems;
  CHECK(models::parse_yaml_document(repeat("[", 99) + "x" + repeat("]", 99), "deep.yaml", problems));
  CHECK(problems.empty());
  std::string block;
  for (int i = 0; i < 101; ++i) block += std::string(static_cast<std::size_t>(i), ' ') + "a:\n";
  // The 100th map, on line 100, is level 100: its key passes the cap.
  CHECK(refusal(block, "deep.yaml") == "deep.yaml:100:100: YAML: nesting deeper than the cap of 100 levels");
  // A whole file of '[' stops at the cap, not at the end of 8 MiB.
  CHECK(refusal(repeat("[", 8u << 20), "deep.yaml") ==
        "deep.yaml:1:101: YAML: nesting deeper than the cap of 100 levels");
}

TEST_CASE("a scalar longer than the cap is refused at its start", "[bad-input]") {
  CHECK(refusal("kind: Pod\ndata: " + std::string((1u << 20) + 1, 'x') + "\n", "long.yaml") ==
        "long.yaml:2:7: YAML: a scalar of 1048577 bytes is longer than the cap of 1 MiB (1048576 bytes)");
  models::Problems problems;
  CHECK(models::parse_yaml_document("data: " + std::string(1u << 20, 'x'), "long.yaml", problems));
}

TEST_CASE("more nodes than the cap are refused at the node that passes it", "[bad-input]") {
  // The root sequence and 249,999 scalars: 250,000 nodes.
  CHECK(yaml_parse_error("[" + repeat("a,", 249'998) + "a]", "wide.yaml") == "");
  CHECK(yaml_parse_error("[" + repeat("a,", 249'999) + "a]", "wide.yaml") ==
        "wide.yaml:1:500000: YAML: more nodes than the cap of 250000 in one input (an alias counts the nodes it "
        "repeats)");
}

TEST_CASE("aliases that expand past the cap are refused at the alias that passes it", "[bad-input]") {
  // Nine levels of ten aliases each would be a billion nodes; the second alias
  // to level e (111,111 nodes each) passes the cap.
  std::string laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char level = 'b'; level <= 'j'; ++level) {
    const char prev = static_cast<char>(level - 1);
    laughs += fmt::format("{0}: &{0} [*{1}, *{1}, *{1}, *{1}, *{1}, *{1}, *{1}, *{1}, *{1}, *{1}]\n", level, prev);
  }
  CHECK(refusal(laughs, "laughs.yaml") ==
        "laughs.yaml:6:12: YAML: more nodes than the cap of 250000 in one input (an alias counts the nodes it repeats)");
  CHECK(refusal("a: &a [*a]\n", "self.yaml") ==
        "self.yaml:1:8: YAML: alias *a is inside the node it names (a structure that contains itself)");
  CHECK(refusal("a: *b\n", "unknown.yaml") ==
        "unknown.yaml:1:4: YAML: unknown alias *b (its anchor &b must come first, in the same document)");
  CHECK(refusal("a: &b x\n---\nc: *b\n", "unknown.yaml") ==
        "unknown.yaml:3:4: YAML: unknown alias *b (its anchor &b must come first, in the same document)");
}

TEST_CASE("a scenario or lab holds one document: a second is refused where it starts", "[bad-input]") {
  models::Problems problems;
  CHECK_FALSE(models::parse_yaml_document("name: a\n---\nname: b\n", "two.yaml", problems));
  CHECK(models::join_lines(problems) == "two.yaml:2:1: YAML: expected one document; a second one starts here");
}

TEST_CASE("JSON held in an annotation is refused past the depth cap", "[bad-input]") {
  models::JsonError error;
  CHECK_FALSE(models::parse_json_value(repeat("[", 101) + repeat("]", 101), error));
  CHECK(error.byte == 101);
  CHECK(error.message == "nesting deeper than the cap of 100 levels");
  CHECK(models::parse_json_value(repeat("[", 100) + repeat("]", 100), error));
  // Brackets inside strings do not count.
  CHECK(models::parse_json_value("\"" + repeat("[", 200) + "\"", error));
  CHECK_FALSE(models::parse_json_value("{\"a\": [1,}", error));
  CHECK(error.byte == 10);
  CHECK(error.message == "syntax error while parsing value - unexpected '}'; expected '[', '{', or a literal");
}

TEST_CASE("a trace line that is not JSON, too deep or too long is refused, located", "[bad-input]") {
  auto read = [](const std::string& text) {
    std::istringstream in(text);
    return sim::regression::read_trace(in, "t.jsonl").error;
  };
  const std::string record = R"({"t":0,"component":"user","kind":"Pod","name":"a","change":"created"})";
  CHECK(read(record + "\n,\n") == "t.jsonl:2:1: not a kvsim trace record: not JSON: syntax error while parsing value - "
                                  "unexpected ','; expected '[', '{', or a literal");
  CHECK(read(record + "\n" + repeat("[", 200) + "\n") ==
        "t.jsonl:2:101: not a kvsim trace record: not JSON: nesting deeper than the cap of 100 levels");
  CHECK(read(record + "\n" + std::string((1u << 20) + 5, 'x')) ==
        "t.jsonl:2:1048577: not a kvsim trace record: longer than the cap of 1 MiB (1048576 bytes)");
  CHECK(read(record + "\n" + record + "\n") == "");
}

TEST_CASE("a shell line longer than the cap is not run, and the next one is", "[bad-input]") {
  std::istringstream in("get nodes\n" + std::string(sim::commands::kMaxCommandLineBytes + 10, 'x') + "\nget vms\n");
  sim::commands::CommandInput input(in);
  std::string line, error;
  REQUIRE(input.next(line, error));
  CHECK(line == "get nodes");
  CHECK(error.empty());
  REQUIRE(input.next(line, error));
  CHECK(line.empty());
  CHECK(error == "error: <stdin>:2:65537: the line is longer than the cap of 64 KiB (65536 bytes); it was not run");
  REQUIRE(input.next(line, error));
  CHECK(line == "get vms");
  CHECK(error.empty());
  CHECK_FALSE(input.next(line, error));
}
