#pragma once
// The terminal UI's one loop: step the simulation (Cluster::run_until in
// slices paced to wall time x speed) -> update the history -> draw -> read a
// key with a short timeout -> act. Keys are bound in views/keys.cpp, the
// screen is laid out in views/layout.cpp; both are members of App.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "models/kind_info.hpp"
#include "sim/cluster/cluster.hpp"
#include "sim/commands/command_history.hpp"
#include "sim/commands/executor.hpp"
#include "tui/render/help.hpp"
#include "tui/render/history.hpp"
#include "tui/render/lab_panel.hpp"
#include "tui/render/table.hpp"
#include "tui/views/line_editor.hpp"
#include "tui/views/pacing.hpp"
#include "tui/views/screen.hpp"
#include "tui/views/screen_plan.hpp"

namespace kvsim::sim::lab {
class LabSession;
struct Lab;
}  // namespace kvsim::sim::lab
namespace kvsim::sim::apiserver {
class Endpoint;
}  // namespace kvsim::sim::apiserver
namespace kvsim::sim::cli {
struct ServeFlags;
}  // namespace kvsim::sim::cli

namespace kvsim::tui {

enum class Overlay { None, Describe, Yaml, Tree, Help, Output, Lab };
enum class Prompt { None, Command, Filter, Confirm, Guest };
enum class Lower { Reconcile, Timeline };

// The object an overlay or an action is about.
struct Target {
  const models::KindInfo* kind = nullptr;
  std::string ns, name, uid;
};

struct UiState {
  render::ViewKind view = render::ViewKind::Table;
  const models::KindInfo* kind = nullptr;  // the table's kind
  std::string ns = "default";              // empty: all namespaces
  std::string filter;
  std::size_t selected = 0, first = 0;
  std::size_t drawn_selected = SIZE_MAX;  // `selected` at the last draw: unmoved -> follow the object
  std::optional<Target> cursor;  // the object under the cursor, after the last draw
  Overlay overlay = Overlay::None;
  Target overlay_target;
  std::string overlay_text;  // Output: the last command's output
  std::size_t overlay_scroll = 0;
  std::size_t overlay_hscroll = 0;  // columns scrolled sideways (describe, YAML, output)
  bool overlay_wrap = false;        // Output holds a message: wrapped at the panel's width, not scrolled sideways
  Prompt prompt = Prompt::None;
  views::LineEditor input;
  std::vector<std::string> completions;  // Tab's candidates when it could not choose, shown above the prompt
  std::string confirm_command;
  std::string guest_vm, guest_ns;  // Guest: whose serial console runs the typed line
  Lower lower = Lower::Timeline;
  bool chain_only = true;
  std::size_t timeline_back = 0, map_first = 0;
  bool lab_open = true;  // the lab panel: shown beside the view (wide), or opened over it (small)
  std::string message;
  bool message_is_error = false;
  bool quit = false;
};

class App {
 public:
  App(sim::cluster::Cluster& cluster, std::string scenario);
  ~App();
  int run();  // returns the exit status
  // The lab panel, refreshed from the attached session every frame; nullopt hides it.
  std::optional<render::LabPanel> lab;
  // A lab in progress: its panel opens at once, `:lab status|hint|grade|finish|reset`
  // go to it, and `lab reset` quits the loop (reset_requested() tells the caller).
  void attach_lab(sim::lab::LabSession& session);
  // --serve: the API answers between frames; the status line says how to reach it.
  void attach_endpoint(sim::apiserver::Endpoint& endpoint);

 private:
  // The loop's steps.
  void step_time(double wall_seconds);
  void step_to_next_event();
  void refresh_lab();
  void handle_key(int key);      // views/keys.cpp
  void draw();                   // views/layout.cpp
  void handle_prompt_key(int key);
  void handle_overlay_key(int key);
  void handle_view_key(int key);
  void submit_prompt();
  void complete_prompt();
  void run_command(const std::string& line);
  bool switch_view(const std::string& word);
  void cycle_namespace();
  std::string vm_of(const Target& t) const;
  std::string node_of(const Target& t) const;
  void draw_table(int top, int height, int width);
  void draw_lower(int top, int height, int width);
  void draw_overlay(int top, int height, int width);
  void draw_bottom_line(int y, int width);
  void draw_lab_beside(const views::Area& area);
  void announce_checks(const render::LabPanel& before, const render::LabPanel& now);
  void open_overlay(Overlay overlay);
  render::Lines overlay_lines(int width);

  sim::cluster::Cluster& cluster_;
  sim::commands::Executor exec_;
  sim::lab::LabSession* session_ = nullptr;
  sim::apiserver::Endpoint* endpoint_ = nullptr;
  std::string scenario_;
  views::Screen screen_;
  views::Pacer pacer_;
  render::History history_;
  sim::commands::CommandHistory typed_;  // the `:` prompt's lines, in the file the shell shares
  render::TableRows rows_;
  std::uint64_t store_version_ = 0;
  bool lab_visible_ = false;  // the lab panel was on screen at the last draw
  bool lab_was_beside_ = false;  // the screen held the lab beside the view at the last draw
  std::string drawn_message_;  // the message at the last draw: a new one too long for its line opens a panel
  int listener_ = 0;
  UiState ui_;
};

// `kvsim tui SCENARIO`: builds the scenario's cluster and runs the UI on it.
int run_tui(const std::string& scenario_name, const sim::cli::ServeFlags& serve);
// `kvsim lab start NAME` on a terminal: the lab's cluster with the lab panel.
// `reset` is set when the trainee asked for `lab reset` (the caller restarts kvsim).
int run_lab_tui(sim::lab::Lab lab, bool& reset, const sim::cli::ServeFlags& serve);

}  // namespace kvsim::tui
