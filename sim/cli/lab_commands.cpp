#include "sim/cli/lab_commands.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>

#include "sim/commands/command_input.hpp"
#include "sim/commands/executor.hpp"
#include "sim/lab/headless.hpp"
#include "sim/lab/session.hpp"

namespace kvsim::sim::cli {
namespace {

std::optional<lab::Lab> load(const std::string& name) {
  std::string error;
  const std::string file = lab::resolve_lab(name, error);
  if (file.empty()) {
    std::cerr << error << "\n";
    return std::nullopt;
  }
  models::Problems problems;
  auto l = lab::load_lab(file, problems);
  if (!l) std::cerr << models::join_lines(problems) << "\n";
  return l;
}

int list_labs() {
  models::Problems problems;
  const auto labs = lab::list_labs(problems);
  std::size_t width = 0;
  for (const auto& l : labs) width = std::max(width, l.name.size());
  for (const auto& l : labs) std::cout << fmt::format("{:<{}}  {}\n", l.name, width, l.title);
  if (!problems.empty()) std::cerr << models::join_lines(problems) << "\n";
  return problems.empty() ? 0 : 1;
}

// The cluster cannot be rebuilt in this process (one SimGrid engine each):
// `lab reset` starts kvsim again on the same lab, keeping the unread input.
[[noreturn]] void restart(const std::string& lab_file, bool tui) {
  std::cout << std::flush;
  std::fseek(stdin, 0, SEEK_CUR);  // gives back what stdio read ahead, when stdin is a file
  std::string self = "/proc/self/exe";
  std::vector<std::string> args = {"kvsim", "lab", "start", lab_file};
  if (!tui) args.push_back("--no-tui");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  execv(self.c_str(), argv.data());
  std::perror("kvsim: lab reset: cannot restart");
  std::_Exit(1);
}

int start_lab(const std::string& name) {
  auto l = load(name);
  if (!l) return 1;
  const std::string file = l->file;
  bool reset = false;
  try {
    cluster::Cluster cluster(l->setup.cluster);
    {
      lab::LabSession session(std::move(*l), cluster);
      for (const auto& e : session.setup_errors()) std::cerr << "error: " << e << "\n";
      commands::Executor exec(cluster);
      const bool interactive = isatty(STDIN_FILENO);
      std::cout << session.status() << std::flush;
      std::string line;
      commands::CommandInput input(std::cin);
      while (!session.reset_requested()) {
        const bool in_console = exec.console_attached();
        if (interactive && !in_console)
          std::cout << fmt::format("kvsim lab {} [{:.1f}s]> ", session.lab().name, cluster.now()) << std::flush;
        std::string too_long;
        if (!input.next(line, too_long)) break;
        if (!too_long.empty()) {
          std::cout << too_long << "\n" << std::flush;
          continue;
        }
        if (!in_console && (line == "quit" || line == "exit")) break;
        if (auto answer = in_console ? std::nullopt : session.handle(line)) {
          std::cout << *answer << std::flush;
          continue;
        }
        auto out = exec.run(line);
        std::cout << out.output;
        if (!out.ok()) std::cout << out.error << "\n";
        std::cout << std::flush;
      }
      reset = session.reset_requested();
    }
    if (!reset) cluster.shutdown();
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  if (reset) restart(file, false);
  return 0;
}


int run_lab(const std::string& name, bool solve, bool quiet) {
  auto l = load(name);
  if (!l) return 1;
  try {
    return lab::run_headless(*l, solve ? lab::HeadlessMode::solve : lab::HeadlessMode::grade_only, quiet, std::cout);
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}

// On a terminal the TUI with the lab panel; without one, the headless solved
// run (the timeline, then the grade), said so on stderr.
int start_lab_front_end(const std::string& name, const LabTui& tui) {
  if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
    std::cerr << fmt::format("kvsim lab start: not a terminal; running `kvsim lab run {} --solve` instead\n", name);
    return run_lab(name, true, false);
  }
  auto l = load(name);
  if (!l) return 1;
  const std::string file = l->file;
  bool reset = false;
  const int status = tui(std::move(*l), reset);
  if (reset) restart(file, true);
  return status;
}

void finish(int status) {
  std::cout << std::flush;
  if (status != 0) throw CLI::RuntimeError(status);
}

}  // namespace

void add_lab_commands(CLI::App& app, LabTui tui) {
  auto* lab = app.add_subcommand("lab", "Training labs: list, start one, or run one headless");
  lab->require_subcommand(1);

  auto* list = lab->add_subcommand("list", "The labs, one per line: name, then title");
  list->callback([] { finish(list_labs()); });

  auto* start = lab->add_subcommand(
      "start", "Open a lab in the TUI (--no-tui: the shell; no terminal: solved headless); `lab status|hint|grade|finish|reset` inside");
  auto start_name = std::make_shared<std::string>(lab::kDefaultLab);
  start->add_option("NAME", *start_name, fmt::format("Lab name (or its number), folder or lab.yaml (default: {})", lab::kDefaultLab));
  auto no_tui = std::make_shared<bool>(false);
  start->add_flag("--no-tui", *no_tui, "Use the shell instead of the terminal UI");
  start->callback([start_name, no_tui, tui = std::move(tui)] {
    finish(*no_tui ? start_lab(*start_name) : start_lab_front_end(*start_name, tui));
  });

  auto* run = lab->add_subcommand("run", "Run a lab headless: solve it, or grade its untouched setup");
  auto run_name = std::make_shared<std::string>();
  auto solve = std::make_shared<bool>(false);
  auto grade_only = std::make_shared<bool>(false);
  auto quiet = std::make_shared<bool>(false);
  run->add_option("NAME", *run_name, "Lab name (or its number), folder or lab.yaml")->required();
  auto* solve_flag = run->add_flag("--solve", *solve, "Apply each step's solution, then grade it (exit 0 if all pass)");
  auto* grade_flag = run->add_flag("--grade-only", *grade_only, "Grade without acting, time passing as in the solution (must fail)");
  solve_flag->excludes(grade_flag);
  run->add_flag("--quiet", *quiet, "Print the commands and grades, not the timeline");
  run->callback([=] {
    if (!*solve && !*grade_only) throw CLI::ValidationError("lab run", "one of --solve or --grade-only is required");
    finish(run_lab(*run_name, *solve, *quiet));
  });
}

}  // namespace kvsim::sim::cli
