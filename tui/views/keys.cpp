// App's key bindings: the prompt (`:` command, `/` filter, y/n confirm),
// overlays (describe, YAML, owner tree, help, output, lab) and the views.
// What each key does is listed for `?` in render/help.cpp.
#include <ncurses.h>

#include "sim/commands/command_input.hpp"
#include "tui/app.hpp"

namespace kvsim::tui {

namespace {

constexpr int kEscape = 27;
constexpr int kPage = 10;
constexpr std::size_t kSideways = 20;  // columns per <- or -> in a panel
bool is_enter(int key) { return key == '\n' || key == '\r' || key == KEY_ENTER; }
bool is_backspace(int key) { return key == KEY_BACKSPACE || key == 127 || key == 8; }

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
  } else if (is_enter(key)) {
    submit_prompt();
  } else if (is_backspace(key)) {
    if (!ui_.input.empty()) ui_.input.pop_back();
    if (ui_.prompt == Prompt::Filter) ui_.filter = ui_.input;
  } else if (key >= 32 && key < 127 && ui_.input.size() < sim::commands::kMaxCommandLineBytes) {
    // Past the command language's cap a paste stops growing the line.
    ui_.input += static_cast<char>(key);
    if (ui_.prompt == Prompt::Filter) ui_.filter = ui_.input, ui_.selected = ui_.first = 0;
  }
}

void App::submit_prompt() {
  const Prompt was = ui_.prompt;
  ui_.prompt = Prompt::None;
  if (was == Prompt::Guest && !ui_.input.empty()) {
    // One line for the guest's shell, quoted whole for the command language.
    const char quote = ui_.input.find('\'') == std::string::npos ? '\'' : '"';
    run_command("console " + ui_.guest_vm + (ui_.guest_ns.empty() ? "" : " -n " + ui_.guest_ns) + " --exec " + quote +
                ui_.input + quote);
  }
  if (was == Prompt::Command && !ui_.input.empty()) {
    if (ui_.input == "q" || ui_.input == "quit") ui_.quit = true;
    else run_command(ui_.input);
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
      ui_.prompt = Prompt::Command, ui_.input.clear();
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
    case ':': ui_.prompt = Prompt::Command, ui_.input.clear(); return;
    case '/': ui_.prompt = Prompt::Filter, ui_.input = ui_.filter; return;
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
        ui_.input.clear();
        ui_.guest_vm = vm.empty() ? t->name : vm;
        ui_.guest_ns = t->ns;
      }
      return;
    default: return;
  }
}

}  // namespace kvsim::tui
