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
  step_passed_.assign(lab_.steps.size(), false);
  setup_errors_ = scenario::apply_objects(lab_.setup, cluster_);
  if (lab_.warmup > 0) cluster_.run_until(lab_.warmup);
  begin_step(0);
  listener_ = cluster_.store().add_change_listener([this](const api::WatchEvent& e) { observe(&e); });
}

LabSession::~LabSession() { cluster_.store().remove_change_listener(listener_); }

void LabSession::begin_step(std::size_t index) {
  step_ = index;
  step_started_ = cluster_.now();
  next_hint_ = 0;
  baselines_.clear();
  first_held_.clear();
  counts_.clear();
  if (all_steps_done()) return;
  StoreObjects objects(cluster_.store());
  const auto& checks = lab_.steps[step_].checks;
  for (std::size_t i = 0; i < checks.size(); ++i) {
    baselines_.push_back(take_baseline(checks[i], objects));
    first_held_.push_back(std::nullopt);
    if (checks[i].counting) counts_.emplace(i, scenario::CountTracker(checks[i], baselines_.back())).first->second.reset(objects);
  }
  observe(nullptr);
}

void LabSession::observe(const api::WatchEvent* change) {
  if (all_steps_done() || finished_) return;
  if (change)
    for (auto& [i, tracker] : counts_) tracker.observe(*change->object, change->type == api::EventType::Deleted);
  StoreObjects objects(cluster_.store());
  const auto& checks = lab_.steps[step_].checks;
  for (std::size_t i = 0; i < checks.size(); ++i) {
    if (first_held_[i] || !checks[i].within) continue;
    const auto count = counts_.find(i);
    if (count != counts_.end() ? count->second.held() : evaluate(checks[i], objects, baselines_[i]).held)
      first_held_[i] = cluster_.now();
  }
}

StepGrade LabSession::grade_current() const {
  StepGrade g{step_, {}};
  if (all_steps_done()) return g;
  StoreObjects objects(cluster_.store());
  const auto& checks = lab_.steps[step_].checks;
  for (std::size_t i = 0; i < checks.size(); ++i) {
    const auto count = counts_.find(i);
    const Verdict now = count != counts_.end() ? count->second.verdict() : evaluate(checks[i], objects, baselines_[i]);
    auto first = first_held_[i];
    if (!first && now.held) first = cluster_.now();
    g.checks.push_back(grade_check(checks[i], now, first, step_started_));
  }
  return g;
}

StepGrade LabSession::grade() {
  observe(nullptr);
  StepGrade g = grade_current();
  if (!all_steps_done() && g.passed()) {
    step_passed_[step_] = true;
    begin_step(step_ + 1);
  }
  return g;
}

void LabSession::skip_step() {
  if (!all_steps_done()) begin_step(step_ + 1);
}

std::string LabSession::status() const {
  std::string out = fmt::format("Lab {}: {}\n", lab_.name, lab_.title);
  if (finished_) return out + "Finished: `lab reset` starts it again.\n";
  if (all_steps_done()) return out + "All steps are done: `lab finish` to close the lab.\n";
  const auto& s = lab_.steps[step_];
  out += fmt::format("Step {}/{}: {} (begun at {:.1f}s, now {:.1f}s)\n\n", step_ + 1, lab_.steps.size(), s.title, step_started_,
                     cluster_.now());
  out += indent(s.instructions, "  ");
  out += fmt::format("\n`lab grade` checks this step ({} check{}), `lab hint` helps.\n", s.checks.size(),
                     s.checks.size() == 1 ? "" : "s");
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
  for (bool p : step_passed_) done += p ? 1 : 0;
  out += fmt::format("Lab {} finished at {:.1f}s: {}/{} steps passed{}\n", lab_.name, cluster_.now(), done, lab_.steps.size(),
                     done == lab_.steps.size() ? ". Well done." : "");
  return out;
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
  return fmt::format("error: unknown lab command \"{}\" (expected status, hint, grade, finish, reset)\n", sub);
}

}  // namespace kvsim::sim::lab
