#pragma once
// A lab in progress on a cluster: which step the trainee is on, its
// instructions and hints, grading of its checks (watched on every change so
// that `within` deadlines are judged at the sim time a check first held),
// finish. The shell and the TUI drive it; headless runs solve it.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/cluster/cluster.hpp"
#include "sim/lab/lab.hpp"
#include "sim/scenario/count_tracker.hpp"

namespace kvsim::sim::lab {

struct StepGrade {
  std::size_t step = 0;  // 0-based
  std::vector<CheckResult> checks;
  bool passed() const;
};

class LabSession {
 public:
  // Creates the setup's objects on `cluster` (built from lab.setup.cluster) and
  // runs the warmup; step 1 begins then. Setup errors are in setup_errors().
  LabSession(Lab lab, cluster::Cluster& cluster);
  ~LabSession();
  LabSession(const LabSession&) = delete;
  LabSession& operator=(const LabSession&) = delete;

  const Lab& lab() const { return lab_; }
  const std::vector<std::string>& setup_errors() const { return setup_errors_; }
  std::size_t step_index() const { return step_; }  // == steps.size() once all are done
  bool all_steps_done() const { return step_ >= lab_.steps.size(); }
  bool finished() const { return finished_; }
  const Step* current_step() const { return all_steps_done() ? nullptr : &lab_.steps[step_]; }
  double step_started_at() const { return step_started_; }

  // What to do now: the lab, the step, its instructions (the `lab status` text).
  std::string status() const;
  // The next hint of the current step, one per call, then the last again.
  std::string hint();
  // Grades the current step now; when every check passes the next step begins.
  StepGrade grade();
  // Grades the current step without moving on (headless runs).
  StepGrade grade_current() const;
  // Begins the next step without grading (headless --grade-only).
  void skip_step();
  // Ends the lab: grades the current step if any is left, and summarises.
  std::string finish();

  // `lab status|hint|grade|finish|reset` typed in the shell; nullopt for other lines.
  // `reset` cannot rebuild the cluster in this process (one SimGrid engine per
  // process): it answers with reset_requested() set, and the front end restarts the lab.
  std::optional<std::string> handle(const std::string& line);
  bool reset_requested() const { return reset_requested_; }

 private:
  void begin_step(std::size_t index);
  void observe(const api::WatchEvent* change);  // records when each check of the step first holds

  Lab lab_;
  cluster::Cluster& cluster_;
  std::vector<std::string> setup_errors_;
  std::size_t step_ = 0;
  double step_started_ = 0;
  std::vector<Baseline> baselines_;
  std::vector<std::optional<double>> first_held_;
  // The step's count checks, kept from the store's changes (by check index): judging one on
  // every change costs O(change), not a read of every object of its kind.
  std::map<std::size_t, scenario::CountTracker> counts_;
  std::size_t next_hint_ = 0;
  std::vector<bool> step_passed_;
  bool finished_ = false;
  bool reset_requested_ = false;
  int listener_ = 0;
};

// One grade as the trainee reads it: "  PASS  name" / "  FAIL  name: why".
std::string format_grade(const Lab& lab, const StepGrade& grade);

}  // namespace kvsim::sim::lab
