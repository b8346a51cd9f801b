#pragma once
// `kvsim lab check LAB`: a lab's current step graded through any Kubernetes
// API (kvsim's endpoint or a real cluster), with the same checks the sandbox
// grades (sim/scenario/check.hpp), read through an ObjectSource.
//
// Which step is current: the one a progress record says. It starts at step
// 1; each check of the current step that passes moves it on, and the next
// step's baselines (the UIDs and values its `new:`/`changed:` checks compare
// with) are taken at that moment, as the sandbox's `lab grade` does. The
// record is a small JSON file per lab and per cluster identity (server and
// credentials), so another cluster, or another `kvsim serve` run (a new
// token), starts again at step 1; --restart does so by hand.
//
// Through the API there is no record of when a check first held: a check
// with a deadline (`within`) is graded on the cluster's state now, once the
// event it counts from (`from`) can be seen to have happened.
#include <optional>
#include <string>
#include <vector>

#include "sim/lab/lab.hpp"
#include "sim/lab/session.hpp"

namespace kvsim::sim::lab {

struct ApiProgress {
  std::string lab;     // its name
  std::string server;  // for the record's reader: which cluster it is about
  std::size_t step = 0;
  std::vector<Baseline> baselines;  // of the current step's checks; empty: take them now
  std::vector<std::size_t> skipped;  // 0-based steps the trainee skipped (graded as skipped, not passed)
};

// The record's place: $XDG_STATE_HOME/kvsim/lab-check/ (else ~/.local/state/...),
// named from the lab and a digest of the cluster identity.
std::string progress_path(const std::string& lab, const std::string& server, const std::string& credentials);
std::optional<ApiProgress> read_progress(const std::string& path, std::string& error);  // nullopt, no error: none yet
bool write_progress(const std::string& path, const ApiProgress& progress, std::string& error);

struct ApiGrade {
  StepGrade grade;
  bool all_done = false;  // every step had passed before
  bool advanced = false;  // this grade passed its step: the record moved on
  std::string text;       // what `lab check` prints
};

// Grades the current step of `progress` against `objects`, moving it on when it passes.
ApiGrade grade_through_api(const Lab& lab, ApiProgress& progress, const scenario::ObjectSource& objects);
// `lab check --skip`: the current step is recorded skipped and the next begins now.
// `lab check --retry-step`: the current step begins again now (its baselines retaken).
// Both return what `lab check` prints.
std::string skip_through_api(const Lab& lab, ApiProgress& progress, const scenario::ObjectSource& objects);
std::string retry_through_api(const Lab& lab, ApiProgress& progress, const scenario::ObjectSource& objects);

}  // namespace kvsim::sim::lab
