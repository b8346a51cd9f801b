#include "sim/cli/lab_commands.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <map>
#include <memory>

#include "models/duration.hpp"
#include "sim/cli/shell_input.hpp"
#include "sim/client/api_objects.hpp"
#include "sim/client/https_client.hpp"
#include "sim/commands/executor.hpp"
#include "sim/lab/api_grading.hpp"
#include "sim/lab/headless.hpp"
#include "sim/lab/session.hpp"

namespace kvsim::sim::cli {
namespace {

constexpr const char* kShellClockNote =
    "(Time is frozen in the shell: when a step says \"wait 30s\", type `advance 30s`. No deadline counts from a step's start.)";

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
[[noreturn]] void restart(const std::string& lab_file, bool tui, const ServeFlags& serve) {
  std::cout << std::flush;
  std::fseek(stdin, 0, SEEK_CUR);  // gives back what stdio read ahead, when stdin is a file
  std::string self = "/proc/self/exe";
  std::vector<std::string> args = {"kvsim", "lab", "start", lab_file};
  if (!tui) args.push_back("--no-tui");
  for (auto& a : serve_arguments(serve)) args.push_back(a);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  execv(self.c_str(), argv.data());
  std::perror("kvsim: lab reset: cannot restart");
  std::_Exit(1);
}

int start_lab(const std::string& name, ServeFlags serve) {
  auto l = load(name);
  if (!l) return 1;
  const std::string file = l->file;
  bool reset = false;
  try {
    cluster::Cluster cluster(l->setup.cluster);
    {
      lab::LabSession session(std::move(*l), cluster);
      session.set_clock_note(kShellClockNote);
      for (const auto& e : session.setup_errors()) std::cerr << "error: " << e << "\n";
      commands::Executor exec(cluster);
      auto endpoint = open_endpoint(cluster, serve);
      if (endpoint) {
        std::cout << endpoint->banner() << "The shell's clock stays frozen between commands: `advance` moves it.\n\n";
        serve.endpoint.port = endpoint->port(), serve.endpoint.kubeconfig_out = endpoint->kubeconfig_path();
      }
      std::optional<ShellInput> input(std::in_place, cluster, endpoint.get(),
                                      std::map<std::string, std::vector<std::string>>{{"lab", lab::LabSession::commands()}});
      std::cout << session.status() << std::flush;
      std::string line;
      while (!session.reset_requested()) {
        const bool in_console = exec.console_attached();
        const std::string prompt =
            in_console ? "" : fmt::format("kvsim lab {} [{:.1f}s]> ", session.lab().name, cluster.now());
        std::string too_long;
        if (!input->next(prompt, !in_console, line, too_long)) break;
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
  if (reset) restart(file, false, serve);
  return 0;
}


int run_lab(const std::string& name, bool solve, bool quiet, double reading_pause = 0) {
  auto l = load(name);
  if (!l) return 1;
  try {
    return lab::run_headless(*l, solve ? lab::HeadlessMode::solve : lab::HeadlessMode::grade_only, quiet, std::cout, reading_pause);
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}

// On a terminal the TUI with the lab panel; without one, the headless solved
// run (the timeline, then the grade), said so on stderr.
int start_lab_front_end(const std::string& name, const LabTui& tui, const ServeFlags& serve) {
  if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
    if (serve.enabled) {
      std::cerr << fmt::format("kvsim lab start: not a terminal; serving the lab (`kvsim serve {}`) instead\n", name);
      return serve_target(name, serve, false);
    }
    std::cerr << fmt::format("kvsim lab start: not a terminal; running `kvsim lab run {} --solve` instead\n", name);
    return run_lab(name, true, false);
  }
  auto l = load(name);
  if (!l) return 1;
  const std::string file = l->file;
  bool reset = false;
  const int status = tui(std::move(*l), reset, serve);
  if (reset) restart(file, true, serve);
  return status;
}

// `lab check`: the current step graded through a kubeconfig's API (see api_grading.hpp).
// Exit 0 when the step passes (or all have), 1 when it does not, 2 when the cluster cannot be read.
// `--skip` and `--retry-step` move the record instead of grading (exit 0).
enum class CheckAction { grade, skip, retry_step };

int check_lab(const std::string& name, const std::string& kubeconfig, const std::string& context, std::string state,
              bool restart_progress, CheckAction action) {
  auto l = load(name);
  if (!l) return 2;
  std::string error;
  auto config = client::load_kubeconfig(kubeconfig, context, error);
  if (!config) {
    std::cerr << "error: " << error << "\n";
    return 2;
  }
  if (state.empty())
    state = lab::progress_path(l->name, config->server, config->token + config->client_cert_pem + config->context);
  lab::ApiProgress progress;
  if (!restart_progress) {
    auto read = lab::read_progress(state, error);
    if (!error.empty()) {
      std::cerr << "error: " << error << "\n";
      return 2;
    }
    if (read && read->lab == l->name) progress = *read;
  }
  progress.lab = l->name;
  progress.server = config->server;
  client::HttpsClient http(*config);
  client::ApiObjects objects(http);
  lab::ApiGrade graded;
  if (action == CheckAction::skip) graded.text = lab::skip_through_api(*l, progress, objects), graded.advanced = true;
  else if (action == CheckAction::retry_step) graded.text = lab::retry_through_api(*l, progress, objects), graded.advanced = true;
  else graded = lab::grade_through_api(*l, progress, objects);
  if (!objects.error().empty()) {
    std::cerr << fmt::format("error: lab {}: cannot read the cluster at {} (kubeconfig {}): {}\n", l->name, config->server,
                             config->file, objects.error());
    return 2;
  }
  if (!lab::write_progress(state, progress, error)) std::cerr << "warning: " << error << "\n";
  std::cout << graded.text;
  return graded.all_done || graded.advanced ? 0 : 1;
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
      "start", "Open a lab in the TUI (--no-tui: the shell; no terminal: solved headless); `lab status|hint|grade|retry-step|skip|finish|reset` inside");
  auto start_name = std::make_shared<std::string>(lab::kDefaultLab);
  start->add_option("NAME", *start_name, fmt::format("Lab name (or its number), folder or lab.yaml (default: {})", lab::kDefaultLab));
  auto no_tui = std::make_shared<bool>(false);
  start->add_flag("--no-tui", *no_tui, "Use the shell instead of the terminal UI");
  auto serve = std::make_shared<ServeFlags>();
  add_serve_flags(start, serve, false);
  start->callback([start_name, no_tui, serve, tui = std::move(tui)] {
    finish(*no_tui ? start_lab(*start_name, *serve) : start_lab_front_end(*start_name, tui, *serve));
  });

  auto* check = lab->add_subcommand(
      "check", "Grade a lab's current step through any Kubernetes API (kvsim serve's endpoint or a real cluster)");
  auto check_name = std::make_shared<std::string>();
  auto check_kubeconfig = std::make_shared<std::string>();
  auto check_context = std::make_shared<std::string>();
  auto check_state = std::make_shared<std::string>();
  auto check_restart = std::make_shared<bool>(false);
  check->add_option("NAME", *check_name, "Lab name (or its number), folder or lab.yaml")->required();
  check->add_option("--kubeconfig", *check_kubeconfig, "The kubeconfig to read (default: $KUBECONFIG, ~/.kube/config)");
  check->add_option("--context", *check_context, "The kubeconfig context (default: its current-context)");
  check->add_option("--state", *check_state, "The progress record (default: one per lab and cluster under ~/.local/state/kvsim)");
  auto check_skip = std::make_shared<bool>(false);
  auto check_retry = std::make_shared<bool>(false);
  auto* restart_flag = check->add_flag("--restart", *check_restart, "Grade from step 1 again");
  auto* skip_flag = check->add_flag("--skip", *check_skip, "Skip the current step (graded as skipped, not passed); the next begins now");
  auto* retry_flag =
      check->add_flag("--retry-step", *check_retry, "Begin the current step again: its checks compare with the cluster as it is now");
  skip_flag->excludes(retry_flag);
  restart_flag->excludes(skip_flag)->excludes(retry_flag);
  check->callback([=] {
    const auto action = *check_skip ? CheckAction::skip : *check_retry ? CheckAction::retry_step : CheckAction::grade;
    finish(check_lab(*check_name, *check_kubeconfig, *check_context, *check_state, *check_restart, action));
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
  auto reading_pause = std::make_shared<std::string>();
  run->add_option("--reading-pause", *reading_pause,
                  "Let this much sim time pass before each step's commands (e.g. 3m), as a trainee reading the step");
  run->callback([=] {
    if (!*solve && !*grade_only) throw CLI::ValidationError("lab run", "one of --solve or --grade-only is required");
    double pause = 0;
    if (!reading_pause->empty()) {
      const auto parsed = models::parse_duration(*reading_pause);
      if (!parsed)
        throw CLI::ValidationError("--reading-pause", fmt::format("\"{}\" is not a duration (e.g. 30s, 3m)", *reading_pause));
      pause = *parsed;
    }
    finish(run_lab(*run_name, *solve, *quiet, pause));
  });
}

}  // namespace kvsim::sim::cli
