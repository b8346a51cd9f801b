#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "models/label_selector.hpp"

using kvsim::models::Labels;
using kvsim::models::LabelSelector;
using kvsim::models::LabelSelectorRequirement;
using kvsim::models::parse_selector;
using kvsim::models::requirement_matches;
using kvsim::models::to_string;
using kvsim::models::validate_selector;

namespace {

const Labels kWeb{{"app", "web"}, {"tier", "frontend"}, {"cores", "8"}};

LabelSelector parsed(std::string_view text) {
  auto p = parse_selector(text);
  INFO("selector text: '" << text << "', error: " << p.error);
  REQUIRE(p.selector.has_value());
  CHECK(p.error.empty());
  return *p.selector;
}

std::string parse_error(std::string_view text) {
  auto p = parse_selector(text);
  INFO("selector text: '" << text << "'");
  CHECK_FALSE(p.selector.has_value());
  CHECK_FALSE(p.error.empty());
  return p.error;
}

const std::string kQualifiedNameMsg =
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

const std::string kLabelValueMsg =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for "
    "validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

}  // namespace

TEST_CASE("an In requirement matches objects whose value is listed") {
  CHECK(requirement_matches({"app", "In", {"web", "api"}}, kWeb));
  CHECK_FALSE(requirement_matches({"app", "In", {"db"}}, kWeb));
  CHECK_FALSE(requirement_matches({"missing", "In", {"web"}}, kWeb));
}

TEST_CASE("a selector with NotIn matches objects without the key") {
  CHECK(requirement_matches({"missing", "NotIn", {"web"}}, kWeb));
  CHECK(requirement_matches({"app", "NotIn", {"db"}}, kWeb));
  CHECK_FALSE(requirement_matches({"app", "NotIn", {"db", "web"}}, kWeb));
  LabelSelector s;
  s.matchExpressions.push_back({"env", "NotIn", {"prod"}});
  CHECK(s.matches(kWeb));
}

TEST_CASE("Exists and DoesNotExist look only at the key") {
  CHECK(requirement_matches({"app", "Exists", {}}, kWeb));
  CHECK_FALSE(requirement_matches({"missing", "Exists", {}}, kWeb));
  CHECK(requirement_matches({"missing", "DoesNotExist", {}}, kWeb));
  CHECK_FALSE(requirement_matches({"app", "DoesNotExist", {}}, kWeb));
  CHECK(requirement_matches({"empty", "Exists", {}}, Labels{{"empty", ""}}));
}

TEST_CASE("Gt and Lt compare label values as integers") {
  CHECK(requirement_matches({"cores", "Gt", {"4"}}, kWeb));
  CHECK_FALSE(requirement_matches({"cores", "Gt", {"8"}}, kWeb));
  CHECK(requirement_matches({"cores", "Lt", {"10"}}, kWeb));  // not a string comparison
  CHECK_FALSE(requirement_matches({"cores", "Lt", {"8"}}, kWeb));
  CHECK(requirement_matches({"cores", "Gt", {"-1"}}, kWeb));
}

TEST_CASE("Gt and Lt never match a missing key, a non-integer or several values") {
  CHECK_FALSE(requirement_matches({"missing", "Gt", {"1"}}, kWeb));
  CHECK_FALSE(requirement_matches({"app", "Gt", {"1"}}, kWeb));
  CHECK_FALSE(requirement_matches({"cores", "Gt", {"x"}}, kWeb));
  CHECK_FALSE(requirement_matches({"cores", "Gt", {"1", "2"}}, kWeb));
  CHECK_FALSE(requirement_matches({"cores", "Lt", {}}, kWeb));
}

TEST_CASE("an unknown operator never matches") {
  CHECK_FALSE(requirement_matches({"app", "Foo", {"web"}}, kWeb));
  CHECK_FALSE(requirement_matches({"missing", "Foo", {}}, kWeb));
}

TEST_CASE("the empty selector matches everything") {
  LabelSelector s;
  CHECK(s.empty());
  CHECK(s.matches(kWeb));
  CHECK(s.matches(Labels{}));
}

