#pragma once
// A lab in progress on a cluster: which step the trainee is on, its
// instructions and hints, grading of its checks (watched on every change so
// that a `within` deadline is judged from the sim time its `from` event
// happened to the time the check first held), retry and skip, finish. The
// shell and the TUI drive it; headless runs solve it.
#include <optional>
#include <string>
#include <vector>

#include "sim/cluster/cluster.hpp"
#include "sim/lab/lab.hpp"

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
  // How time passes in the front end, said once under the step's title: the
  // steps say "wait 30s", and the shell and the TUI wait differently.
  void set_clock_note(std::string note) { clock_note_ = std::move(note); }
  // The next hint of the current step, one per call, then the last again.
  std::string hint();
  // Grades the current step now; when every check passes the next step begins.
  StepGrade grade();
  // Grades the current step without moving on (headless runs).
  StepGrade grade_current() const;
  // Begins the next step without grading; the step counts as skipped, not passed.
  void skip_step();
  // Begins the current step again: baselines from the cluster as it is now, and
  // every check's clock waits for its event again.
  void retry_step();
  // Ends the lab: grades the current step if any is left, and summarises.
  std::string finish();

  // `lab status|hint|grade|retry-step|skip|finish|reset` typed in the shell or
  // the TUI's `:` prompt; nullopt for other lines.
  // `reset` cannot rebuild the cluster in this process (one SimGrid engine per
  // process): it answers with reset_requested() set, and the front end restarts the lab.
  std::optional<std::string> handle(const std::string& line);
  // The words handle() takes after `lab`, for Tab completion.
  static const std::vector<std::string>& commands();
  bool reset_requested() const { return reset_requested_; }

 private:
  void begin_step(std::size_t index);
  void observe();  // records when each timed check's event happened and when it first held after it

  Lab lab_;
  cluster::Cluster& cluster_;
  std::vector<std::string> setup_errors_;
  std::size_t step_ = 0;
  double step_started_ = 0;
  std::vector<scenario::CheckClock> clocks_;  // one per check of the current step
  std::size_t next_hint_ = 0;
  enum class Outcome { open, passed, skipped };
  std::vector<Outcome> outcomes_;
  std::string clock_note_;
  bool finished_ = false;
  bool reset_requested_ = false;
  int listener_ = 0;
};

// One grade as the trainee reads it: "  PASS  name" / "  FAIL  name: why".
std::string format_grade(const Lab& lab, const StepGrade& grade);

}  // namespace kvsim::sim::lab
