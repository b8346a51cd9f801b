#pragma once
// Durations as Go's time.ParseDuration writes them ("250ms", "30s", "5m", "1h30m")
// and as kubectl prints ages ("45s", "3m20s", "2d4h").
#include <optional>
#include <string>
#include <string_view>

namespace kvsim::models {

// Parses a Go-style duration: one or more <number><unit> with units ns us ms s m h
// (numbers may be fractional: "1.5s"). A bare "0" is zero. Returns seconds, or
// nullopt when the text is not a duration or is negative.
std::optional<double> parse_duration(std::string_view text);

// kubectl's age format (k8s.io/apimachinery/pkg/util/duration.HumanDuration),
// from whole seconds: "0s".."119s", "2m".."9m59s" (as "3m20s", or "5m" when the
// seconds are zero), "10m".."179m" (minutes only), "3h".."7h59m" (as "3h5m" or
// "3h"), "8h".."47h", "2d".."7d23h" (as "2d4h" or "2d"), "8d".."729d", then years
// ("2y", "3y120d"...). Negative input prints "0s" ("<invalid>" is not useful here).
std::string human_duration(double seconds);

// A compact exact form for configs and traces: "0s", "1.5s", "90s", "250ms".
std::string format_seconds(double seconds);

// Go's time.Duration String(), to the nanosecond: "0s", "512ms", "1.5s", "1m30s", "1h0m0s"
// (kubectl prints timeouts so; kubelet's Pulled event its pull times).
std::string go_duration_string(double seconds);

}  // namespace kvsim::models
