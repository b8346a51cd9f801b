// kvsim: the command-line entry point (run, shell, validate).
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <chrono>
#include <iostream>

#include "models/duration.hpp"
#include "models/manifest.hpp"
#include "models/registry.hpp"
#include "sim/cli/lab_commands.hpp"
#include "sim/cli/shell_input.hpp"
#include "sim/cli/bench_command.hpp"
#include "sim/cli/serve_command.hpp"
#include "sim/cli/virtctl_command.hpp"
#include "sim/commands/executor.hpp"
#include "sim/hypervisor/libvirt_runtime.hpp"
#include "sim/regression/invariant_watch.hpp"
#include "sim/regression/trace_diff.hpp"
#include "sim/scenario/scenario.hpp"
#include "tui/app.hpp"
#include "tui/tui_command.hpp"

using namespace kvsim;

namespace {

// `--hypervisor URI` runs every node's domains on that libvirt (hybrid mode), over the scenario's choice.
std::optional<sim::scenario::Scenario> load(const std::string& name, const std::string& hypervisor = "") {
  models::Problems problems;
  auto s = sim::scenario::load_scenario(sim::scenario::resolve_scenario_path(name), problems);
  if (!s) {
    std::cerr << models::join_lines(problems) << "\n";
    return s;
  }
  if (!hypervisor.empty()) {
    if (hypervisor != "sim" && hypervisor.find(':') == std::string::npos) {
      std::cerr << fmt::format("error: --hypervisor: \"{}\" is neither sim nor a libvirt URI (test:///default, "
                               "qemu:///system, qemu+ssh://user@host/system)\n",
                               hypervisor);
      return std::nullopt;
    }
    for (auto& node : s->cluster.platform.nodes) node.hypervisor = hypervisor;
  }
  return s;
}

// Hybrid mode's notices (leftover domains removed at start, ...), on stderr.
void print_notices() {
  for (const auto& n : sim::hypervisor::take_notices()) std::cerr << n << "\n";
}

int cmd_validate(const std::vector<std::string>& files) {
  int bad = 0;
  for (const auto& f : files) {
    auto r = models::load_manifest_file(f);
    if (!r.ok()) {
      std::cerr << models::join_lines(r.problems) << "\n";
      ++bad;
      continue;
    }
    for (const auto& o : r.objects) std::cout << fmt::format("{}: {} {} valid\n", f, o->kind, o->metadata.name);
  }
  return bad ? 1 : 0;
}

int cmd_run(const std::string& name, std::optional<std::uint64_t> seed, const std::string& until,
            const std::string& trace_file, bool quiet, bool check_invariants, const std::string& hypervisor) {
  auto s = load(name, hypervisor);
  if (!s) return 1;
  if (seed) s->cluster.seed = *seed;
  if (!until.empty()) {
    auto d = models::parse_duration(until);
    if (!d) {
      std::cerr << fmt::format("error: --until: \"{}\" is not a duration (e.g. 90s, 5m)\n", until);
      return 1;
    }
    s->until = *d;
  }
  s->cluster.trace_file = trace_file;
  s->cluster.keep_trace_records = false;  // streamed to the timeline and the file, never read back
  try {
    sim::cluster::Cluster cluster(s->cluster);
    print_notices();
    if (!quiet)
      cluster.trace().set_listener([](const sim::engine::TraceRecord& r) {
        if (r.kind != "Event") std::cout << sim::engine::to_timeline_line(r) << "\n";
      });
    std::optional<sim::regression::InvariantWatch> invariants;
    if (check_invariants) invariants.emplace(cluster);
    auto result = sim::scenario::run_scenario(*s, cluster);
    if (invariants) invariants->check_now();
    cluster.trace().set_listener({});
    std::cout << fmt::format("\nscenario {} (seed {}), {:.3f}s sim time\n", s->name, cluster.seed(), cluster.now());
    for (const auto& e : result.command_errors) std::cout << "  FAIL  " << e << "\n";
    int passed = 0, failed = 0;
    for (const auto& r : result.results) {
      if (r.held) {
        ++passed;
        std::cout << fmt::format("  PASS  {} (at {:.3f}s)\n", r.expectation->check.name, r.at);
      } else {
        ++failed;
        std::cout << fmt::format("  FAIL  {} (by {}): {}\n", r.expectation->check.name,
                                 models::format_seconds(r.expectation->by), r.found);
      }
    }
    const std::size_t violations = invariants ? invariants->violations().size() : 0;
    if (invariants) {
      for (const auto& v : invariants->violations()) std::cout << "  FAIL  invariant " << sim::regression::describe(v) << "\n";
      if (violations == 0) std::cout << "  PASS  every invariant held on every step\n";
    }
    std::cout << fmt::format("{} passed, {} failed\n", passed + (invariants && violations == 0 ? 1 : 0),
                             failed + static_cast<int>(result.command_errors.size() + violations));
    cluster.shutdown();
    if (const auto& error = cluster.trace().file_error(); !error.empty()) {
      std::cerr << "error: " << error << "\n";
      return 1;
    }
    return result.ok() && violations == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}

// Like diff(1): 0 when the traces are the same, 1 when they differ, 2 on trouble.
int cmd_diff(const std::string& expected_path, const std::string& found_path) {
  auto expected = sim::regression::read_trace(expected_path);
  auto found = sim::regression::read_trace(found_path);
  for (const auto* t : {&expected, &found})
    if (!t->error.empty()) {
      std::cerr << "error: " << t->error << "\n";
      return 2;
    }
  auto d = sim::regression::first_divergence(expected.records, found.records);
  if (!d) {
    std::cout << fmt::format("the traces agree: {} records\n", expected.records.size());
    return 0;
  }
  std::cout << sim::regression::explain(*d, expected.records, expected_path, found_path);
  return 1;
}

// The shell's clock is frozen between commands (`advance` moves it), with or
// without --serve: what kubectl reads then is what the shell's own `get` shows.
// Lines come from ShellInput: edited on a terminal, read plainly from a pipe,
// with the API (--serve) answered while the shell waits for one.
int cmd_shell(const std::string& name, const std::string& hypervisor, const sim::cli::ServeFlags& serve) {
  auto s = load(name, hypervisor);
  if (!s) return 1;
  try {
    sim::cluster::Cluster cluster(s->cluster);
    print_notices();
    for (const auto& e : sim::scenario::apply_objects(*s, cluster)) std::cerr << "error: " << e << "\n";
    auto endpoint = sim::cli::open_endpoint(cluster, serve);
    if (endpoint) std::cerr << endpoint->banner() << "The shell's clock stays frozen between commands: `advance` moves it.\n";
    sim::commands::Executor exec(cluster);
    std::optional<sim::cli::ShellInput> input(std::in_place, cluster, endpoint.get());
    std::string line;
    while (true) {
      // While a serial console is attached the guest prints its own prompts, and `exit` is the guest's.
      const bool in_console = exec.console_attached();
      const std::string prompt = in_console ? "" : fmt::format("kvsim [{:.1f}s]> ", cluster.now());
      std::string too_long;
      if (!input->next(prompt, !in_console, line, too_long)) break;
      if (!too_long.empty()) {
        std::cout << too_long << "\n" << std::flush;
        continue;
      }
      if (!in_console && (line == "quit" || line == "exit")) break;
      // While a real guest runs the clock follows the wall clock, also while the shell waited for input.
      if (auto wall = sim::hypervisor::wall_clock_sim_time(); wall && *wall > cluster.now()) cluster.run_until(*wall);
      auto out = exec.run(line);
      std::cout << out.output;
      if (!out.ok()) std::cout << out.error << "\n";
      std::cout << std::flush;
    }
    input.reset();  // before the endpoint its reader wakes
    endpoint.reset();
    cluster.shutdown();
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  // Called as virtctl or kubectl-virt (build/'s links), or as `kvsim virtctl ...`: kvsim's virtctl,
  // whose flags are virtctl's own, not CLI11's.
  if (auto status = sim::cli::virtctl_by_program_name(argc, argv)) return *status;
  if (argc >= 2 && std::string(argv[1]) == "virtctl")
    return sim::cli::run_virtctl(std::vector<std::string>(argv + 2, argv + argc), "kvsim virtctl");
  CLI::App app{"kvsim: a simulator and teaching sandbox for OpenShift Virtualization (KubeVirt on Kubernetes)"};
  app.set_version_flag("--version", std::string("kvsim ") + KVSIM_VERSION);
  app.require_subcommand(1);

  auto* run = app.add_subcommand("run", "Run a scenario headless: timeline, then its expectations (exit 0 if all hold)");
  std::string run_name = "default", until, trace_file;
  std::uint64_t seed_value = 0;
  bool quiet = false;
  run->add_option("SCENARIO", run_name, "Scenario file or name under scenarios/ (default: default)");
  auto* seed_opt = run->add_option("--seed", seed_value, "Seed for names, jitter and tie-breaks");
  run->add_option("--until", until, "Sim time to run to (e.g. 5m)");
  run->add_option("--trace", trace_file, "Write the trace as JSON Lines to FILE");
  run->add_flag("--quiet", quiet, "Print only the expectations");
  bool check_invariants = false;
  run->add_flag("--check-invariants", check_invariants,
                "Check the cluster's invariants on every step; a violation fails the run");

  auto* diff = app.add_subcommand("diff", "Compare two traces (JSON Lines from --trace): the first divergence, in words");
  std::string diff_expected, diff_found;
  diff->add_option("TRACE_A", diff_expected, "The expected trace (e.g. a golden one)")->required();
  diff->add_option("TRACE_B", diff_found, "The trace to compare with it")->required();

  std::string hypervisor;
  const char* hypervisor_help = "Run every node's domains on this libvirt URI (hybrid mode), e.g. test:///default, qemu:///system";
  run->add_option("--hypervisor", hypervisor, hypervisor_help);

  auto* shell = app.add_subcommand("shell", "Read commands from stdin against a scenario's cluster");
  std::string shell_name = "default";
  shell->add_option("SCENARIO", shell_name, "Scenario file or name (default: default)");
  shell->add_option("--hypervisor", hypervisor, hypervisor_help);
  auto shell_serve = std::make_shared<sim::cli::ServeFlags>();
  sim::cli::add_serve_flags(shell, shell_serve, false);

  auto* validate = app.add_subcommand("validate", "Check manifests as the API server's admission would");
  std::vector<std::string> files;
  validate->add_option("FILE", files, "Manifest files")->required();

  tui::add_tui_command(app, [](const std::string& s) { return cmd_run(s, std::nullopt, "", "", false, false, ""); });

  auto* resources = app.add_subcommand("api-resources", "List the kinds kvsim knows");
  // Listed for --help; `kvsim virtctl ...` is dispatched above, before CLI11 reads virtctl's flags.
  app.add_subcommand("virtctl", "KubeVirt's virtctl through a kubeconfig: start|stop|restart|migrate|pause|unpause|"
                                "console|vnc|guestosinfo|userlist|fslist|expose|version (also as build/virtctl, "
                                "build/kubectl-virt)");
  sim::cli::add_lab_commands(app, tui::run_lab_tui);
  sim::cli::add_serve_command(app);
  sim::cli::add_bench_command(app);

  CLI11_PARSE(app, argc, argv);
  if (*run) return cmd_run(run_name, *seed_opt ? std::optional<std::uint64_t>(seed_value) : std::nullopt, until, trace_file, quiet,
                           check_invariants, hypervisor);
  if (*diff) return cmd_diff(diff_expected, diff_found);
  if (*shell) return cmd_shell(shell_name, hypervisor, *shell_serve);
  if (*validate) return cmd_validate(files);
  if (*resources) {
    std::cout << fmt::format("{:<36} {:<16} {:<34} {}\n", "NAME", "SHORTNAMES", "APIVERSION", "KIND");
    for (const auto* k : models::all_kinds()) {
      std::string shorts;
      for (auto s : k->short_names) shorts += (shorts.empty() ? "" : ",") + std::string(s);
      std::cout << fmt::format("{:<36} {:<16} {:<34} {}{}\n", k->plural, shorts, k->api_version, k->kind,
                               k->not_modelled.empty() ? "" : "  (not modelled yet)");
    }
    return 0;
  }
  return 0;
}
