#pragma once
// `kvsim tui [SCENARIO]`: the terminal UI on a scenario's cluster. Without a
// terminal (stdout or stdin redirected) it says so and runs the scenario
// headless instead, through `headless_run` (what `kvsim run` does).
#include <CLI/CLI.hpp>
#include <functional>
#include <string>

namespace kvsim::tui {

void add_tui_command(CLI::App& app, std::function<int(const std::string& scenario)> headless_run);

}  // namespace kvsim::tui
