#pragma once
// Reading traces written by engine::Trace (JSON Lines) and finding where two
// of them first part ways: `kvsim diff` and the golden-trace tests.
#include <optional>
#include <string>
#include <vector>

#include "sim/engine/trace.hpp"

namespace kvsim::sim::regression {

struct TraceFile {
  std::vector<engine::TraceRecord> records;
  std::string error;  // "FILE:LINE: ..." when the file cannot be read
};

// Reads a JSON Lines trace; a malformed line is a located error.
TraceFile read_trace(const std::string& path);
std::optional<engine::TraceRecord> parse_trace_line(const std::string& line, std::string& error);

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
