#pragma once
// `kvsim lab list|start|run`: the training labs on the command line.
#include <CLI/CLI.hpp>

#include <functional>

#include "sim/cli/serve_command.hpp"
#include "sim/lab/lab.hpp"

namespace kvsim::sim::cli {

// The terminal UI as a lab front end (tui::run_lab_tui; passed in because the
// TUI is built on this library, not under it): returns the exit status and
// sets `reset` when the trainee asked for `lab reset`.
using LabTui = std::function<int(lab::Lab lab, bool& reset, const ServeFlags& serve)>;

// Adds the `lab` subcommand; its callbacks run the labs and end the process's
// parse with the exit status (CLI::RuntimeError carries a non-zero one).
void add_lab_commands(CLI::App& app, LabTui tui);

}  // namespace kvsim::sim::cli
