#include "sim/regression/trace_diff.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "models/codec/input_file.hpp"
#include "models/codec/safe_yaml.hpp"

namespace kvsim::sim::regression {

namespace {

std::string object_of(const engine::TraceRecord& r) {
  return r.namespace_.empty() ? r.kind + " " + r.name : r.kind + " " + r.namespace_ + "/" + r.name;
}

std::string one_line(const engine::TraceRecord& r) {
  std::string s = fmt::format("{:.3f}s  {}  {}  {}", r.time, r.component, object_of(r), r.change);
  if (!r.reason.empty()) s += "  (" + r.reason + ")";
  return s;
}

// Times are written rounded to the millisecond: compare them so.
bool same_time(double a, double b) { return std::llround(a * 1000.0) == std::llround(b * 1000.0); }

}  // namespace

std::optional<engine::TraceRecord> parse_trace_line(const std::string& line, std::string& error,
                                                    std::size_t* column) {
  models::JsonError bad;
  auto parsed = models::parse_json_value(line, bad);
  if (!parsed) {
    error = "not JSON: " + bad.message;
    if (column) *column = bad.byte;
    return std::nullopt;
  }
  const auto& j = *parsed;
  if (!j.is_object()) {
    error = "not a JSON object";
    return std::nullopt;
  }
  engine::TraceRecord r;
  // The first problem is the one reported.
  auto text = [&](const char* key, std::string& into, bool required) {
    if (!error.empty()) return;
    if (!j.contains(key)) {
      if (required) error = fmt::format("missing \"{}\"", key);
      return;
    }
    if (!j[key].is_string()) error = fmt::format("\"{}\" is not a string", key);
    else into = j[key].get<std::string>();
  };
  if (!j.contains("t") || !j["t"].is_number()) error = "missing \"t\" (the sim time in seconds)";
  else r.time = j["t"].get<double>();
  text("component", r.component, true);
  text("kind", r.kind, true);
  text("namespace", r.namespace_, false);
  text("name", r.name, true);
  text("uid", r.uid, false);
  text("change", r.change, true);
  text("reason", r.reason, false);
  if (!error.empty()) return std::nullopt;
  return r;
}

TraceFile read_trace(const std::string& path) {
  TraceFile out;
  std::ifstream in(path);
  if (!in) {
    out.error = fmt::format("{}: {}", path, std::strerror(errno));
    return out;
  }
  return read_trace(in, path);
}

TraceFile read_trace(std::istream& in, const std::string& path) {
  TraceFile out;
  auto refuse = [&](std::string error) {
    out.error = std::move(error);
    out.records.clear();
    return out;
  };
  std::string line;
  std::size_t bytes = 0;
  for (std::size_t n = 1;; ++n) {
    const auto read = models::read_line_capped(in, line, kMaxTraceLineBytes);
    if (read == models::LineRead::End) break;
    if (read == models::LineRead::TooLong)
      return refuse(fmt::format("{}:{}:{}: not a kvsim trace record: longer than the cap of {}", path, n,
                                kMaxTraceLineBytes + 1, models::describe_bytes(kMaxTraceLineBytes)));
    bytes += line.size() + 1;
    if (bytes > kMaxTraceBytes)
      return refuse(fmt::format("{}:{}: the trace is larger than the cap of {}", path, n,
                                models::describe_bytes(kMaxTraceBytes)));
    if (line.empty()) continue;
    std::string error;
    std::size_t column = 0;
    auto r = parse_trace_line(line, error, &column);
    if (!r)
      return refuse(column ? fmt::format("{}:{}:{}: not a kvsim trace record: {}", path, n, column, error)
                           : fmt::format("{}:{}: not a kvsim trace record: {}", path, n, error));
    out.records.push_back(std::move(*r));
  }
  if (in.bad()) return refuse(fmt::format("{}: {}", path, std::strerror(errno)));
  return out;
}

std::optional<Divergence> first_divergence(const std::vector<engine::TraceRecord>& expected,
                                           const std::vector<engine::TraceRecord>& found) {
  const std::size_t common = std::min(expected.size(), found.size());
  for (std::size_t i = 0; i < common; ++i) {
    const auto& a = expected[i];
    const auto& b = found[i];
    Divergence d{i, a, b, {}};
    if (!same_time(a.time, b.time)) d.differing.push_back("time");
    if (a.component != b.component) d.differing.push_back("component");
    if (a.kind != b.kind || a.namespace_ != b.namespace_ || a.name != b.name) d.differing.push_back("object");
    if (a.uid != b.uid) d.differing.push_back("uid");
    if (a.change != b.change) d.differing.push_back("change");
    if (a.reason != b.reason) d.differing.push_back("reason");
    if (!d.differing.empty()) return d;
  }
  if (expected.size() == found.size()) return std::nullopt;
  Divergence d{common, std::nullopt, std::nullopt, {"length"}};
  if (common < expected.size()) d.expected = expected[common];
  if (common < found.size()) d.found = found[common];
  return d;
}

std::string explain(const Divergence& d, const std::vector<engine::TraceRecord>& expected,
                    const std::string& expected_name, const std::string& found_name) {
  std::string out = fmt::format("first divergence at record {} (line {}):\n", d.index + 1, d.index + 1);
  if (d.expected && d.found) {
    const auto& a = *d.expected;
    const auto& b = *d.found;
    out += fmt::format("  time       {:.3f}s{}\n", a.time, same_time(a.time, b.time) ? "" : fmt::format(" vs {:.3f}s", b.time));
    out += fmt::format("  component  {}{}\n", a.component, a.component == b.component ? "" : " vs " + b.component);
    out += fmt::format("  object     {}{}\n", object_of(a), object_of(a) == object_of(b) ? "" : " vs " + object_of(b));
    out += fmt::format("  expected ({}): {}\n", expected_name, one_line(a));
    out += fmt::format("  found    ({}): {}\n", found_name, one_line(b));
    std::string fields;
    for (const auto& f : d.differing) fields += (fields.empty() ? "" : ", ") + f;
    out += "  differs in: " + fields + "\n";
  } else if (d.expected) {
    out += fmt::format("  {} ends after {} records; {} goes on with:\n  expected: {}\n", found_name, d.index,
                       expected_name, one_line(*d.expected));
  } else {
    out += fmt::format("  {} ends after {} records; {} goes on with:\n  found: {}\n", expected_name, d.index,
                       found_name, one_line(*d.found));
  }
  if (d.index > 0)
    out += fmt::format("  the {} records before agree; the last: {}\n", d.index, one_line(expected[d.index - 1]));
  return out;
}

}  // namespace kvsim::sim::regression
