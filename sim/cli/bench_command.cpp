#include "sim/cli/bench_command.hpp"

#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>

#include "models/kubevirt.hpp"
#include "sim/bench/baseline.hpp"
#include "sim/cluster/cluster.hpp"
#include "sim/scenario/scenario.hpp"

namespace kvsim::sim::cli {
namespace {

// What a child reports on its last line: "records N sim S running R/M".
struct ChildReport {
  std::size_t records = 0;
  double sim = 0;
  std::size_t running = 0, wanted = 0;
};

struct Measured {
  double wall = 0;       // seconds
  double rss_mib = 0;    // peak resident set
  ChildReport report;
  bool ok = false;
  std::string error;
};

std::optional<scenario::Scenario> load_quietly(const std::string& file, std::string& error) {
  models::Problems problems;
  auto s = scenario::load_scenario(scenario::resolve_scenario_path(file), problems);
  for (const auto& p : problems) error += p.str() + "\n";
  return s;
}

// The child's side: one run in this process, its report on stdout, and out at once (tearing
// down 100,000 VMs' objects is no part of what is measured).
[[noreturn]] void child(const std::string& what, const std::string& file) {
  std::string error;
  auto s = load_quietly(file, error);
  if (!s) {
    std::cerr << error;
    std::_Exit(2);
  }
  ChildReport r;
  auto report = [&r] {
    std::cout << fmt::format("records {} sim {:.3f} running {}/{}\n", r.records, r.sim, r.running, r.wanted)
              << std::flush;
    std::_Exit(r.running == r.wanted ? 0 : 1);
  };
  if (what == "baseline") {
    const auto work = bench::baseline_work(*s);
    const auto result = bench::run_baseline(*s, work);
    r = {result.writes, result.sim_seconds, result.running, work.vms};
    report();
  } else {
    s->end_when_met = true;
    s->cluster.keep_trace_records = false;  // as `kvsim run` does
    sim::cluster::Cluster cluster(s->cluster);
    const auto result = scenario::run_scenario(*s, cluster);
    std::size_t running = 0;
    for (const auto& o : cluster.store().list(models::VirtualMachineInstance::kind_info()))
      running += std::static_pointer_cast<const models::VirtualMachineInstance>(o)->status.phase == "Running" ? 1 : 0;
    // The VMs the scenario made (read from the store: decoding the scenario's objects again
    // would be measured as kvsim's work).
    r = {cluster.trace().count(), cluster.now(), running,
         cluster.store().count(models::VirtualMachine::kind_info())};
    if (!result.ok()) r.wanted = std::max(r.wanted, r.running + 1);  // an expectation failed: a failed run
    report();  // before the cluster's teardown, which is not measured
  }
  std::_Exit(3);
}

// Runs `kvsim bench --child WHAT FILE` and measures it: wall time, and the peak RSS the
// kernel kept for it (wait4's rusage).
Measured measure(const std::string& what, const std::string& file) {
  Measured m;
  int out[2];
  if (pipe(out) != 0) return m.error = "pipe failed", m;
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    execl("/proc/self/exe", "kvsim", "bench", "--child", what.c_str(), file.c_str(), static_cast<char*>(nullptr));
    std::_Exit(127);
  }
  close(out[1]);
  std::string text;
  char buf[4096];
  for (ssize_t n; (n = read(out[0], buf, sizeof buf)) > 0;) text.append(buf, static_cast<std::size_t>(n));
  close(out[0]);
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  m.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  m.rss_mib = static_cast<double>(usage.ru_maxrss) / 1024.0;  // KiB on Linux
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);)
    std::sscanf(line.c_str(), "records %zu sim %lf running %zu/%zu", &m.report.records, &m.report.sim,
                &m.report.running, &m.report.wanted);
  m.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (!m.ok)
    m.error = WIFEXITED(status) ? fmt::format("exit status {}", WEXITSTATUS(status))
                                : fmt::format("killed by signal {}", WTERMSIG(status));
  return m;
}

std::string machine() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string model = "unknown CPU";
  for (std::string line; std::getline(cpuinfo, line);)
    if (line.starts_with("model name")) {
      model = line.substr(line.find(':') + 2);
      break;
    }
  std::ifstream meminfo("/proc/meminfo");
  std::string key, unit;
  double kib = 0;
  meminfo >> key >> kib >> unit;
  return fmt::format("{}, {} cores, {:.0f} GiB", model, std::thread::hardware_concurrency(), kib / 1024 / 1024);
}

int bench(const std::vector<std::string>& sizes) {
  std::cout << fmt::format("kvsim bench on {}\n", machine());
  std::cout << fmt::format("{:<6} {:<9} {:>8} {:>10} {:>10} {:>11} {:>9} {:>9} {:>15} {:>15}\n", "size", "run",
                           "wall s", "peak MiB", "records", "records/s", "sim s", "running", "x baseline", "growth");
  std::optional<Measured> last_kvsim, last_base;
  int failures = 0;
  for (const auto& size : sizes) {
    const std::string file = "scale/vms-" + size + ".yaml";
    std::string error;
    if (!load_quietly(file, error)) {
      std::cerr << error;
      return 1;
    }
    const auto base = measure("baseline", file);
    const auto kv = measure("kvsim", file);
    auto row = [&](const char* run, const Measured& m, const std::optional<Measured>& before, const Measured* against) {
      const auto& r = m.report;
      const std::string vs = against ? fmt::format("{:.1f}x {:.1f}x", m.wall / against->wall, m.rss_mib / against->rss_mib)
                                     : std::string("-");
      const std::string growth = before ? fmt::format("{:.1f}x {:.1f}x", m.wall / before->wall, m.rss_mib / before->rss_mib)
                                        : std::string("-");
      std::cout << fmt::format("{:<6} {:<9} {:>8.2f} {:>10.0f} {:>10} {:>11.0f} {:>9.1f} {:>9} {:>15} {:>15}{}\n", size,
                               run, m.wall, m.rss_mib, r.records, static_cast<double>(r.records) / m.wall, r.sim,
                               fmt::format("{}/{}", r.running, r.wanted), vs, growth,
                               m.ok ? "" : "  FAILED: " + m.error)
                << std::flush;
    };
    row("baseline", base, last_base, nullptr);
    row("kvsim", kv, last_kvsim, &base);
    failures += (base.ok ? 0 : 1) + (kv.ok ? 0 : 1);
    last_base = base;
    last_kvsim = kv;
  }
  std::cout << "x baseline and growth: wall time, then peak RSS. baseline records: the writes kvsim would make.\n";
  return failures == 0 ? 0 : 1;
}

}  // namespace

void add_bench_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "bench", "Time the scale scenarios (scenarios/scale) against a bare-SimGrid baseline doing the same work");
  auto sizes = std::make_shared<std::vector<std::string>>(std::vector<std::string>{"1k", "10k"});
  auto child_args = std::make_shared<std::vector<std::string>>();
  cmd->add_option("--sizes", *sizes, "Scenario sizes, smallest first (scenarios/scale/vms-SIZE.yaml): 1k,10k,100k")
      ->delimiter(',');
  cmd->add_option("--child", *child_args, "(internal) run one measured child: kvsim|baseline FILE")
      ->expected(2)
      ->group("");
  cmd->callback([=] {
    if (!child_args->empty()) child((*child_args)[0], (*child_args)[1]);
    const int status = bench(*sizes);
    if (status != 0) throw CLI::RuntimeError(status);
  });
}

}  // namespace kvsim::sim::cli
