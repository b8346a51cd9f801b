#pragma once
// A scenario's `generate:` block: N copies of one manifest, created `every`
// apart from `at`, "{i}" in its strings replaced by the copy's index
// (zero-padded to the width of the last one: vm-0000 ... vm-0999). How
// calibration scenarios start a thousand VMs without a thousand manifests.
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>
#include <vector>

#include "models/codec/decoder.hpp"
#include "sim/scenario/scenario.hpp"

namespace kvsim::sim::scenario {

// The copies' text, all told, bounds the work of creating them: 100,000 VMs of
// ~600 bytes are ~60 MiB; past this cap the block is refused, located at `copies`.
inline constexpr std::size_t kMaxGeneratedBytes = 256 << 20;
// `platform.nodes` entries with `count`: the budget's 10,000 nodes, with room.
inline constexpr std::int64_t kMaxGeneratedNodes = 20000;

// Reads the block (a list), checking the manifest once with index 0 (problems are
// located at its `object`); returns one timed creation per copy.
std::vector<TimedCommand> read_generate(const YAML::Node& n, const std::string& file, models::DecodeContext& ctx);
// `text` with every "{i}" replaced by `index`, padded to the digits of `copies - 1`.
std::string with_index(std::string text, std::size_t index, std::size_t copies);

}  // namespace kvsim::sim::scenario
