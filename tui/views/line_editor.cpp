#include "tui/views/line_editor.hpp"

#include <algorithm>

#include "sim/commands/command_input.hpp"

namespace kvsim::tui::views {

namespace {
bool is_space(char c) { return c == ' ' || c == '\t'; }
}  // namespace

void LineEditor::reset(std::string text) {
  text_ = std::move(text);
  cursor_ = text_.size();
  recalled_ = SIZE_MAX;
  draft_.clear();
}

void LineEditor::insert(const std::string& typed) {
  const std::size_t room = sim::commands::kMaxCommandLineBytes - std::min(text_.size(), sim::commands::kMaxCommandLineBytes);
  const std::string kept = typed.substr(0, room);
  text_.insert(cursor_, kept);
  cursor_ += kept.size();
}

void LineEditor::erase(std::size_t from, std::size_t to) {
  text_.erase(from, to - from);
  cursor_ = from;
}

void LineEditor::apply(LineKey key, const std::vector<std::string>& history) {
  switch (key) {
    case LineKey::Left:
      if (cursor_) --cursor_;
      return;
    case LineKey::Right:
      if (cursor_ < text_.size()) ++cursor_;
      return;
    case LineKey::Home: cursor_ = 0; return;
    case LineKey::End: cursor_ = text_.size(); return;
    case LineKey::Backspace:
      if (cursor_) erase(cursor_ - 1, cursor_);
      return;
    case LineKey::Delete:
      if (cursor_ < text_.size()) erase(cursor_, cursor_ + 1);
      return;
    case LineKey::KillToStart: erase(0, cursor_); return;
    case LineKey::KillWordBefore: {
      // The blanks before the cursor, then the word before them.
      std::size_t from = cursor_;
      while (from && is_space(text_[from - 1])) --from;
      while (from && !is_space(text_[from - 1])) --from;
      erase(from, cursor_);
      return;
    }
    case LineKey::KillToEnd: text_.erase(cursor_); return;
    case LineKey::Older:
      if (recalled_ == SIZE_MAX) {
        if (history.empty()) return;
        draft_ = text_, recalled_ = history.size();
      }
      if (recalled_ == 0 || recalled_ > history.size()) return;
      --recalled_;
      text_ = history[recalled_], cursor_ = text_.size();
      return;
    case LineKey::Newer:
      if (recalled_ == SIZE_MAX) return;
      if (++recalled_ >= history.size()) text_ = draft_, recalled_ = SIZE_MAX;
      else text_ = history[recalled_];
      cursor_ = text_.size();
      return;
  }
}

void LineEditor::complete(const sim::commands::Completion& completion) { insert(completion.insertion); }

LineEditor::Shown LineEditor::shown(const std::string& lead, std::size_t width) const {
  if (width == 0) return {};
  const std::string whole = lead + text_;
  const std::size_t at = lead.size() + cursor_;
  // Scrolled only as far as needed for the cursor to sit in the last column.
  const std::size_t first = at < width ? 0 : at - (width - 1);
  return {whole.substr(first, width), at - first};
}

}  // namespace kvsim::tui::views
