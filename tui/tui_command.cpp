#include "tui/tui_command.hpp"

#include <iostream>
#include <memory>
#include <unistd.h>

#include "sim/cli/serve_command.hpp"
#include "tui/app.hpp"

namespace kvsim::tui {

void add_tui_command(CLI::App& app, std::function<int(const std::string&)> headless_run) {
  auto* tui = app.add_subcommand("tui", "Open the terminal UI on a scenario's cluster (kvsim run when no terminal)");
  auto scenario = std::make_shared<std::string>("default");
  tui->add_option("SCENARIO", *scenario, "Scenario file or name under scenarios/ (default: default)");
  auto serve = std::make_shared<sim::cli::ServeFlags>();
  sim::cli::add_serve_flags(tui, serve, false);
  tui->callback([scenario, serve, headless_run = std::move(headless_run)] {
    int status = 0;
    if (isatty(STDOUT_FILENO) && isatty(STDIN_FILENO)) {
      status = run_tui(*scenario, *serve);
    } else {
      std::cerr << "kvsim tui: not a terminal; running `kvsim run " << *scenario << "` instead\n";
      status = headless_run(*scenario);
    }
    // The exit status leaves through CLI11's parse, main's dispatch is skipped.
    throw CLI::RuntimeError(status);
  });
}

}  // namespace kvsim::tui
