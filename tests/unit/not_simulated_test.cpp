// The `not_simulated` verb of visit_fields: a real field kvsim accepts, checks
// as its type says, keeps and writes back, marks in its published schema, and
// lists for describe when an object sets it. Exercised on small structs
// written here, so each rule shows alone.
#include <catch2/catch.hpp>

#include "models/codec/encoder.hpp"
#include "models/codec/not_simulated.hpp"
#include "models/codec/schema.hpp"

namespace kvsim::models {

struct NotSimTestTimer {
  std::string tickPolicy;
};
template <class V>
void visit_fields(V& v, NotSimTestTimer& t) {
  v.field("tickPolicy", t.tickPolicy);
}

struct NotSimTestDisk {
  std::string name;
  Json blockSize;
};
template <class V>
void visit_fields(V& v, NotSimTestDisk& d) {
  v.field("name", d.name, Required);
  v.not_simulated("blockSize", d.blockSize);
}

struct NotSimTestSpec {
  std::string policy;
  std::optional<NotSimTestTimer> timer;
  std::vector<NotSimTestDisk> disks;
  std::int32_t cores = 0;
};
template <class V>
void visit_fields(V& v, NotSimTestSpec& s) {
  v.not_simulated("policy", s.policy, {"shared", "auto"});
  v.not_simulated("timer", s.timer);
  v.field("disks", s.disks);
  v.field("cores", s.cores);
}

}  // namespace kvsim::models

using namespace kvsim::models;

namespace {

NotSimTestSpec decoded(const std::string& yaml, DecodeContext& ctx) {
  NotSimTestSpec spec;
  decode_document(YAML::Load(yaml), ctx, spec);
  return spec;
}

std::vector<std::string> set_fields(const NotSimTestSpec& spec) {
  std::vector<std::string> found;
  find_not_simulated(spec, "spec", found);
  return found;
}

}  // namespace

TEST_CASE("a not-simulated field is decoded as its type says and written back as it came") {
  DecodeContext ctx;
  const auto spec = decoded(
      "policy: shared\ntimer: {tickPolicy: catchup}\ndisks:\n- {name: a, blockSize: {custom: {logical: 512}}}\n"
      "cores: 2\n",
      ctx);
  REQUIRE(ctx.problems.empty());
  CHECK(encode_value(spec) == Json::parse(R"({"policy":"shared","timer":{"tickPolicy":"catchup"},
      "disks":[{"name":"a","blockSize":{"custom":{"logical":512}}}],"cores":2})"));
}

TEST_CASE("a not-simulated field is checked as a modelled one: enum values and unknown fields are refused") {
  DecodeContext ctx;
  decoded("policy: dedicated\ntimer: {tickPolicy: catchup, hpet: {}}\n", ctx);
  REQUIRE(ctx.problems.size() == 2);
  CHECK(ctx.problems[0].path == "policy");
  CHECK(ctx.problems[0].message == "Unsupported value: \"dedicated\": supported values: shared, auto");
  CHECK(ctx.problems[1].path == "timer.hpet");
  CHECK(ctx.problems[1].message == "unknown field \"hpet\"");
}

TEST_CASE("an object lists the not-simulated fields it sets, by path, and nothing when it sets none") {
  DecodeContext ctx;
  CHECK(set_fields(decoded("cores: 2\ndisks:\n- {name: a}\n", ctx)).empty());
  CHECK(encode_value(decoded("cores: 2\n", ctx)) == Json::parse(R"({"cores":2})"));
  const auto spec = decoded("timer: {}\ndisks:\n- {name: a}\n- {name: b, blockSize: {matchVolume: {}}}\n", ctx);
  REQUIRE(ctx.problems.empty());
  // An empty struct set explicitly is written back ({}), so it is listed too.
  CHECK(set_fields(spec) == std::vector<std::string>{"spec.timer", "spec.disks[1].blockSize"});
}

TEST_CASE("the published schema marks a not-simulated field and says it is kept without effect") {
  static const Descriptions none;
  SchemaSet set(none);
  set.set_package("io.test.v1");
  const Json& p = set.components().at(set.register_type<NotSimTestSpec>())["properties"];
  CHECK(p["policy"]["x-kvsim-not-simulated"] == true);
  CHECK(p["policy"]["enum"] == Json::array({"shared", "auto"}));
  CHECK_THAT(p["policy"]["description"].get<std::string>(), Catch::StartsWith("Not simulated: kvsim accepts"));
  // A struct stays a reference, so its fields are listed (and checked) in their own schema.
  CHECK(p["timer"]["x-kvsim-not-simulated"] == true);
  CHECK(p["timer"]["allOf"][0]["$ref"] == "#/components/schemas/io.test.v1.NotSimTestTimer");
  CHECK_FALSE(p["cores"].contains("x-kvsim-not-simulated"));
}
