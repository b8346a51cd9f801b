#pragma once
// The JSON (or YAML) bodies of virt-api's PUT subresources: StartOptions
// {paused, dryRun}, StopOptions {gracePeriod, dryRun}, RestartOptions
// {gracePeriodSeconds, dryRun}, MigrateOptions and PauseOptions {dryRun}.
// Decoded as virt-api does (yaml.NewYAMLOrJSONDecoder): unknown fields are
// ignored, an empty body means the defaults, a field of the wrong type is a
// 400 "Can not unmarshal Request body to struct, error: ...". Pure.
#include <cstdint>
#include <optional>
#include <string>

namespace kvsim::sim::kubevirt::subresources {

struct RequestOptions {
  bool paused = false;                       // StartOptions.paused
  std::optional<std::int64_t> grace_period;  // StopOptions.gracePeriod, RestartOptions.gracePeriodSeconds
  bool dry_run = false;                      // dryRun: ["All"]
};

// `type` names the Go struct in messages (StartOptions ...), and tells which
// grace field it has. Returns nullopt with `error` set (the whole 400 message).
std::optional<RequestOptions> decode_options(const std::string& type, const std::string& body, std::string& error);

}  // namespace kvsim::sim::kubevirt::subresources
