#pragma once
// The line typed at the TUI's prompts (`:`, `/`, the guest's): text, cursor,
// recall of earlier lines and Tab completion, as readline edits a line.
// Pure: keys arrive as LineKey (views/prompt.cpp maps ncurses' codes), the
// history and completions come from sim/commands (shared with the shell, which
// edits with libedit), and the screen is drawn from shown(). The shell's own
// line editing cannot serve here: ncurses owns the terminal.
#include <cstddef>
#include <string>
#include <vector>

#include "sim/commands/completion.hpp"

namespace kvsim::tui::views {

enum class LineKey {
  Left, Right, Home, End,       // ← → Home End, ^B ^F ^A ^E
  Backspace, Delete,            // Backspace, Delete ^D
  KillToStart, KillWordBefore,  // ^U, ^W: as a shell's unix-line-discard and unix-word-rubout
  KillToEnd,                    // ^K
  Older, Newer,                 // ↑ ↓, ^P ^N: the history
};

class LineEditor {
 public:
  // A fresh line holding `text`, the cursor at its end, no history recalled.
  void reset(std::string text = {});
  const std::string& text() const { return text_; }
  std::size_t cursor() const { return cursor_; }
  bool empty() const { return text_.empty(); }

  // Typed text goes in at the cursor; past the command language's cap a paste stops growing the line.
  void insert(const std::string& typed);
  // `history` is the lines to recall, oldest first (for Older and Newer).
  void apply(LineKey key, const std::vector<std::string>& history);
  // Inserts what a completion of the word at the cursor adds (its `insertion`).
  void complete(const sim::commands::Completion& completion);

  // What a prompt line `width` columns wide shows of `lead` + the text: the
  // part that keeps the cursor in sight, and the cursor's column in it.
  struct Shown {
    std::string text;
    std::size_t cursor_column = 0;
  };
  Shown shown(const std::string& lead, std::size_t width) const;

 private:
  void erase(std::size_t from, std::size_t to);

  std::string text_;
  std::size_t cursor_ = 0;
  // While recalling: which history line is shown (history.size(): none), and
  // the line being typed before the first ↑, which ↓ past the newest brings back.
  std::size_t recalled_ = SIZE_MAX;
  std::string draft_;
};

}  // namespace kvsim::tui::views