TEST_CASE("matchLabels and matchExpressions must all hold") {
  LabelSelector s;
  s.matchLabels = {{"app", "web"}};
  s.matchExpressions.push_back({"tier", "In", {"frontend", "edge"}});
  CHECK_FALSE(s.empty());
  CHECK(s.matches(kWeb));
  CHECK_FALSE(s.matches(Labels{{"app", "web"}, {"tier", "backend"}}));
  CHECK_FALSE(s.matches(Labels{{"app", "api"}, {"tier", "frontend"}}));
  CHECK_FALSE(s.matches(Labels{{"tier", "frontend"}}));
  s.matchExpressions.push_back({"legacy", "DoesNotExist", {}});
  CHECK(s.matches(kWeb));
  CHECK_FALSE(s.matches(Labels{{"app", "web"}, {"tier", "edge"}, {"legacy", "true"}}));
}

TEST_CASE("a valid selector has no validation errors") {
  LabelSelector s;
  s.matchLabels = {{"app", "web"}, {"example.com/role", ""}};
  s.matchExpressions = {{"tier", "In", {"a", "b"}}, {"env", "NotIn", {"prod"}}, {"x", "Exists", {}},
                        {"y", "DoesNotExist", {}}};
  CHECK(validate_selector(s, "spec.selector").empty());
  CHECK(validate_selector(LabelSelector{}, "spec.selector").empty());
}

TEST_CASE("In or NotIn without values is a required-value error") {
  LabelSelector s;
  s.matchExpressions = {{"a", "In", {}}, {"b", "NotIn", {}}};
  CHECK(validate_selector(s, "spec.selector") ==
        std::vector<std::string>{
            "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' "
            "or 'NotIn'",
            "spec.selector.matchExpressions[1].values: Required value: must be specified when `operator` is 'In' "
            "or 'NotIn'"});
}

TEST_CASE("Exists or DoesNotExist with values is forbidden") {
  LabelSelector s;
  s.matchExpressions = {{"a", "Exists", {"x"}}, {"b", "DoesNotExist", {"y"}}};
  CHECK(validate_selector(s, "spec.selector") ==
        std::vector<std::string>{
            "spec.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is "
            "'Exists' or 'DoesNotExist'",
            "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is "
            "'Exists' or 'DoesNotExist'"});
}

TEST_CASE("an unknown operator is an invalid value") {
  LabelSelector s;
  s.matchExpressions = {{"a", "Foo", {"x"}}};
  CHECK(validate_selector(s, "spec.selector") ==
        std::vector<std::string>{
            "spec.selector.matchExpressions[0].operator: Invalid value: \"Foo\": not a valid selector operator"});
}

TEST_CASE("Gt and Lt are refused unless allow_gt_lt is set") {
  LabelSelector s;
  s.matchExpressions = {{"cores", "Gt", {"4"}}, {"cores", "Lt", {"64"}}};
  CHECK(validate_selector(s, "spec.selector") ==
        std::vector<std::string>{
            "spec.selector.matchExpressions[0].operator: Invalid value: \"Gt\": not a valid selector operator",
            "spec.selector.matchExpressions[1].operator: Invalid value: \"Lt\": not a valid selector operator"});
  CHECK(validate_selector(s, "spec.affinity", true).empty());
}

TEST_CASE("Gt and Lt need exactly one integer value") {
  const std::string msg =
      ".values: Required value: must be specified single value when `operator` is 'Lt' or 'Gt'";
  LabelSelector s;
  s.matchExpressions = {{"a", "Gt", {}}, {"b", "Lt", {"1", "2"}}, {"c", "Gt", {"x"}}, {"d", "Lt", {"-5"}}};
  CHECK(validate_selector(s, "terms[0]", true) ==
        std::vector<std::string>{"terms[0].matchExpressions[0]" + msg, "terms[0].matchExpressions[1]" + msg,
                                 "terms[0].matchExpressions[2]" + msg});
}

TEST_CASE("a bad requirement key is reported with the qualified-name message") {
  LabelSelector s;
  s.matchExpressions = {{"bad key", "Exists", {}}};
  CHECK(validate_selector(s, "spec.selector") ==
        std::vector<std::string>{"spec.selector.matchExpressions[0].key: Invalid value: \"bad key\": " +
                                 kQualifiedNameMsg});
}

