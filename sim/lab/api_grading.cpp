#include "sim/lab/api_grading.hpp"

#include "sim/apiserver/kubeconfig_file.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "models/codec/decoder.hpp"
#include "sim/client/json_fields.hpp"

namespace kvsim::sim::lab {
namespace {

using models::Json;

std::string indent(const std::string& text) {
  std::string out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out += line.empty() ? "\n" : "  " + line + "\n";
  return out;
}

// FNV-1a, 64 bits: a stable name for a cluster identity (not a secret's hash worth protecting:
// the record holds no credentials, only which cluster it was about).
std::string digest(const std::string& text) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
  return fmt::format("{:016x}", h);
}

Json baseline_json(const Baseline& b) {
  Json uids = Json::array();
  for (const auto& u : b.uids) uids.push_back(u);
  Json j = {{"uid", b.uid}, {"value", b.value}, {"uids", uids}};
  if (b.from) j["from"] = baseline_json(*b.from);
  return j;
}

Baseline baseline_of(const Json& j) {
  Baseline b;
  b.uid = client::json_string(j, "uid");
  b.value = client::json_string(j, "value");
  for (const auto& u : client::json_array(j, "uids"))
    if (u.is_string()) b.uids.insert(u.get<std::string>());
  if (j.contains("from") && j["from"].is_object()) b.from = std::make_shared<const Baseline>(baseline_of(j["from"]));
  return b;
}

void begin_step(const Lab& lab, ApiProgress& progress, const scenario::ObjectSource& objects) {
  progress.baselines.clear();
  if (progress.step < lab.steps.size())
    for (const auto& c : lab.steps[progress.step].checks) progress.baselines.push_back(take_baseline(c, objects));
}

std::string skipped_text(const ApiProgress& p) {
  if (p.skipped.empty()) return "";
  std::vector<std::size_t> shown;
  for (auto s : p.skipped) shown.push_back(s + 1);
  return fmt::format(" ({} skipped: step{} {})", shown.size(), shown.size() == 1 ? "" : "s", fmt::join(shown, ", "));
}

}  // namespace

std::string progress_path(const std::string& lab, const std::string& server, const std::string& credentials) {
  std::string dir;
  if (const char* state = std::getenv("XDG_STATE_HOME"); state && *state) dir = state;
  else if (const char* home = std::getenv("HOME"); home && *home) dir = std::string(home) + "/.local/state";
  else dir = "/tmp";
  return fmt::format("{}/kvsim/lab-check/{}-{}.json", dir, lab, digest(server + "\n" + credentials));
}

std::optional<ApiProgress> read_progress(const std::string& path, std::string& error) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::stringstream s;
  s << in.rdbuf();
  const auto j = Json::parse(s.str(), nullptr, false);
  if (!j.is_object() || !j.contains("step") || !j["step"].is_number_unsigned()) {
    error = fmt::format("{}: not a lab progress record (remove it, or use --restart)", path);
    return std::nullopt;
  }
  ApiProgress p;
  p.lab = client::json_string(j, "lab");
  p.server = client::json_string(j, "server");
  p.step = j["step"].get<std::size_t>();
  for (const auto& b : client::json_array(j, "baselines")) p.baselines.push_back(baseline_of(b));
  for (const auto& step : client::json_array(j, "skipped"))
    if (step.is_number_unsigned()) p.skipped.push_back(step.get<std::size_t>());
  return p;
}

bool write_progress(const std::string& path, const ApiProgress& p, std::string& error) {
  Json baselines = Json::array();
  for (const auto& b : p.baselines) baselines.push_back(baseline_json(b));
  const Json j = {{"lab", p.lab}, {"server", p.server}, {"step", p.step}, {"baselines", baselines}, {"skipped", p.skipped}};
  // Written aside, synced, then renamed: a crash or a full disk never leaves half a record.
  if (const auto why = apiserver::write_file_atomically(path, j.dump(2) + "\n"); !why.empty()) {
    error = "cannot write the lab progress record: " + why;
    return false;
  }
  return true;
}

