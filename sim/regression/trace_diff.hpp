#pragma once
// Reading traces written by engine::Trace (JSON Lines) and finding where two
// of them first part ways: `kvsim diff` and the golden-trace tests.
#include <cstddef>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "sim/engine/trace.hpp"

namespace kvsim::sim::regression {

struct TraceFile {
  std::vector<engine::TraceRecord> records;
  std::string error;  // "FILE:LINE: ..." when the file cannot be read
};

// A record is one line of a few hundred bytes: the caps leave room for
// millions of records. Past them a trace is refused, located.
inline constexpr std::size_t kMaxTraceLineBytes = 1 << 20;
inline constexpr std::size_t kMaxTraceBytes = std::size_t{1} << 30;

// Reads a JSON Lines trace; a malformed line is a located error.
TraceFile read_trace(const std::string& path);
TraceFile read_trace(std::istream& in, const std::string& path);
// One record; when the line is not JSON, `column` (if given) gets where.
std::optional<engine::TraceRecord> parse_trace_line(const std::string& line, std::string& error,
                                                    std::size_t* column = nullptr);

struct Divergence {
  std::size_t index = 0;                      // 0-based record index
  std::optional<engine::TraceRecord> expected, found;  // absent: that trace ended
  std::vector<std::string> differing;         // field names: time, component, object, uid, change, reason
};

// The first record at which `found` departs from `expected` (nullopt: same).
std::optional<Divergence> first_divergence(const std::vector<engine::TraceRecord>& expected,
                                           const std::vector<engine::TraceRecord>& found);
// The divergence in words, naming both files.
std::string explain(const Divergence& d, const std::vector<engine::TraceRecord>& expected,
                    const std::string& expected_name, const std::string& found_name);

}  // namespace kvsim::sim::regression
