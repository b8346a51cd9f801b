#pragma once
// Server-set times (creationTimestamp, deletionTimestamp, condition times).
// Internally they are sim seconds; on the wire they are RFC 3339 instants
// counted from a fixed epoch, so output is identical across runs.
#include <optional>
#include <string>
#include <string_view>

namespace kvsim::models {

struct Timestamp {
  double seconds = 0;  // sim time
  friend auto operator<=>(const Timestamp&, const Timestamp&) = default;
};

// The instant that sim time 0 stands for: 2026-01-01T00:00:00Z.
inline constexpr long long kEpochUnixSeconds = 1767225600;

std::string to_rfc3339(Timestamp t);
std::optional<Timestamp> parse_rfc3339(std::string_view text);

}  // namespace kvsim::models
