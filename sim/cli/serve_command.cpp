#include "sim/cli/serve_command.hpp"

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <iostream>

#include "sim/hypervisor/libvirt_runtime.hpp"
#include "sim/lab/session.hpp"
#include "sim/scenario/scenario.hpp"

namespace kvsim::sim::cli {

namespace {

std::atomic<bool> g_stop{false};

extern "C" void on_stop_signal(int) { g_stop = true; }

// The longest wall time one turn waits for a request: the clock's resolution when idle.
constexpr std::chrono::milliseconds kTurn{20};
// A slow turn (a long request) is not made up for: the clock never lurches.
constexpr double kMaxWallSlice = 0.25;

// SCENARIO or LAB: a scenario file or name first, then a lab name or number.
struct Target {
  std::optional<scenario::Scenario> scenario;
  std::optional<lab::Lab> lab;
};

std::optional<Target> resolve(const std::string& name) {
  models::Problems problems;
  const std::string path = scenario::resolve_scenario_path(name);
  if (std::filesystem::is_regular_file(path)) {
    auto s = scenario::load_scenario(path, problems);
    if (!s) {
      std::cerr << models::join_lines(problems) << "\n";
      return std::nullopt;
    }
    return Target{std::move(s), std::nullopt};
  }
  std::string error;
  const std::string lab_file = lab::resolve_lab(name, error);
  if (lab_file.empty()) {
    std::cerr << fmt::format("error: \"{}\" is neither a scenario (scenarios/) nor a lab (kvsim lab list)\n", name);
    return std::nullopt;
  }
  auto l = lab::load_lab(lab_file, problems);
  if (!l) {
    std::cerr << models::join_lines(problems) << "\n";
    return std::nullopt;
  }
  return Target{std::nullopt, std::move(l)};
}

}  // namespace

int serve_target(const std::string& name, const ServeFlags& flags, bool quiet) {
  auto target = resolve(name);
  if (!target) return 1;
  try {
    cluster::Cluster cluster(target->scenario ? target->scenario->cluster : target->lab->setup.cluster);
    std::unique_ptr<lab::LabSession> session;
    if (target->scenario) {
      for (const auto& e : scenario::apply_objects(*target->scenario, cluster)) std::cerr << "error: " << e << "\n";
    } else {
      session = std::make_unique<lab::LabSession>(std::move(*target->lab), cluster);
      for (const auto& e : session->setup_errors()) std::cerr << "error: " << e << "\n";
    }
    auto endpoint = open_endpoint(cluster, flags);
    std::cout << endpoint->banner();
    if (session) std::cout << "\n" << session->status();
    std::cout << fmt::format("Sim time runs at x{} of wall time; Ctrl-C stops.\n\n", flags.speed) << std::flush;
    if (!quiet)
      cluster.trace().set_listener([](const engine::TraceRecord& r) {
        if (r.kind != "Event") std::cout << engine::to_timeline_line(r) << "\n" << std::flush;
      });
    serve_paced(cluster, *endpoint, flags.speed);
    cluster.trace().set_listener({});
    endpoint.reset();
    session.reset();
    std::cout << fmt::format("\nstopped at {:.3f}s sim time\n", cluster.now());
    cluster.shutdown();
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}

void add_serve_flags(CLI::App* command, const std::shared_ptr<ServeFlags>& flags, bool implied) {
  if (implied) flags->enabled = true;
  else command->add_flag("--serve", flags->enabled, "Also serve the Kubernetes API, for the real kubectl (see kvsim serve)");
  command->add_option("--port", flags->endpoint.port,
                      fmt::format("The API's port (default {}; 0 picks a free one)", apiserver::kDefaultPort));
  command->add_option("--address", flags->endpoint.address, "The address to listen on (default 127.0.0.1)");
  command->add_flag("--allow-remote", flags->endpoint.allow_remote,
                    "Allow --address to be other than loopback (TLS and the token are still required)");
  command->add_option("--kubeconfig-out", flags->endpoint.kubeconfig_out,
                      "Where to write the kubeconfig (default $XDG_RUNTIME_DIR/kvsim/, else build/)");
  command->add_flag("--log-requests", flags->endpoint.log_requests,
                    "Print each API request on stderr: method, path, status, time taken");
  command->add_option("--speed", flags->speed, "Sim seconds per wall second while serving (default 1)")
      ->check(CLI::PositiveNumber);
}

std::vector<std::string> serve_arguments(const ServeFlags& flags) {
  if (!flags.enabled) return {};
  const auto& e = flags.endpoint;
  std::vector<std::string> args = {"--serve", "--port", std::to_string(e.port), "--address", e.address,
                                   "--speed", fmt::format("{}", flags.speed)};
  if (e.allow_remote) args.push_back("--allow-remote");
  if (e.log_requests) args.push_back("--log-requests");
  if (!e.kubeconfig_out.empty()) args.insert(args.end(), {"--kubeconfig-out", e.kubeconfig_out});
  return args;
}

std::unique_ptr<apiserver::Endpoint> open_endpoint(cluster::Cluster& cluster, const ServeFlags& flags) {
  if (!flags.enabled) return nullptr;
  return std::make_unique<apiserver::Endpoint>(cluster, flags.endpoint);
}

void serve_paced(cluster::Cluster& cluster, apiserver::Endpoint& endpoint, double speed,
                 const std::function<bool()>& keep_going) {
  g_stop = false;
  auto previous_int = std::signal(SIGINT, on_stop_signal);
  auto previous_term = std::signal(SIGTERM, on_stop_signal);
  using Clock = std::chrono::steady_clock;
  auto last = Clock::now();
  while (!g_stop && (!keep_going || keep_going())) {
    endpoint.serve(kTurn);
    const auto now = Clock::now();
    const double wall = std::min(std::chrono::duration<double>(now - last).count(), kMaxWallSlice);
    last = now;
    double target = cluster.now() + wall * speed;
    // While a real guest runs, the clock is the wall clock's.
    if (auto real = hypervisor::wall_clock_sim_time(); real && *real > target) target = *real;
    cluster.run_until(target);
  }
  std::signal(SIGINT, previous_int);
  std::signal(SIGTERM, previous_term);
}

void add_serve_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "serve", "Serve a scenario's or a lab's cluster as a Kubernetes API for the real kubectl (sim time paced to wall time)");
  auto name = std::make_shared<std::string>("default");
  auto flags = std::make_shared<ServeFlags>();
  auto quiet = std::make_shared<bool>(false);
  cmd->add_option("SCENARIO|LAB", *name, "A scenario (file or name under scenarios/) or a lab (name or number); default: default");
  add_serve_flags(cmd, flags, true);
  cmd->add_flag("--quiet", *quiet, "Do not print the timeline");
  cmd->callback([=] {
    const int status = serve_target(*name, *flags, *quiet);
    std::cout << std::flush;
    if (status != 0) throw CLI::RuntimeError(status);
  });
}

}  // namespace kvsim::sim::cli
