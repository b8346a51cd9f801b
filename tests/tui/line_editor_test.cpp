// The TUI's prompt line: keys as ncurses delivers them -> the text and the cursor.
#include <catch2/catch.hpp>
#include <ncurses.h>

#include "sim/commands/command_input.hpp"
#include "tui/views/line_editor.hpp"
#include "tui/views/prompt.hpp"

using kvsim::tui::views::LineEditor;
using kvsim::tui::views::line_key;

namespace {

constexpr int ctrl(char c) { return c & 0x1f; }

// Types `keys` as the prompt takes them: an editing key edits, a printable one is inserted.
void press(LineEditor& e, std::initializer_list<int> keys, const std::vector<std::string>& history = {}) {
  for (int key : keys) {
    if (auto edit = line_key(key)) e.apply(*edit, history);
    else e.insert(std::string(1, static_cast<char>(key)));
  }
}
void type(LineEditor& e, const std::string& text) { e.insert(text); }

}  // namespace

TEST_CASE("the prompt's cursor moves with the arrows, Home, End, ^A, ^E, ^B and ^F, and typing goes in at it") {
  LineEditor e;
  type(e, "get vmi");
  CHECK(e.cursor() == 7);
  press(e, {KEY_LEFT, KEY_LEFT, KEY_LEFT, 's'});
  CHECK(e.text() == "get svmi");
  CHECK(e.cursor() == 5);
  press(e, {KEY_HOME, 'x'});
  CHECK(e.text() == "xget svmi");
  press(e, {KEY_END, '!'});
  CHECK(e.text() == "xget svmi!");
  press(e, {ctrl('A')});
  CHECK(e.cursor() == 0);
  press(e, {KEY_LEFT});  // nothing left of the start
  CHECK(e.cursor() == 0);
  press(e, {ctrl('F'), ctrl('F'), ctrl('B')});
  CHECK(e.cursor() == 1);
  press(e, {ctrl('E'), KEY_RIGHT});  // nothing right of the end
  CHECK(e.cursor() == e.text().size());
}

TEST_CASE("Backspace and Delete remove the character before and under the cursor, whichever code the terminal sends") {
  LineEditor e;
  type(e, "delete vmi");
  press(e, {KEY_BACKSPACE});
  CHECK(e.text() == "delete vm");
  press(e, {127, 8});  // ^? and ^H
  CHECK(e.text() == "delete ");
  press(e, {KEY_HOME, KEY_DC, ctrl('D')});
  CHECK(e.text() == "lete ");
  CHECK(e.cursor() == 0);
  press(e, {KEY_BACKSPACE});  // at the start: nothing
  CHECK(e.text() == "lete ");
}

TEST_CASE("^U kills the line before the cursor, ^W the word before it, ^K the rest") {
  LineEditor e;
  type(e, "get vmi vm1 -n default");
  press(e, {ctrl('W')});
  CHECK(e.text() == "get vmi vm1 -n ");
  press(e, {ctrl('W')});  // the blanks before the cursor go with the word
  CHECK(e.text() == "get vmi vm1 ");
  press(e, {KEY_LEFT, KEY_LEFT, KEY_LEFT, KEY_LEFT, ctrl('U')});
  CHECK(e.text() == "vm1 ");
  CHECK(e.cursor() == 0);
  press(e, {KEY_RIGHT, ctrl('K')});
  CHECK(e.text() == "v");
}

TEST_CASE("up recalls the lines typed before, newest first, and down comes back to the line being typed") {
  const std::vector<std::string> history{"get vms", "delete vmi vm1", "node fail worker-2"};
  LineEditor e;
  type(e, "desc");
  press(e, {KEY_UP}, history);
  CHECK(e.text() == "node fail worker-2");
  CHECK(e.cursor() == e.text().size());
  press(e, {KEY_UP, KEY_UP}, history);
  CHECK(e.text() == "get vms");
  press(e, {KEY_UP}, history);  // the oldest stays
  CHECK(e.text() == "get vms");
  press(e, {KEY_DOWN, ctrl('N')}, history);
  CHECK(e.text() == "node fail worker-2");
  press(e, {KEY_DOWN}, history);
  CHECK(e.text() == "desc");  // the draft, as it was
  press(e, {KEY_DOWN}, history);
  CHECK(e.text() == "desc");
  press(e, {ctrl('P'), KEY_LEFT, KEY_LEFT, ctrl('K'), '-', '3'}, history);
  CHECK(e.text() == "node fail worker-3");

  LineEditor empty_history;
  press(empty_history, {KEY_UP, KEY_DOWN});
  CHECK(empty_history.text().empty());
}

TEST_CASE("a reset prompt starts empty or with the text it is given, the cursor at the end, no history recalled") {
  const std::vector<std::string> history{"get vms"};
  LineEditor e;
  press(e, {KEY_UP}, history);
  e.reset("vm");
  CHECK(e.text() == "vm");
  CHECK(e.cursor() == 2);
  press(e, {KEY_DOWN}, history);  // nothing was recalled: down does nothing
  CHECK(e.text() == "vm");
}

TEST_CASE("a paste past the command language's cap stops growing the line") {
  LineEditor e;
  e.insert(std::string(kvsim::sim::commands::kMaxCommandLineBytes + 10, 'a'));
  CHECK(e.text().size() == kvsim::sim::commands::kMaxCommandLineBytes);
  e.insert("b");
  CHECK(e.text().size() == kvsim::sim::commands::kMaxCommandLineBytes);
}

TEST_CASE("a line wider than the prompt scrolls so that the cursor stays in sight") {
  LineEditor e;
  type(e, "get vmi");
  auto shown = e.shown(":", 20);
  CHECK(shown.text == ":get vmi");
  CHECK(shown.cursor_column == 8);
  type(e, " a-very-long-name-of-a-vmi");
  shown = e.shown(":", 20);
  CHECK(shown.text == "-long-name-of-a-vmi");  // the tail, the cursor in the last column, past it
  CHECK(shown.cursor_column == 19);
  press(e, {KEY_HOME});
  shown = e.shown(":", 20);
  CHECK(shown.text == ":get vmi a-very-long");
  CHECK(shown.cursor_column == 1);
}
