// `kvsim diff`'s reading and comparison of traces.
#include <catch2/catch.hpp>

#include "sim/regression/trace_diff.hpp"

using namespace kvsim;
using namespace kvsim::sim::regression;
using kvsim::sim::engine::TraceRecord;

namespace {

std::vector<TraceRecord> chain() {
  return {{60.0, "user", "VirtualMachineInstance", "default", "vm1", "u1", "marked for deletion", ""},
          {60.05, "virt-controller", "VirtualMachine", "default", "vm1", "u0", "printableStatus Running -> Stopping", ""},
          {64.95, "virt-controller", "VirtualMachineInstance", "default", "vm1", "u2", "created", "runStrategy Always and no VMI"}};
}

}  // namespace

TEST_CASE("trace diff: identical traces have no divergence, and a record reads back as written") {
  CHECK_FALSE(first_divergence(chain(), chain()));
  std::string error;
  auto r = parse_trace_line(sim::engine::to_json_line(chain()[2]), error);
  REQUIRE(r);
  CHECK(r->reason == "runStrategy Always and no VMI");
  CHECK(r->time == Approx(64.95));
}

TEST_CASE("trace diff: the first differing record is named in words with what differs") {
  auto found = chain();
  found[2].time = 65.01;
  auto d = first_divergence(chain(), found);
  REQUIRE(d);
  CHECK(d->index == 2);
  CHECK(d->differing == std::vector<std::string>{"time"});
  const auto text = explain(*d, chain(), "golden.jsonl", "run.jsonl");
  CHECK_THAT(text, Catch::StartsWith("first divergence at record 3 (line 3):\n  time       64.950s vs 65.010s\n"));
  CHECK_THAT(text, Catch::Contains("  component  virt-controller\n"));
  CHECK_THAT(text, Catch::Contains("  object     VirtualMachineInstance default/vm1\n"));
  CHECK_THAT(text, Catch::Contains("  expected (golden.jsonl): 64.950s  virt-controller  VirtualMachineInstance default/vm1  created  (runStrategy Always and no VMI)"));
  CHECK_THAT(text, Catch::Contains("  found    (run.jsonl): 65.010s"));
  CHECK_THAT(text, Catch::Contains("  the 2 records before agree; the last: 60.050s  virt-controller"));
}

TEST_CASE("trace diff: a trace that stops early diverges where it ends") {
  auto found = chain();
  found.pop_back();
  auto d = first_divergence(chain(), found);
  REQUIRE(d);
  CHECK(d->index == 2);
  CHECK_FALSE(d->found);
  CHECK_THAT(explain(*d, chain(), "a", "b"), Catch::Contains("  b ends after 2 records; a goes on with:\n  expected: 64.950s"));
}

TEST_CASE("trace diff: a line that is not a trace record is refused with what is wrong") {
  std::string error;
  CHECK_FALSE(parse_trace_line("{\"t\": 1, \"component\": \"user\"}", error));
  CHECK(error == "missing \"kind\"");
  error.clear();
  std::size_t column = 0;
  CHECK_FALSE(parse_trace_line("not json", error, &column));
  CHECK(error == "not JSON: syntax error while parsing value - invalid literal; last read: 'no'");
  CHECK(column == 2);
  error.clear();
  CHECK_FALSE(parse_trace_line("[1]", error));
  CHECK(error == "not a JSON object");
  auto missing = read_trace("/nonexistent/trace.jsonl");
  CHECK(missing.error == "/nonexistent/trace.jsonl: No such file or directory");
}
