#include "tui/app.hpp"

#include <fmt/format.h>

#include <chrono>
#include <iostream>
#include <ncurses.h>

#include "models/kubevirt.hpp"
#include "models/pod.hpp"
#include "models/registry.hpp"
#include "sim/apiserver/endpoint.hpp"
#include "sim/cli/serve_command.hpp"
#include "sim/lab/session.hpp"
#include "sim/scenario/scenario.hpp"
#include "tui/views/prompt.hpp"

namespace kvsim::tui {

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kKeyTimeoutMs = 30;           // the longest the loop waits for a key
constexpr double kMaxSpeedBudget = 0.040;   // wall seconds of stepping per frame at "max"
constexpr double kStepSlice = 0.1;          // `.` advances in slices this long (sim seconds)
constexpr double kStepLimit = 600;          // ... for at most this much sim time
constexpr int kKeysPerFrame = 64;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace

App::App(sim::cluster::Cluster& cluster, std::string scenario)
    : cluster_(cluster), exec_(cluster), scenario_(std::move(scenario)), typed_(sim::commands::default_history_path()) {
  ui_.kind = models::find_kind("vmis");
  if (auto notice = typed_.take_notice(); !notice.empty()) ui_.message = notice, ui_.message_is_error = true;
  // Every write bumps the version the table cache keys on, and feeds the owner history.
  listener_ = cluster_.store().add_change_listener([this](const sim::api::WatchEvent& e) {
    ++store_version_;
    if (e.object) history_.observe(*e.object);
  });
  for (const auto* kind : models::all_kinds())
    if (kind->not_modelled.empty())
      for (const auto& o : cluster_.store().list(*kind)) history_.observe(*o);
}

App::~App() { cluster_.store().remove_change_listener(listener_); }

int App::run() {
  auto last = Clock::now();
  while (!ui_.quit && !views::interrupted()) {
    const auto now = Clock::now();
    step_time(std::chrono::duration<double>(now - last).count());
    last = now;
    if (endpoint_) endpoint_->serve();
    history_.catch_up(cluster_.trace().records());
    refresh_lab();
    draw();
    // Typed text is taken in a batch; any other key is followed by a draw, so that
    // the next key acts on what the screen shows (the cursor of a new view).
    // A key is read only when it will be handled: the 65th key of a pasted line waits in
    // the terminal's buffer for the next frame (it was read, then dropped).
    int key = screen_.read_key(kKeyTimeoutMs);
    for (int n = 1; key != ERR && !ui_.quit; ++n) {
      handle_key(key);
      if (ui_.prompt != Prompt::Command && ui_.prompt != Prompt::Filter && ui_.prompt != Prompt::Guest) break;
      if (n >= kKeysPerFrame || ui_.quit) break;
      key = screen_.read_key(0);
    }
  }
  return 0;
}

void App::step_time(double wall_seconds) {
  if (pacer_.paused()) return;
  if (pacer_.is_max()) {
    const auto start = Clock::now();
    while (seconds_since(start) < kMaxSpeedBudget) cluster_.run_until(cluster_.now() + 1.0);
    return;
  }
  const double delta = pacer_.sim_delta(wall_seconds);
  if (delta > 0) cluster_.run_until(cluster_.now() + delta);
}

void App::step_to_next_event() {
  pacer_.pause();
  const auto& records = cluster_.trace().records();
  const std::size_t before = records.size();
  const double start = cluster_.now();
  const auto wall = Clock::now();
  while (records.size() == before && cluster_.now() - start < kStepLimit && seconds_since(wall) < 2.0)
    cluster_.run_until(cluster_.now() + kStepSlice);
  ui_.message = records.size() == before ? "no event within " + std::to_string(static_cast<int>(kStepLimit)) + "s"
                                         : "stepped to the next event (paused)";
  ui_.message_is_error = false;
}

bool App::switch_view(const std::string& word) {
  if (word == "map") return ui_.view = render::ViewKind::Map, ui_.overlay = Overlay::None, true;
  if (word == "timeline") return ui_.view = render::ViewKind::Timeline, ui_.overlay = Overlay::None, true;
  if (word == "lab") {
    if (!lab) return ui_.message = "no lab loaded", ui_.message_is_error = true, true;
    return open_overlay(Overlay::Lab), ui_.lab_open = true, true;
  }
  const models::KindInfo* kind = word == "migrations" ? models::find_kind("vmims") : models::find_kind(word);
  if (!kind || !kind->not_modelled.empty()) return false;
  ui_.view = render::ViewKind::Table;
  ui_.overlay = Overlay::None;
  if (kind != ui_.kind) ui_.selected = ui_.first = 0, ui_.cursor.reset();
  ui_.kind = kind;
  return true;
}

void App::attach_lab(sim::lab::LabSession& session) {
  session_ = &session;
  scenario_ = "lab " + session.lab().name;
  refresh_lab();
  // The lab opens on the view its first step needs (lab.yaml's view, checked when it loaded),
  // with the lab panel beside it, or over it on a small screen.
  switch_view(session.lab().view);
  open_overlay(Overlay::Lab);
  ui_.lab_open = true;
}

void App::attach_endpoint(sim::apiserver::Endpoint& endpoint) {
  endpoint_ = &endpoint;
  ui_.message = "kubectl: " + endpoint.export_line();
  ui_.message_is_error = false;
}

void App::refresh_lab() {
  if (!session_) return;
  const auto& l = session_->lab();
  render::LabPanel panel;
  panel.title = l.title;
  panel.steps = l.steps.size();
  panel.completed = session_->all_steps_done();
  panel.step = std::min(session_->step_index(), l.steps.size() - 1) + 1;
  const auto& step = l.steps[panel.step - 1];
  panel.step_title = step.title;
  panel.instructions = step.instructions;
  panel.hints = step.hints;
  // Hints revealed stay revealed while the step lasts.
  if (lab && lab->step == panel.step) panel.hints_revealed = lab->hints_revealed;
  if (!panel.completed)
    for (const auto& c : session_->grade_current().checks) panel.checks.push_back({c.name, c.passed, c.message});
  panel.clock_note = render::kLabClockNote;
  if (lab && !lab_visible_) announce_checks(*lab, panel);
  lab = std::move(panel);
}

// With the lab panel out of sight, a check turning [x] is said on the message line.
void App::announce_checks(const render::LabPanel& before, const render::LabPanel& now) {
  if (before.step != now.step || before.completed || before.checks.size() != now.checks.size()) return;
  std::size_t passing = 0;
  std::string turned;
  for (std::size_t i = 0; i < now.checks.size(); ++i) {
    passing += now.checks[i].passed ? 1 : 0;
    if (now.checks[i].passed && !before.checks[i].passed) turned = now.checks[i].name;
  }
  if (turned.empty()) return;
  const bool all = passing == now.checks.size();
  ui_.message = all ? fmt::format("[x] {}: every check of step {} passes, `:lab grade` moves on", turned, now.step)
                    : fmt::format("[x] {} (step {}: {}/{} checks pass; l shows the lab)", turned, now.step, passing, now.checks.size());
  // Said on one line: without the check's name when it would not fit.
  if (render::display_width(ui_.message) > static_cast<std::size_t>(screen_.width()))
    ui_.message = all ? fmt::format("[x] every check of step {} passes, `:lab grade` moves on", now.step)
                      : fmt::format("[x] step {}: {}/{} checks pass; l shows the lab", now.step, passing, now.checks.size());
  ui_.message_is_error = false;
}

void App::run_command(const std::string& line) {
  const auto trimmed = line.substr(0, line.find_last_not_of(' ') + 1);
  if (session_ && trimmed.starts_with("lab ")) {
    if (auto answer = session_->handle(trimmed)) {
      open_overlay(Overlay::Output);
      ui_.overlay_text = *answer;
      ui_.message = first_line(*answer), ui_.message_is_error = false;
      drawn_message_ = ui_.message;  // shown whole in the panel: a wide first line must not replace it
      if (session_->reset_requested()) ui_.quit = true;
      return;
    }
  }
  if (trimmed.find(' ') == std::string::npos && switch_view(trimmed)) return;
  auto out = exec_.run(views::in_namespace(line, ui_.ns));
  if (exec_.console_attached()) {
    // An interactive console would take every later line (the overlays' describes
    // too): the UI runs one guest command at a time instead.
    exec_.run("~.");
    out = {{}, "the TUI runs one guest command at a time: console VM --exec CMD (key c)"};
  }
  ui_.message_is_error = !out.ok();
  ui_.message = out.ok() ? first_line(out.output) : out.error;
  if (out.ok() && out.output.find('\n') + 1 < out.output.size()) {
    open_overlay(Overlay::Output);
    ui_.overlay_text = out.output;
    // The message is the output's first line, in the panel with the rest: a table header wider
    // than the screen (get templates) must not replace the panel with itself.
    drawn_message_ = ui_.message;
  }
}

void App::open_overlay(Overlay overlay) {
  ui_.overlay = overlay;
  ui_.overlay_scroll = ui_.overlay_hscroll = 0;
  ui_.overlay_wrap = false;
}

void App::cycle_namespace() {
  const auto namespaces = cluster_.store().list(models::Namespace::kind_info());
  if (namespaces.empty()) return;
  if (ui_.ns.empty()) {
    ui_.ns = namespaces.front()->metadata.name;
  } else {
    std::size_t i = 0;
    while (i < namespaces.size() && namespaces[i]->metadata.name != ui_.ns) ++i;
    ui_.ns = i + 1 < namespaces.size() ? namespaces[i + 1]->metadata.name : std::string();
  }
  ui_.selected = ui_.first = 0;
  ui_.cursor.reset();
}

std::string App::vm_of(const Target& t) const {
  auto o = cluster_.store().by_uid(t.uid);
  for (int depth = 0; o && depth < 8; ++depth) {
    if (o->info().kind == "VirtualMachine") return o->metadata.name;
    models::ObjectPtr up;
    for (const auto& ref : o->metadata.ownerReferences) up = cluster_.store().by_uid(ref.uid);
    o = up;
  }
  return "";
}

std::string App::node_of(const Target& t) const {
  auto o = cluster_.store().by_uid(t.uid);
  if (!o) return "";
  if (o->info().kind == "Node") return o->metadata.name;
  if (o->info().kind == "Pod") return static_cast<const models::Pod&>(*o).spec.nodeName;
  if (o->info().kind == "VirtualMachineInstance")
    return static_cast<const models::VirtualMachineInstance&>(*o).status.nodeName;
  return "";
}

int run_tui(const std::string& scenario_name, const sim::cli::ServeFlags& serve) {
  models::Problems problems;
  auto s = sim::scenario::load_scenario(sim::scenario::resolve_scenario_path(scenario_name), problems);
  if (!s) {
    std::cerr << models::join_lines(problems) << "\n";
    return 1;
  }
  try {
    sim::cluster::Cluster cluster(s->cluster);
    // The scenario's objects, not its timeline: in the UI the trainee acts.
    std::vector<std::string> errors = sim::scenario::apply_objects(*s, cluster);
    auto endpoint = sim::cli::open_endpoint(cluster, serve);
    if (endpoint) std::cerr << endpoint->banner();
    int status = 0;
    {
      App app(cluster, s->name);
      if (endpoint) app.attach_endpoint(*endpoint);
      status = app.run();
    }
    if (endpoint) std::cerr << endpoint->banner();
    endpoint.reset();
    for (const auto& e : errors) std::cerr << "error: " << e << "\n";
    cluster.shutdown();
    return status;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}

int run_lab_tui(sim::lab::Lab l, bool& reset, const sim::cli::ServeFlags& serve) {
  try {
    sim::cluster::Cluster cluster(l.setup.cluster);
    int status = 0;
    std::vector<std::string> errors;
    {
      sim::lab::LabSession session(std::move(l), cluster);
      session.set_clock_note(std::string("(") + render::kLabClockNote + " No deadline counts from a step's start.)");
      errors = session.setup_errors();
      auto endpoint = sim::cli::open_endpoint(cluster, serve);
      if (endpoint) std::cerr << endpoint->banner();
      App app(cluster, session.lab().name);
      app.attach_lab(session);
      if (endpoint) app.attach_endpoint(*endpoint);
      status = app.run();
      reset = session.reset_requested();
      if (endpoint) std::cerr << endpoint->banner();
    }
    for (const auto& e : errors) std::cerr << "error: " << e << "\n";
    if (!reset) cluster.shutdown();
    return status;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace kvsim::tui
