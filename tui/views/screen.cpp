#include "tui/views/screen.hpp"

#include <clocale>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <langinfo.h>
#include <ncurses.h>

namespace kvsim::tui::views {

namespace {

volatile std::sig_atomic_t g_interrupted = 0;
bool g_active = false;

void restore_terminal() {
  if (g_active) {
    g_active = false;
    endwin();
  }
}

void on_interrupt(int) { g_interrupted = 1; }

// A crash: give the terminal back, then die of the same signal (core dump and exit status intact).
void on_fatal(int sig) {
  restore_terminal();
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

std::terminate_handler g_previous_terminate = nullptr;

void on_terminate() {
  restore_terminal();
  if (g_previous_terminate) g_previous_terminate();
  std::abort();
}

enum Pair : short { kGreen = 1, kYellow, kRed, kMagenta, kCyan, kHeader, kDown };

}  // namespace

bool interrupted() { return g_interrupted != 0; }

Screen::Screen() {
  std::setlocale(LC_ALL, "");
  unicode_ = std::strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
  initscr();
  g_active = true;
  cbreak();
  noecho();
  keypad(stdscr, TRUE);
  curs_set(0);
  set_escdelay(25);
  const char* no_color = std::getenv("NO_COLOR");
  colour_ = has_colors() && !(no_color && *no_color);
  if (colour_) {
    start_color();
    use_default_colors();
    init_pair(kGreen, COLOR_GREEN, -1);
    init_pair(kYellow, COLOR_YELLOW, -1);
    init_pair(kRed, COLOR_RED, -1);
    init_pair(kMagenta, COLOR_MAGENTA, -1);
    init_pair(kCyan, COLOR_CYAN, -1);
    init_pair(kHeader, COLOR_BLACK, COLOR_CYAN);
    init_pair(kDown, COLOR_WHITE, COLOR_RED);
  }
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) std::signal(sig, on_fatal);
  g_previous_terminate = std::set_terminate(on_terminate);
}

Screen::~Screen() {
  restore_terminal();
  std::set_terminate(g_previous_terminate);
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGINT, SIGTERM}) std::signal(sig, SIG_DFL);
}

int Screen::width() const { return COLS; }
int Screen::height() const { return LINES; }
void Screen::erase() { ::erase(); }
void Screen::refresh() { ::refresh(); }

void Screen::show_cursor(bool on, int y, int x) {
  curs_set(on ? 1 : 0);
  if (on) move(y, x);
}

int Screen::read_key(int timeout_ms) {
  timeout(timeout_ms);
  return getch();
}

int Screen::attr(render::Role role) const {
  using render::Role;
  if (!colour_) {
    switch (role) {
      case Role::Header: return A_BOLD | A_UNDERLINE;
      case Role::Selected: return A_REVERSE;
      case Role::Muted: return A_DIM;
      case Role::Failed: return A_BOLD;
      case Role::Down: return A_BOLD | A_REVERSE;
      case Role::Accent: return A_BOLD;
      default: return A_NORMAL;
    }
  }
  switch (role) {
    case Role::Header: return COLOR_PAIR(kHeader) | A_BOLD;
    case Role::Selected: return A_REVERSE;
    case Role::Muted: return A_DIM;
    case Role::Running: return COLOR_PAIR(kGreen);
    case Role::Pending: return COLOR_PAIR(kYellow);
    case Role::Failed: return COLOR_PAIR(kRed) | A_BOLD;
    case Role::Terminating: return COLOR_PAIR(kMagenta);
    case Role::Down: return COLOR_PAIR(kDown) | A_BOLD;
    case Role::Accent: return COLOR_PAIR(kCyan);
    default: return A_NORMAL;
  }
}

void Screen::draw(int y, int x, const render::Line& line, int max_width) {
  if (y < 0 || y >= LINES || x >= COLS) return;
  std::size_t left = static_cast<std::size_t>(std::min(max_width, COLS - x));
  int col = x;
  for (const auto& span : line.spans) {
    if (left == 0) break;
    const std::string text = render::clip(span.text, left);
    const int a = attr(span.role);
    attron(a);
    mvaddstr(y, col, text.c_str());
    attroff(a);
    const auto w = render::display_width(text);
    col += static_cast<int>(w);
    left -= w;
  }
}

}  // namespace kvsim::tui::views
