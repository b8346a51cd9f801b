// parse_yaml_documents builds, from libyaml's events, the nodes yaml-cpp's own
// LoadAll builds from well-formed YAML: the decoders cannot tell them apart.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <string>

#include "models/codec/safe_yaml.hpp"

using namespace kvsim;

namespace {

// The first difference between two trees, as "path: what", or "".
std::string difference(const YAML::Node& a, const YAML::Node& b, const std::string& path) {
  if (a.Type() != b.Type()) return fmt::format("{}: type {} vs {}", path, int(a.Type()), int(b.Type()));
  if (a.Tag() != b.Tag()) return fmt::format("{}: tag \"{}\" vs \"{}\"", path, a.Tag(), b.Tag());
  if (!a.IsNull() && (a.Mark().line != b.Mark().line || a.Mark().column != b.Mark().column))
    return fmt::format("{}: at {}:{} vs {}:{}", path, a.Mark().line, a.Mark().column, b.Mark().line, b.Mark().column);
  if (a.IsScalar() && a.Scalar() != b.Scalar()) return fmt::format("{}: \"{}\" vs \"{}\"", path, a.Scalar(), b.Scalar());
  if ((a.IsMap() || a.IsSequence()) && a.Style() != b.Style()) return path + ": style";
  if (a.size() != b.size()) return fmt::format("{}: {} vs {} children", path, a.size(), b.size());
  if (a.IsSequence())
    for (std::size_t i = 0; i < a.size(); ++i)
      if (auto d = difference(a[i], b[i], fmt::format("{}[{}]", path, i)); !d.empty()) return d;
  if (a.IsMap())
    for (auto ia = a.begin(), ib = b.begin(); ia != a.end(); ++ia, ++ib) {
      const std::string key = path + "." + ia->first.as<std::string>("?");
      if (auto d = difference(ia->first, ib->first, key + " (key)"); !d.empty()) return d;
      if (auto d = difference(ia->second, ib->second, key); !d.empty()) return d;
    }
  return "";
}

}  // namespace

TEST_CASE("well-formed YAML gives the nodes yaml-cpp would give: types, tags, nulls, marks, style") {
  const char* inputs[] = {
      // A manifest as written by hand, comments and all.
      "apiVersion: kubevirt.io/v1\nkind: VirtualMachine  # a VM\nmetadata:\n  name: vm1\n  labels:\n"
      "    app: \"web\"\n    tier: 'db'\nspec:\n  runStrategy: Always\n  template:\n    spec:\n"
      "      domain:\n        devices:\n          disks:\n          - name: root\n            disk: {bus: virtio}\n"
      "        resources:\n          requests: {memory: 1Gi, cpu: \"2\"}\n",
      // Nulls, booleans, numbers, quoted look-alikes, explicit tags.
      "a: ~\nb: null\nc:\nd: Null\ne: \"null\"\nf: true\ng: \"true\"\nh: 010\ni: !!str 5\nj: !custom x\nk: ''\n",
      // Block scalars keep their text; flow collections their style.
      "script: |\n  #!/bin/sh\n  echo hi\nfolded: >\n  one\n  two\nlist: [1, [2, 3], {x: y}]\nempty: {}\nnone: []\n",
      // Several documents, an empty one among them.
      "---\nkind: A\n---\n---\nkind: B\n...\n",
      // JSON, as kvsim re-reads what it wrote.
      R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","annotations":{"x":"{\"k\": [1]}"}},"spec":{"n":1.5}})",
      // Anchors and aliases share the node.
      "base: &b {cpu: 1}\none: *b\ntwo: *b\nlist: &l [a, b]\nagain: *l\n",
      "- a\n- - b\n  - c\n- d: e\n  f: g\n",
  };
  for (const char* text : inputs) {
    INFO(text);
    const auto theirs = YAML::LoadAll(text);
    models::Problems problems;
    const auto ours = models::parse_yaml_documents(text, "in.yaml", problems);
    REQUIRE(ours);
    CHECK(problems.empty());
    REQUIRE(ours->size() == theirs.size());
    for (std::size_t i = 0; i < ours->size(); ++i) CHECK(difference(theirs[i], (*ours)[i], fmt::format("doc{}", i)) == "");
  }
}

TEST_CASE("an alias is the anchored node itself, as in yaml-cpp") {
  models::Problems problems;
  const auto doc = models::parse_yaml_document("base: &b {cpu: 1}\none: *b\n", "in.yaml", problems);
  REQUIRE(doc);
  CHECK((*doc)["one"].is((*doc)["base"]));
  CHECK(models::location_of((*doc)["one"]).line == 1);
}

TEST_CASE("an empty input has no documents, and as one document it is null") {
  models::Problems problems;
  const auto docs = models::parse_yaml_documents("# only a comment\n", "in.yaml", problems);
  REQUIRE(docs);
  CHECK(docs->empty());
  const auto doc = models::parse_yaml_document("", "in.yaml", problems);
  REQUIRE(doc);
  CHECK(doc->IsNull());
  CHECK(problems.empty());
}
