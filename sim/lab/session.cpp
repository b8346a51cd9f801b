#include "sim/lab/session.hpp"

#include <fmt/format.h>

#include "models/registry.hpp"
#include "sim/commands/executor.hpp"
#include "sim/scenario/store_objects.hpp"

namespace kvsim::sim::lab {
namespace {

using scenario::StoreObjects;

std::string indent(const std::string& text, const std::string& by) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto nl = text.find('\n', start);
    const std::string line = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    out += line.empty() ? "\n" : by + line + "\n";
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return out;
}

}  // namespace

bool StepGrade::passed() const {
  for (const auto& c : checks)
    if (!c.passed) return false;
  return true;
}

LabSession::LabSession(Lab lab, cluster::Cluster& cluster) : lab_(std::move(lab)), cluster_(cluster) {
  outcomes_.assign(lab_.steps.size(), Outcome::open);
  setup_errors_ = scenario::apply_objects(lab_.setup, cluster_);
  if (lab_.warmup > 0) cluster_.run_until(lab_.warmup);
  begin_step(0);
  listener_ = cluster_.store().add_change_listener([this](const api::WatchEvent&) { observe(); });
}

LabSession::~LabSession() { cluster_.store().remove_change_listener(listener_); }

void LabSession::begin_step(std::size_t index) {
  step_ = index;
  step_started_ = cluster_.now();
  next_hint_ = 0;
  clocks_.clear();
  if (all_steps_done()) return;
  StoreObjects objects(cluster_.store());
  for (const auto& c : lab_.steps[step_].checks) clocks_.push_back(scenario::start_clock(c, objects));
  observe();
}

void LabSession::observe() {
  if (all_steps_done() || finished_) return;
  StoreObjects objects(cluster_.store());
  const auto& checks = lab_.steps[step_].checks;
  for (std::size_t i = 0; i < checks.size(); ++i) scenario::observe(checks[i], objects, cluster_.now(), clocks_[i]);
}

StepGrade LabSession::grade_current() const {
  StepGrade g{step_, {}};
  if (all_steps_done()) return g;
  StoreObjects objects(cluster_.store());
  const auto& checks = lab_.steps[step_].checks;
  for (std::size_t i = 0; i < checks.size(); ++i)
    g.checks.push_back(scenario::grade_now(checks[i], objects, cluster_.now(), clocks_[i]));
  return g;
}

StepGrade LabSession::grade() {
  observe();
  StepGrade g = grade_current();
  if (!all_steps_done() && g.passed()) {
    outcomes_[step_] = Outcome::passed;
    begin_step(step_ + 1);
  }
  return g;
}

void LabSession::skip_step() {
  if (all_steps_done()) return;
  outcomes_[step_] = Outcome::skipped;
  begin_step(step_ + 1);
}

void LabSession::retry_step() {
  if (!all_steps_done()) begin_step(step_);
}

std::string LabSession::status() const {
  std::string out = fmt::format("Lab {}: {}\n", lab_.name, lab_.title);
  if (finished_) return out + "Finished: `lab reset` starts it again.\n";
  if (all_steps_done()) return out + "All steps are done: `lab finish` to close the lab.\n";
  const auto& s = lab_.steps[step_];
  out += fmt::format("Step {}/{}: {} (begun at {:.1f}s, now {:.1f}s)\n\n", step_ + 1, lab_.steps.size(), s.title, step_started_,
                     cluster_.now());
  if (!clock_note_.empty()) out += clock_note_ + "\n\n";
  out += indent(s.instructions, "  ");
  out += fmt::format("\n`lab grade` checks this step ({} check{}), `lab hint` helps, `lab retry-step` starts it again,"
                     " `lab skip` moves on (graded as skipped).\n",
                     s.checks.size(), s.checks.size() == 1 ? "" : "s");
  return out;
}

std::string LabSession::hint() {
  if (all_steps_done()) return "No step is left: `lab finish`.\n";
  const auto& hints = lab_.steps[step_].hints;
  if (hints.empty()) return "This step has no hint: read its instructions again (`lab status`).\n";
  const std::size_t i = std::min(next_hint_, hints.size() - 1);
  if (next_hint_ < hints.size()) ++next_hint_;
  return fmt::format("Hint {}/{}: {}\n", i + 1, hints.size(), hints[i]);
}

