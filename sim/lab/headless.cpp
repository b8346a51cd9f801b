#include "sim/lab/headless.hpp"

#include <fmt/format.h>

#include <ostream>

#include "models/duration.hpp"
#include "sim/commands/executor.hpp"
#include "sim/lab/session.hpp"
#include "sim/regression/invariant_watch.hpp"

namespace kvsim::sim::lab {
namespace {

bool is_advance(const std::string& command) {
  std::string error;
  const auto words = commands::split_words(command, error);
  return !words.empty() && words[0] == "advance";
}

}  // namespace

int run_headless(const Lab& lab, HeadlessMode mode, bool quiet, std::ostream& out, double reading_pause) {
  cluster::Cluster cluster(lab.setup.cluster);
  if (!quiet)
    cluster.trace().set_listener([&out](const engine::TraceRecord& r) {
      if (r.kind != "Event") out << engine::to_timeline_line(r) << "\n";
    });
  int failed = 0, passed = 0;
  {
    // A headless lab is a test run: the invariants are checked on every step.
    regression::InvariantWatch invariants(cluster);
    LabSession session(lab, cluster);
    for (const auto& e : session.setup_errors()) {
      out << "  FAIL  setup: " << e << "\n";
      ++failed;
    }
    commands::Executor exec(cluster);
    std::vector<StepGrade> grades;
    for (std::size_t i = 0; i < lab.steps.size(); ++i) {
      const auto& step = lab.steps[i];
      out << fmt::format("--- step {}/{}: {} (at {:.3f}s)\n", i + 1, lab.steps.size(), step.title, cluster.now());
      if (reading_pause > 0) {
        out << fmt::format("(reading the step for {})\n", models::format_seconds(reading_pause));
        cluster.run_until(cluster.now() + reading_pause);
      }
      for (const auto& line : step.solution) {
        // "! CMD": the lab shows a refusal; the command must fail.
        const bool refusal = line.starts_with("! ");
        const std::string command = refusal ? line.substr(2) : line;
        if (mode == HeadlessMode::grade_only && !is_advance(command)) continue;
        out << fmt::format("> {}\n", command);
        const auto outcome = exec.run(command);
        out << outcome.output;
        if (!outcome.ok()) out << outcome.error << "\n";
        if (outcome.ok() == refusal) {
          out << fmt::format("  FAIL  step {}: `{}` {}\n", i + 1, command, refusal ? "was expected to be refused" : "failed");
          ++failed;
        }
      }
      grades.push_back(session.grade_current());
      session.skip_step();
    }
    invariants.check_now();
    cluster.trace().set_listener({});
    out << fmt::format("\nlab {} ({}), {:.3f}s sim time\n", lab.name, mode == HeadlessMode::solve ? "solved" : "graded untouched",
                       cluster.now());
    for (const auto& g : grades) {
      out << format_grade(lab, g);
      for (const auto& c : g.checks) (c.passed ? passed : failed) += 1;
    }
    for (const auto& v : invariants.violations()) out << "  FAIL  invariant " << regression::describe(v) << "\n";
    failed += static_cast<int>(invariants.violations().size());
  }
  out << fmt::format("{} {}: {} passed, {} failed\n", failed == 0 ? "PASS" : "FAIL", lab.name, passed, failed);
  cluster.shutdown();
  return failed == 0 ? 0 : 1;
}

}  // namespace kvsim::sim::lab
