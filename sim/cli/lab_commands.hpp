#pragma once
// `kvsim lab list|start|run`: the training labs on the command line.
#include <CLI/CLI.hpp>

namespace kvsim::sim::cli {

// Adds the `lab` subcommand; its callbacks run the labs and end the process's
// parse with the exit status (CLI::RuntimeError carries a non-zero one).
void add_lab_commands(CLI::App& app);

}  // namespace kvsim::sim::cli
