#include "sim/lab/lab.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "models/codec/input_file.hpp"
#include "models/codec/safe_yaml.hpp"
#include "models/registry.hpp"
#include "sim/build_paths.hpp"

namespace kvsim::sim::lab {
namespace {

namespace fs = std::filesystem;

// $LAB_DIR in instructions, hints and solutions is the lab's folder, so that
// `apply -f $LAB_DIR/pod.yaml` works from anywhere.
std::string expand(std::string text, const std::string& dir) {
  const std::string key = "$LAB_DIR";
  for (auto at = text.find(key); at != std::string::npos; at = text.find(key, at + dir.size())) text.replace(at, key.size(), dir);
  return text;
}

std::string strip_trailing_newlines(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}


Step read_step(const YAML::Node& n, const std::string& path, const std::string& dir, models::DecodeContext& ctx) {
  Step s;
  if (!scenario::refuse_unknown_keys(n, path, {"title", "instructions", "hints", "checks", "solution"}, ctx)) return s;
  if (n["title"]) models::decode_value(n["title"], path + ".title", ctx, s.title);
  else ctx.fail(models::location_of(n), path + ".title", "Required value");
  if (n["instructions"]) models::decode_value(n["instructions"], path + ".instructions", ctx, s.instructions);
  else ctx.fail(models::location_of(n), path + ".instructions", "Required value: what the trainee does");
  if (n["hints"]) models::decode_value(n["hints"], path + ".hints", ctx, s.hints);
  if (n["solution"]) models::decode_value(n["solution"], path + ".solution", ctx, s.solution);
  else ctx.fail(models::location_of(n), path + ".solution", "Required value: the commands that solve the step");
  const auto checks = n["checks"];
  if (!checks || !checks.IsSequence() || checks.size() == 0)
    ctx.fail(models::location_of(checks ? checks : n), path + ".checks", "Required value: at least one check");
  else
    for (std::size_t i = 0; i < checks.size(); ++i) {
      const auto at = fmt::format("{}.checks[{}]", path, i);
      s.checks.push_back(scenario::read_check(checks[i], at, ctx));
      // One clock model for every lab: a deadline counts from the trainee's action
      // (an event the check names), never from the step's start, so that reading
      // the step first, with the TUI's clock running, cannot fail it.
      if (checks[i].IsMap() && checks[i]["within"] && !checks[i]["from"])
        ctx.fail(models::location_of(checks[i]["within"]), at + ".within",
                 "within needs from, the event that starts its clock (e.g. from: {name: your delete of VMI vm1, "
                 "object: vmi/vm1, deleted: true}): a lab's deadline never counts from the step's start");
    }
  s.instructions = strip_trailing_newlines(expand(s.instructions, dir));
  for (auto& h : s.hints) h = strip_trailing_newlines(expand(h, dir));
  for (auto& c : s.solution) c = expand(c, dir);
  return s;
}

void read_setup(const YAML::Node& n, const std::string& file, const std::string& dir, Lab& lab, models::Problems& problems,
                models::DecodeContext& ctx) {
  if (!n) {
    ctx.fail({}, "setup", "Required value: a scenario name (scenarios/NAME.yaml), a path beside lab.yaml, or an inline scenario");
    return;
  }
  std::optional<scenario::Scenario> s;
  if (n.IsScalar()) {
    const std::string beside = (fs::path(dir) / n.Scalar()).string();
    const std::string path = fs::exists(beside) ? beside : scenario::resolve_scenario_path(n.Scalar());
    s = scenario::load_scenario(path, problems);
  } else {
    s = scenario::read_scenario(n, file, problems);
    // Problems inside the inline scenario are reported under setup.
    for (auto& p : problems) p.path = p.path.empty() ? "setup" : "setup." + p.path;
  }
  if (s) lab.setup = std::move(*s);
}

}  // namespace

std::optional<Lab> load_lab(const std::string& lab_yaml, models::Problems& problems) {
  std::string error;
  const auto text = models::read_input_file(lab_yaml, models::InputLimits{}.max_bytes, error);
  if (!text) {
    problems.push_back({lab_yaml, {}, "", "cannot read the lab: " + error + " (labs live in labs/NN-topic/lab.yaml)"});
    return std::nullopt;
  }
  const auto root = models::parse_yaml_document(*text, lab_yaml, problems);
  if (!root) return std::nullopt;
  return read_lab(*root, lab_yaml, problems);
}

namespace {
std::optional<Lab> read_lab_fields(const YAML::Node& root, const std::string& lab_yaml, models::Problems& problems);
}  // namespace

std::optional<Lab> read_lab(const YAML::Node& root, const std::string& lab_yaml, models::Problems& problems) {
  try {
    return read_lab_fields(root, lab_yaml, problems);
  } catch (const YAML::Exception& e) {
    problems.push_back(models::unexpected_shape(e, lab_yaml));
    return std::nullopt;
  }
}

namespace {
std::optional<Lab> read_lab_fields(const YAML::Node& root, const std::string& lab_yaml, models::Problems& problems) {
  models::DecodeContext ctx;
  ctx.file = lab_yaml;
  Lab lab;
  lab.file = lab_yaml;
  lab.dir = fs::path(lab_yaml).parent_path().string();
  if (lab.dir.empty()) lab.dir = ".";
  lab.name = fs::path(lab.dir).filename().string();
  if (lab.name == "." || lab.name.empty()) lab.name = fs::absolute(lab.dir).lexically_normal().filename().string();
  if (!scenario::refuse_unknown_keys(root, "", {"title", "objectives", "setup", "warmup", "view", "steps"}, ctx)) {
    problems = ctx.problems;
    return std::nullopt;
  }
  if (root["title"]) models::decode_value(root["title"], "title", ctx, lab.title);
  else ctx.fail(models::location_of(root), "title", "Required value: one line, shown by `kvsim lab list`");
  if (root["objectives"]) models::decode_value(root["objectives"], "objectives", ctx, lab.objectives);
  if (root["warmup"]) lab.warmup = scenario::read_duration(root["warmup"], "warmup", ctx);
  if (root["view"]) {
    models::decode_value(root["view"], "view", ctx, lab.view);
    const auto* kind = models::find_kind(lab.view);
    if (lab.view != "map" && lab.view != "timeline" && (!kind || !kind->not_modelled.empty()))
      ctx.fail(models::location_of(root["view"]), "view",
               fmt::format("\"{}\" is not a view of the TUI (a kind as `get` names it, e.g. pods, vms, vmis; or map, timeline)",
                           lab.view));
  }
  models::Problems setup_problems;
  read_setup(root["setup"], lab_yaml, lab.dir, lab, setup_problems, ctx);
  for (auto& p : setup_problems) {
    if (p.file.empty()) p.file = lab_yaml;
    ctx.problems.push_back(p);
  }
  const auto steps = root["steps"];
  if (!steps || !steps.IsSequence() || steps.size() == 0)
    ctx.fail(models::location_of(steps ? steps : root), "steps", "Required value: at least one step");
  else
    for (std::size_t i = 0; i < steps.size(); ++i)
      lab.steps.push_back(read_step(steps[i], fmt::format("steps[{}]", i), lab.dir, ctx));
  if (!ctx.problems.empty()) {
    problems = ctx.problems;
    return std::nullopt;
  }
  return lab;
}
}  // namespace

std::string labs_dir() {
  if (fs::is_directory("labs")) return "labs";
  return std::string(build_paths::source_dir()) + "/labs";
}

std::string resolve_lab(const std::string& name_or_path, std::string& error) {
  if (fs::is_regular_file(name_or_path)) return name_or_path;
  if (fs::is_regular_file(fs::path(name_or_path) / "lab.yaml")) return (fs::path(name_or_path) / "lab.yaml").string();
  const std::string dir = labs_dir();
  std::vector<std::string> names;
  if (fs::is_directory(dir))
    for (const auto& entry : fs::directory_iterator(dir))
      if (fs::is_regular_file(entry.path() / "lab.yaml")) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  for (const auto& n : names)
    if (n == name_or_path || n.starts_with(name_or_path + "-")) return (fs::path(dir) / n / "lab.yaml").string();
  error = fmt::format("error: lab \"{}\" not found (kvsim lab list shows {})", name_or_path,
                      names.empty() ? std::string("none: no labs/ folder here") : fmt::format("{}", fmt::join(names, ", ")));
  return {};
}

std::vector<Lab> list_labs(models::Problems& problems) {
  std::vector<std::string> files;
  const std::string dir = labs_dir();
  if (fs::is_directory(dir))
    for (const auto& entry : fs::directory_iterator(dir))
      if (fs::is_regular_file(entry.path() / "lab.yaml")) files.push_back((entry.path() / "lab.yaml").string());
  std::sort(files.begin(), files.end());
  std::vector<Lab> labs;
  for (const auto& f : files)
    if (auto lab = load_lab(f, problems)) labs.push_back(std::move(*lab));
  return labs;
}

}  // namespace kvsim::sim::lab