ApiGrade grade_through_api(const Lab& lab, ApiProgress& progress, const scenario::ObjectSource& objects) {
  ApiGrade g;
  g.grade.step = progress.step;
  std::string& out = g.text;
  out = fmt::format("Lab {}: {}\n", lab.name, lab.title);
  if (progress.step >= lab.steps.size()) {
    g.all_done = true;
    out += fmt::format("All {} steps are done{}. (--restart grades from step 1 again.)\n", lab.steps.size(), skipped_text(progress));
    return g;
  }
  const auto& step = lab.steps[progress.step];
  // The step begins now: what its checks compare with is the cluster as it is.
  if (progress.baselines.size() != step.checks.size()) begin_step(lab, progress, objects);
  bool timed = false;
  for (std::size_t i = 0; i < step.checks.size(); ++i) {
    Check c = step.checks[i];
    timed = timed || c.within.has_value();
    c.within.reset();  // no record of when it first held: graded on the state now
    const Baseline& base = progress.baselines[i];
    const Verdict now = evaluate(c, objects, base);
    const Verdict event = c.from ? evaluate(*c.from, objects, base.from ? *base.from : Baseline{}) : Verdict{true, {}};
    scenario::CheckTiming timing;
    if (event.held) timing.event_at = 0;
    if (event.held && now.held) timing.first_held = 0;
    CheckResult r = grade_check(c, now, event, timing);
    r.at = -1;
    g.grade.checks.push_back(std::move(r));
  }
  out += format_grade(lab, g.grade);
  if (timed) out += "(A check's deadline, `within`, is not timed through the API: it is graded on the state now.)\n";
  if (!g.grade.passed()) {
    out += fmt::format("\nStep {}/{}: {}\n\n{}", progress.step + 1, lab.steps.size(), step.title, indent(step.instructions));
    return g;
  }
  g.advanced = true;
  ++progress.step;
  // The next step begins now: its baselines are this state.
  begin_step(lab, progress, objects);
  if (progress.step >= lab.steps.size()) {
    out += progress.skipped.empty() ? fmt::format("\nEvery step of lab {} passed. Well done.\n", lab.name)
                                    : fmt::format("\nEvery step of lab {} is done{}.\n", lab.name, skipped_text(progress));
    return g;
  }
  const auto& next = lab.steps[progress.step];
  out += fmt::format("\nNext: Step {}/{}: {}\n\n{}\nRun `kvsim lab check {}` again when it is done.\n", progress.step + 1,
                     lab.steps.size(), next.title, indent(next.instructions), lab.name);
  return g;
}

std::string skip_through_api(const Lab& lab, ApiProgress& progress, const scenario::ObjectSource& objects) {
  std::string out = fmt::format("Lab {}: {}\n", lab.name, lab.title);
  if (progress.step >= lab.steps.size()) return out + "No step is left to skip. (--restart grades from step 1 again.)\n";
  out += fmt::format("Step {}/{} skipped: it is graded as skipped, not passed.\n", progress.step + 1, lab.steps.size());
  progress.skipped.push_back(progress.step);
  ++progress.step;
  begin_step(lab, progress, objects);
  if (progress.step >= lab.steps.size()) return out + fmt::format("\nEvery step of lab {} is done{}.\n", lab.name, skipped_text(progress));
  const auto& next = lab.steps[progress.step];
  return out + fmt::format("\nNext: Step {}/{}: {}\n\n{}", progress.step + 1, lab.steps.size(), next.title, indent(next.instructions));
}

std::string retry_through_api(const Lab& lab, ApiProgress& progress, const scenario::ObjectSource& objects) {
  std::string out = fmt::format("Lab {}: {}\n", lab.name, lab.title);
  if (progress.step >= lab.steps.size()) return out + "No step is left to retry. (--restart grades from step 1 again.)\n";
  begin_step(lab, progress, objects);
  const auto& step = lab.steps[progress.step];
  return out + fmt::format("Step {}/{} begins again: its checks compare with the cluster as it is now.\n\nStep {}/{}: {}\n\n{}",
                           progress.step + 1, lab.steps.size(), progress.step + 1, lab.steps.size(), step.title,
                           indent(step.instructions));
}

}  // namespace kvsim::sim::lab
