#pragma once
// `kvsim bench [--sizes 1k,10k,100k]`: runs the scale scenarios (scenarios/scale/vms-SIZE.yaml)
// and the bare-SimGrid baseline doing the same SimGrid work (sim/bench/baseline.hpp), each in
// a child process of its own (one SimGrid engine per process), and prints per size the wall
// time, peak RSS, trace records per second, the ratio to the baseline and the growth from the
// previous size. A benchmark prints its figures; it asserts nothing.
#include <CLI/CLI.hpp>

namespace kvsim::sim::cli {

void add_bench_command(CLI::App& app);

}  // namespace kvsim::sim::cli