TEST_CASE("an empty requirement key gets both upstream messages") {
  LabelSelector s;
  s.matchExpressions = {{"", "Exists", {}}};
  CHECK(validate_selector(s, "p") ==
        std::vector<std::string>{"p.matchExpressions[0].key: Invalid value: \"\": name part must be non-empty",
                                 "p.matchExpressions[0].key: Invalid value: \"\": " + kQualifiedNameMsg});
}

TEST_CASE("a bad requirement value is reported at its index") {
  LabelSelector s;
  s.matchExpressions = {{"app", "In", {"ok", "-bad"}}};
  CHECK(validate_selector(s, "spec.selector") ==
        std::vector<std::string>{"spec.selector.matchExpressions[0].values[1]: Invalid value: \"-bad\": " +
                                 kLabelValueMsg});
}

TEST_CASE("bad matchLabels keys and values are reported on matchLabels") {
  LabelSelector s;
  s.matchLabels = {{"Bad Key", "ok"}, {"good", "bad value"}};
  CHECK(validate_selector(s, "spec.selector") ==
        std::vector<std::string>{
            "spec.selector.matchLabels: Invalid value: \"Bad Key\": " + kQualifiedNameMsg,
            "spec.selector.matchLabels: Invalid value: \"bad value\": " + kLabelValueMsg});
}

TEST_CASE("validation quotes awkward values like Go's %q") {
  LabelSelector s;
  s.matchExpressions = {{"a\"b", "Exists", {}}};
  auto errs = validate_selector(s, "p");
  REQUIRE(errs.size() == 1);
  CHECK(errs[0].rfind("p.matchExpressions[0].key: Invalid value: \"a\\\"b\": ", 0) == 0);
}

TEST_CASE("parse_selector reads equality as matchLabels") {
  auto s = parsed("a=b");
  CHECK(s.matchLabels == Labels{{"a", "b"}});
  CHECK(s.matchExpressions.empty());
  CHECK(parsed("a==b").matchLabels == Labels{{"a", "b"}});
  CHECK(parsed("a=").matchLabels == Labels{{"a", ""}});
}

TEST_CASE("parse_selector reads inequality as NotIn") {
  auto s = parsed("a!=b");
  REQUIRE(s.matchExpressions.size() == 1);
  CHECK(s.matchExpressions[0].key == "a");
  CHECK(s.matchExpressions[0].op == "NotIn");
  CHECK(s.matchExpressions[0].values == std::vector<std::string>{"b"});
}

TEST_CASE("parse_selector reads set-based requirements") {
  auto in = parsed("a in (x,y)");
  REQUIRE(in.matchExpressions.size() == 1);
  CHECK(in.matchExpressions[0].op == "In");
  CHECK(in.matchExpressions[0].values == std::vector<std::string>{"x", "y"});
  auto notin = parsed("a notin (x)");
  REQUIRE(notin.matchExpressions.size() == 1);
  CHECK(notin.matchExpressions[0].op == "NotIn");
  CHECK(notin.matchExpressions[0].values == std::vector<std::string>{"x"});
}

TEST_CASE("parse_selector reads a bare key as Exists and !key as DoesNotExist") {
  auto e = parsed("a");
  REQUIRE(e.matchExpressions.size() == 1);
  CHECK(e.matchExpressions[0].op == "Exists");
  CHECK(e.matchExpressions[0].values.empty());
  auto d = parsed("!a");
  REQUIRE(d.matchExpressions.size() == 1);
  CHECK(d.matchExpressions[0].key == "a");
  CHECK(d.matchExpressions[0].op == "DoesNotExist");
}

TEST_CASE("parse_selector ignores spaces around tokens") {
  auto s = parsed("  app = web ,tier!= db,  env in ( prod , qa ) , ! legacy,release  ");
  CHECK(s.matchLabels == Labels{{"app", "web"}});
  REQUIRE(s.matchExpressions.size() == 4);
  CHECK(s.matchExpressions[0].key == "tier");
  CHECK(s.matchExpressions[1].values == std::vector<std::string>{"prod", "qa"});
  CHECK(s.matchExpressions[2].op == "DoesNotExist");
  CHECK(s.matchExpressions[3].op == "Exists");
  CHECK(s.matches(Labels{{"app", "web"}, {"tier", "fe"}, {"env", "qa"}, {"release", "1"}}));
  CHECK_FALSE(s.matches(Labels{{"app", "web"}, {"tier", "db"}, {"env", "qa"}, {"release", "1"}}));
}