std::string format_grade(const Lab& lab, const StepGrade& grade) {
  if (grade.step >= lab.steps.size()) return "No step is left to grade: `lab finish`.\n";
  std::string out = fmt::format("Step {}/{}: {}\n", grade.step + 1, lab.steps.size(), lab.steps[grade.step].title);
  int passed = 0;
  for (const auto& c : grade.checks) {
    if (c.passed) {
      ++passed;
      out += c.at >= 0 ? fmt::format("  PASS  {} (at {:.3f}s)\n", c.name, c.at) : fmt::format("  PASS  {}\n", c.name);
    } else {
      out += fmt::format("  FAIL  {}: {}\n", c.name, c.message);
    }
  }
  out += fmt::format("{} passed, {} failed\n", passed, grade.checks.size() - passed);
  return out;
}

std::string LabSession::finish() {
  std::string out;
  if (!all_steps_done() && !finished_) {
    const StepGrade g = grade();
    out += format_grade(lab_, g);
  }
  finished_ = true;
  std::size_t done = 0;
  std::vector<std::string> skipped;
  for (std::size_t i = 0; i < outcomes_.size(); ++i) {
    done += outcomes_[i] == Outcome::passed ? 1 : 0;
    if (outcomes_[i] == Outcome::skipped) skipped.push_back(std::to_string(i + 1));
  }
  const std::string skipped_text =
      skipped.empty() ? "" : fmt::format(", {} skipped (step{} {})", skipped.size(), skipped.size() == 1 ? "" : "s", fmt::join(skipped, ", "));
  out += fmt::format("Lab {} finished at {:.1f}s: {}/{} steps passed{}{}\n", lab_.name, cluster_.now(), done, lab_.steps.size(),
                     skipped_text, done == lab_.steps.size() ? ". Well done." : "");
  return out;
}

const std::vector<std::string>& LabSession::commands() {
  static const std::vector<std::string> words{"finish", "grade", "hint", "reset", "retry-step", "skip", "status"};
  return words;
}

std::optional<std::string> LabSession::handle(const std::string& line) {
  std::string error;
  auto words = commands::split_words(line, error);
  if (!error.empty() || words.empty() || words[0] != "lab") return std::nullopt;
  const std::string sub = words.size() > 1 ? words[1] : "status";
  if (words.size() > 2) return fmt::format("error: lab {} takes no argument\n", sub);
  if (sub == "status") return status();
  if (sub == "hint") return hint();
  if (sub == "finish") return finish();
  if (sub == "reset") {
    reset_requested_ = true;
    return fmt::format("Resetting lab {}: a fresh cluster, step 1.\n", lab_.name);
  }
  if (sub == "retry-step" || sub == "skip") {
    if (finished_) return std::string("The lab is finished: `lab reset` starts it again.\n");
    if (all_steps_done()) return fmt::format("No step is left to {}: `lab finish`.\n", sub == "skip" ? "skip" : "retry");
    const std::size_t was = step_;
    if (sub == "skip") {
      skip_step();
      std::string out = fmt::format("Step {}/{} skipped: it is graded as skipped, not passed.\n", was + 1, lab_.steps.size());
      if (all_steps_done()) return out + "No step is left: `lab finish` to close the lab.\n";
      return out + fmt::format("\nNext: {}", status().substr(status().find('\n') + 1));
    }
    retry_step();
    return fmt::format("Step {}/{} begins again: its checks compare with the cluster as it is now, and each clock waits for "
                       "its event again.\n\n{}",
                       was + 1, lab_.steps.size(), status().substr(status().find('\n') + 1));
  }
  if (sub == "grade") {
    if (finished_) return std::string("The lab is finished: `lab reset` starts it again.\n");
    const bool was_last = step_ + 1 == lab_.steps.size();
    const StepGrade g = grade();
    std::string out = format_grade(lab_, g);
    if (g.passed() && g.step < lab_.steps.size())
      out += was_last ? "Every step passed: `lab finish` to close the lab.\n"
                      : fmt::format("\nNext: {}", status().substr(status().find('\n') + 1));
    return out;
  }
  return fmt::format("error: unknown lab command \"{}\" (expected status, hint, grade, retry-step, skip, finish, reset)\n", sub);
}

}  // namespace kvsim::sim::lab
