// App's key bindings: the prompt (`:` command, `/` filter, y/n confirm),
// overlays (describe, YAML, owner tree, help, output, lab) and the views.
// What each key does is listed for `?` in render/help.cpp.
#include <ncurses.h>

#include "sim/commands/completion.hpp"
#include "sim/lab/session.hpp"
#include "tui/app.hpp"
#include "tui/views/prompt.hpp"

namespace kvsim::tui {

namespace {

constexpr int kEscape = 27;
constexpr int kPage = 10;
constexpr std::size_t kSideways = 20;  // columns per <- or -> in a panel
bool is_enter(int key) { return key == '\n' || key == '\r' || key == KEY_ENTER; }

std::string ns_flag(const Target& t) { return t.ns.empty() ? "" : " -n " + t.ns; }

}  // namespace

void App::handle_key(int key) {
  if (key == KEY_RESIZE) return;  // the next draw lays out for the new size
  if (ui_.prompt != Prompt::None) return handle_prompt_key(key);
  if (ui_.overlay != Overlay::None) return handle_overlay_key(key);
  handle_view_key(key);
}

void App::handle_prompt_key(int key) {
  if (ui_.prompt == Prompt::Confirm) {
    if (key == 'y' || key == 'Y') run_command(ui_.confirm_command);
    else ui_.message = "cancelled", ui_.message_is_error = false;
    ui_.prompt = Prompt::None;
    return;
  }
  if (key == kEscape) {
    if (ui_.prompt == Prompt::Filter) ui_.filter.clear();
    ui_.prompt = Prompt::None;
    ui_.completions.clear();
    return;
  }
  if (is_enter(key)) {
    ui_.completions.clear();
    return submit_prompt();
  }
  if (key == '\t') {
    if (ui_.prompt == Prompt::Command) complete_prompt();
    return;
  }
  ui_.completions.clear();
  // Only the command prompt recalls earlier lines: a filter or a guest's line has no history here.
  static const std::vector<std::string> kNoHistory;
  if (auto edit = views::line_key(key)) ui_.input.apply(*edit, ui_.prompt == Prompt::Command ? typed_.lines() : kNoHistory);
  else if (key >= 32 && key < 127) ui_.input.insert(std::string(1, static_cast<char>(key)));
  else return;
  if (ui_.prompt == Prompt::Filter) ui_.filter = ui_.input.text(), ui_.selected = ui_.first = 0;
}

// Tab at the `:` prompt: the shell's completion (sim/commands/completion.hpp), in the
// namespace the UI shows, with the UI's own first words (views, the lab's commands).
void App::complete_prompt() {
  sim::commands::CompletionContext context{cluster_.store(), ui_.ns};
  context.extra_verbs = {{"map", {}}, {"timeline", {}}, {"migrations", {}}};
  if (session_) context.extra_verbs["lab"] = sim::lab::LabSession::commands();
  const auto completion = sim::commands::complete(ui_.input.text(), ui_.input.cursor(), context);
  ui_.input.complete(completion);
  // Tab that chose nothing shows what it could not choose between.
  if (completion.insertion.empty()) ui_.completions = completion.candidates;
}

void App::submit_prompt() {
  const Prompt was = ui_.prompt;
  ui_.prompt = Prompt::None;
  const std::string line = ui_.input.text();
  if (was == Prompt::Guest && !line.empty()) {
    // One line for the guest's shell, quoted whole for the command language.
    const char quote = line.find('\'') == std::string::npos ? '\'' : '"';
    run_command("console " + ui_.guest_vm + (ui_.guest_ns.empty() ? "" : " -n " + ui_.guest_ns) + " --exec " + quote +
                line + quote);
  }
  if (was == Prompt::Command && !line.empty()) {
    typed_.add(line);
    if (line == "q" || line == "quit") ui_.quit = true;
    else run_command(line);
    // A history file that could not be written is said once, over the command's one-line result.
    if (auto notice = typed_.take_notice(); !notice.empty()) ui_.message = notice, ui_.message_is_error = true;
  }
}

void App::handle_overlay_key(int key) {
  switch (key) {
    case kEscape:
    case 'q':
      ui_.overlay = Overlay::None;
      return;
    case KEY_DOWN:
    case 'j': ++ui_.overlay_scroll; return;
    case KEY_UP:
    case 'k':
      if (ui_.overlay_scroll) --ui_.overlay_scroll;
      return;
    case KEY_NPAGE:
    case ' ': ui_.overlay_scroll += kPage; return;
    case KEY_PPAGE: ui_.overlay_scroll = ui_.overlay_scroll > kPage ? ui_.overlay_scroll - kPage : 0; return;
    case KEY_RIGHT: ui_.overlay_hscroll += kSideways; return;  // clamped to the widest line when drawn
    case KEY_LEFT: ui_.overlay_hscroll = ui_.overlay_hscroll > kSideways ? ui_.overlay_hscroll - kSideways : 0; return;
    case 'h':
      if (ui_.overlay == Overlay::Lab && lab && lab->hints_revealed < lab->hints.size()) ++lab->hints_revealed;
      return;
    case 'l':
      if (ui_.overlay == Overlay::Lab) ui_.overlay = Overlay::None;
      return;
    case ':':
      ui_.prompt = Prompt::Command, ui_.input.reset();
      return;
    default: return;
  }
}

void App::handle_view_key(int key) {
  const bool table = ui_.view == render::ViewKind::Table;
  const bool timeline = ui_.view == render::ViewKind::Timeline;
  auto need_cursor = [&]() -> const Target* {
    if (!table || !ui_.cursor) {
      ui_.message = "select an object in a table first", ui_.message_is_error = true;
      return nullptr;
    }
    return &*ui_.cursor;
  };
  auto on_vm = [&](const std::string& verb) {
    if (const auto* t = need_cursor()) {
      const auto vm = vm_of(*t);
      if (vm.empty()) ui_.message = t->name + " belongs to no VirtualMachine", ui_.message_is_error = true;
      else run_command(verb + " " + vm + ns_flag(*t));
    }
  };
  auto on_node = [&](const std::string& verb) {
    std::string node;
    if (ui_.view == render::ViewKind::Map) {
      const auto nodes = cluster_.store().list(models::Node::kind_info());
      if (ui_.map_first < nodes.size()) node = nodes[ui_.map_first]->metadata.name;
    } else if (const auto* t = need_cursor()) {
      node = node_of(*t);
      if (node.empty()) {
        ui_.message = t->name + " is on no node", ui_.message_is_error = true;
        return;
      }
    }
    if (!node.empty()) run_command("node " + verb + " " + node);
  };
  switch (key) {
    case 'q': ui_.quit = true; return;
    case ':': ui_.prompt = Prompt::Command, ui_.input.reset(); return;
    case '/': ui_.prompt = Prompt::Filter, ui_.input.reset(ui_.filter); return;
    case kEscape: ui_.filter.clear(); return;
    case '?': open_overlay(Overlay::Help); return;
    case ' ': pacer_.toggle_pause(); return;
    case '+':
    case '=': pacer_.faster(); return;
    case '-': pacer_.slower(); return;
    case '.': step_to_next_event(); return;
    case 'n': cycle_namespace(); return;
    case '\t': ui_.lower = ui_.lower == Lower::Timeline ? Lower::Reconcile : Lower::Timeline; return;
    case 't': ui_.chain_only = !ui_.chain_only; return;
    case 'l':
      // Beside the view it hides and shows; on a small screen it opens over the view.
      if (!lab) return;
      if (views::lab_fits_beside(screen_.width(), screen_.height())) ui_.lab_open = !ui_.lab_open;
      else open_overlay(Overlay::Lab);
      return;
    case 'h':
      if (lab && lab_visible_ && lab->hints_revealed < lab->hints.size()) ++lab->hints_revealed;
      return;
    case 'f': on_node("fail"); return;
    case 'R': on_node("recover"); return;
    default: break;
  }
  if (ui_.view == render::ViewKind::Map) {
    if (key == 'j' || key == KEY_DOWN) ++ui_.map_first;
    if ((key == 'k' || key == KEY_UP) && ui_.map_first) --ui_.map_first;
    return;
  }
  if (timeline) {
    if (key == KEY_UP || key == 'k') ++ui_.timeline_back;
    if ((key == KEY_DOWN || key == 'j') && ui_.timeline_back) --ui_.timeline_back;
    if (key == KEY_PPAGE) ui_.timeline_back += kPage;
    if (key == KEY_NPAGE) ui_.timeline_back = ui_.timeline_back > kPage ? ui_.timeline_back - kPage : 0;
    if (key == 'G') ui_.timeline_back = 0;
    return;
  }
  switch (key) {
    case KEY_DOWN:
    case 'j': ++ui_.selected; return;  // clamped to the rows when drawn
    case KEY_UP:
    case 'k':
      if (ui_.selected) --ui_.selected;
      return;
    case KEY_NPAGE: ui_.selected += kPage; return;
    case KEY_PPAGE: ui_.selected = ui_.selected > kPage ? ui_.selected - kPage : 0; return;
    case 'g': ui_.selected = 0; return;
    case 'G': ui_.selected = SIZE_MAX; return;
    case '\n':
    case '\r':
    case KEY_ENTER:
    case 'y':
    case 'x':
      if (const auto* t = need_cursor()) {
        open_overlay(key == 'y' ? Overlay::Yaml : key == 'x' ? Overlay::Tree : Overlay::Describe);
        ui_.overlay_target = *t;
      }
      return;
    case 'd':
      if (const auto* t = need_cursor()) {
        ui_.prompt = Prompt::Confirm;
        ui_.confirm_command = "delete " + std::string(t->kind->plural) + " " + t->name + ns_flag(*t);
      }
      return;
    case 's': on_vm("start"); return;
    case 'S': on_vm("stop"); return;
    case 'r': on_vm("restart"); return;
    case 'm': on_vm("migrate"); return;
    case 'c':
      if (const auto* t = need_cursor()) {
        const auto vm = vm_of(*t);
        ui_.prompt = Prompt::Guest;
        ui_.input.reset();
        ui_.guest_vm = vm.empty() ? t->name : vm;
        ui_.guest_ns = t->ns;
      }
      return;
    default: return;
  }
}

}  // namespace kvsim::tui