TEST_CASE("parse_selector reads a missing value as the empty value like upstream") {
  auto empty_set = parsed("a in ()");
  REQUIRE(empty_set.matchExpressions.size() == 1);
  CHECK(empty_set.matchExpressions[0].values == std::vector<std::string>{""});
  CHECK(parsed("a in (x,)").matchExpressions[0].values == std::vector<std::string>{"x", ""});
  auto ne = parsed("a!=");
  REQUIRE(ne.matchExpressions.size() == 1);
  CHECK(ne.matchExpressions[0].values == std::vector<std::string>{""});
  CHECK(to_string(ne) == "a notin ()");
  CHECK(parsed(to_string(ne)).matchExpressions[0].values == std::vector<std::string>{""});
}

TEST_CASE("parse_selector of an empty string is the everything selector") {
  CHECK(parsed("").empty());
  CHECK(parsed("   ").empty());
}

TEST_CASE("parse_selector keeps a conflicting second equality instead of overwriting") {
  auto s = parsed("a=x,a=y");
  CHECK_FALSE(s.matches(Labels{{"a", "x"}}));
  CHECK_FALSE(s.matches(Labels{{"a", "y"}}));
}

TEST_CASE("parse_selector accepts prefixed keys and in/notin as key names") {
  CHECK(parsed("example.com/role=db").matchLabels == Labels{{"example.com/role", "db"}});
  CHECK(parsed("in=notin").matchLabels == Labels{{"in", "notin"}});
}

TEST_CASE("parse_selector reports syntax errors with their position") {
  CHECK(parse_error("a in (") == "found end of string at position 6, expected: value, ',' or ')'");
  CHECK(parse_error("=b") == "found '=' at position 0, expected: '!' or identifier");
  CHECK(parse_error("a in (x") == "found end of string at position 7, expected: ',' or ')'");
  CHECK(parse_error("a in x") == "found 'x' at position 5, expected: '('");
  CHECK(parse_error("a b") == "found 'b' at position 2, expected: '=', '==', '!=', 'in', 'notin', ',' or end of string");
  CHECK(parse_error("a=b,") == "found end of string at position 4, expected: '!' or identifier");
  CHECK(parse_error("!a=b") == "found '=' at position 2, expected: ',' or end of string");
  CHECK(parse_error("!") == "found end of string at position 1, expected: identifier");
  CHECK(parse_error("a=(") == "found '(' at position 2, expected: value, ',' or end of string");
  CHECK(parse_error("a=b c") == "found 'c' at position 4, expected: ',' or end of string");
}

TEST_CASE("parse_selector refuses invalid keys and values") {
  CHECK(parse_error("-a=b") == "invalid label key \"-a\" at position 0: " + kQualifiedNameMsg);
  CHECK(parse_error("a=-b") == "invalid label value \"-b\" at position 2: " + kLabelValueMsg);
  CHECK(parse_error("a in (x,_y)") == "invalid label value \"_y\" at position 8: " + kLabelValueMsg);
}

TEST_CASE("to_string prints requirements sorted by key with sorted values") {
  LabelSelector s;
  s.matchLabels = {{"app", "web"}};
  s.matchExpressions = {{"tier", "In", {"b", "a"}}, {"env", "NotIn", {"prod"}}, {"zone", "Exists", {}},
                        {"legacy", "DoesNotExist", {}}};
  CHECK(to_string(s) == "app=web,env notin (prod),!legacy,tier in (a,b),zone");
}

TEST_CASE("to_string of the empty selector is <none>") { CHECK(to_string(LabelSelector{}) == "<none>"); }

TEST_CASE("to_string prints Gt and Lt and gives up on unknown operators") {
  LabelSelector s;
  s.matchExpressions = {{"cores", "Gt", {"4"}}};
  CHECK(to_string(s) == "cores>4");
  s.matchExpressions.push_back({"x", "Foo", {}});
  CHECK(to_string(s) == "<error>");
}

TEST_CASE("to_string output parses back to an equivalent selector") {
  auto s = parsed("app=web,tier in (a,b),!legacy,zone,env notin (prod)");
  auto again = parsed(to_string(s));
  CHECK(to_string(again) == to_string(s));
  CHECK(again.matchLabels == s.matchLabels);
}
