#pragma once
// The terminal: ncurses set up and torn down, colour roles mapped to what the
// terminal can show (colours, or attributes only under NO_COLOR or on a
// monochrome terminal), keys read with a timeout so the loop never blocks.
// The terminal is restored on exit, on SIGINT/SIGTERM (the loop sees
// interrupted() and leaves normally) and on a crash (fatal signals and
// std::terminate call endwin() first).
#include "tui/render/style.hpp"

namespace kvsim::tui::views {

class Screen {
 public:
  Screen();
  ~Screen();
  Screen(const Screen&) = delete;
  Screen& operator=(const Screen&) = delete;

  int width() const;
  int height() const;
  bool unicode() const { return unicode_; }
  const render::Glyphs& glyphs() const { return unicode_ ? render::Glyphs::unicode() : render::Glyphs::ascii(); }

  void erase();
  // Draws a line at row y, clipped to the screen width.
  void draw(int y, int x, const render::Line& line, int max_width);
  void show_cursor(bool on, int y = 0, int x = 0);
  void refresh();
  // A key, or -1 after `timeout_ms` without one. KEY_RESIZE when the terminal changed size.
  int read_key(int timeout_ms);

 private:
  int attr(render::Role role) const;
  bool unicode_ = false;
  bool colour_ = false;
};

// True once SIGINT or SIGTERM arrived.
bool interrupted();

}  // namespace kvsim::tui::views
