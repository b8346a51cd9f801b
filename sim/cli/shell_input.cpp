#include "sim/cli/shell_input.hpp"

#include <histedit.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <clocale>
#include <cstdio>
#include <cwchar>
#include <iostream>

#include "sim/apiserver/endpoint.hpp"
#include "sim/commands/command_history.hpp"
#include "sim/commands/completion.hpp"

namespace kvsim::sim::cli {

namespace {
// How long a key is waited for before the endpoint is answered again.
constexpr int kServeEveryMs = 20;
// Tab lists at most this many candidates below the line.
constexpr std::size_t kMostListed = 100;

std::size_t terminal_width() {
  winsize size{};
  return ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col ? size.ws_col : 80;
}

// Candidates in columns across the terminal, as a shell lists them.
std::string in_columns(const std::vector<std::string>& words, std::size_t width) {
  std::size_t widest = 0;
  const std::size_t shown = std::min(words.size(), kMostListed);
  for (std::size_t i = 0; i < shown; ++i) widest = std::max(widest, words[i].size());
  const std::size_t columns = std::max<std::size_t>(1, width / (widest + 2));
  const std::size_t rows = (shown + columns - 1) / columns;
  std::string out;
  for (std::size_t r = 0; r < rows; ++r) {
    std::string line;
    for (std::size_t c = 0; c < columns && c * rows + r < shown; ++c) {
      const auto& w = words[c * rows + r];
      line += w + std::string(widest + 2 - w.size(), ' ');
    }
    out += line.substr(0, line.find_last_not_of(' ') + 1) + "\n";
  }
  if (shown < words.size()) out += "(+" + std::to_string(words.size() - shown) + " more)\n";
  return out;
}

}  // namespace

struct ShellInput::Editor {
  ShellInput& owner;
  std::map<std::string, std::vector<std::string>> extra_verbs;
  commands::CommandHistory typed{commands::default_history_path()};
  EditLine* el = nullptr;
  History* recall = nullptr;
  HistEvent event{};
  std::string prompt;
  std::size_t lines_read = 0;

  Editor(ShellInput& o, std::map<std::string, std::vector<std::string>> extra) : owner(o), extra_verbs(std::move(extra)) {
    // libedit reads and shows multibyte characters by the locale's LC_CTYPE (the
    // numbers kvsim prints do not depend on it).
    std::setlocale(LC_CTYPE, "");
    el = el_init("kvsim", stdin, stdout, stderr);
    recall = history_init();
    history(recall, &event, H_SETSIZE, static_cast<int>(commands::kHistoryLines));
    history(recall, &event, H_SETUNIQUE, 1);  // as the file keeps them: no line twice in a row
    for (const auto& line : typed.lines()) history(recall, &event, H_ENTER, line.c_str());
    el_set(el, EL_CLIENTDATA, this);
    el_set(el, EL_EDITOR, "emacs");
    el_set(el, EL_SIGNAL, 1);  // the terminal is restored on ^C, and the line redrawn on a resize
    el_set(el, EL_HIST, history, recall);
    el_set(el, EL_PROMPT, &Editor::prompt_of);
    el_set(el, EL_GETCFN, &Editor::read_key);
    el_set(el, EL_ADDFN, "kvsim-complete", "complete a verb, kind or object name", &Editor::complete);
    // As a shell binds them (libedit's emacs map has ^W kill the region, ^U repeat).
    el_set(el, EL_BIND, "^I", "kvsim-complete", nullptr);
    el_set(el, EL_BIND, "^W", "ed-delete-prev-word", nullptr);
    el_set(el, EL_BIND, "^U", "vi-kill-line-prev", nullptr);
    el_set(el, EL_BIND, "^]", "ed-insert", nullptr);  // a serial console's escape, typed through
    for (const char* home : {"\033[H", "\033OH", "\033[1~"}) el_set(el, EL_BIND, home, "ed-move-to-beg", nullptr);
    for (const char* end : {"\033[F", "\033OF", "\033[4~"}) el_set(el, EL_BIND, end, "ed-move-to-end", nullptr);
    el_set(el, EL_BIND, "\033[3~", "ed-delete-next-char", nullptr);
    el_source(el, nullptr);  // the user's ~/.editrc, as every libedit program reads it
    if (auto notice = typed.take_notice(); !notice.empty()) std::cerr << notice << "\n";
  }
  ~Editor() {
    el_end(el);
    history_end(recall);
  }

  static Editor& of(EditLine* el) {
    void* self = nullptr;
    el_get(el, EL_CLIENTDATA, &self);
    return *static_cast<Editor*>(self);
  }
  static char* prompt_of(EditLine* el) { return of(el).prompt.data(); }

  // libedit's character source: stdin, with the API answered between keys.
  static int read_key(EditLine* el, wchar_t* out) {
    auto* endpoint = of(el).owner.endpoint_;
    std::mbstate_t state{};
    while (true) {
      pollfd ready{STDIN_FILENO, POLLIN, 0};
      const int n = ::poll(&ready, 1, endpoint ? kServeEveryMs : -1);
      if (n < 0 && errno != EINTR) return -1;
      if (n <= 0) {
        if (endpoint) endpoint->serve();
        continue;
      }
      char byte = 0;
      const ssize_t got = ::read(STDIN_FILENO, &byte, 1);
      if (got == 0) return 0;
      if (got < 0) {
        if (errno == EINTR) continue;
        return -1;
      }
      const std::size_t used = std::mbrtowc(out, &byte, 1, &state);
      if (used == static_cast<std::size_t>(-2)) continue;  // more bytes of one character to come
      if (used == static_cast<std::size_t>(-1)) *out = static_cast<unsigned char>(byte);
      return 1;
    }
  }

  // Tab: what the candidates share is typed; when that is nothing, they are listed below the line.
  static unsigned char complete(EditLine* el, int) {
    auto& self = of(el);
    const LineInfo* info = el_line(el);
    const std::string line(info->buffer, info->lastchar);
    commands::CompletionContext context{self.owner.cluster_.store(), "default", self.extra_verbs};
    const auto completion =
        commands::complete(line, static_cast<std::size_t>(info->cursor - info->buffer), context);
    if (completion.candidates.empty()) return CC_REFRESH_BEEP;
    if (!completion.insertion.empty()) {
      el_insertstr(el, completion.insertion.c_str());
      return CC_REFRESH;
    }
    std::cout << "\n" << in_columns(completion.candidates, terminal_width()) << std::flush;
    return CC_REDISPLAY;
  }

  bool next(const std::string& shown, bool remember, std::string& line, std::string& error) {
    prompt = shown;
    int count = 0;
    const char* got = el_gets(el, &count);
    if (!got || count <= 0) {
      std::cout << "\n" << std::flush;  // ^D: the terminal's next prompt on a line of its own
      return false;
    }
    ++lines_read;
    line.assign(got, static_cast<std::size_t>(count));
    if (line.ends_with('\n')) line.pop_back();
    error.clear();
    if (line.size() > commands::kMaxCommandLineBytes) {
      line.clear();
      error = commands::too_long_line_error(lines_read);
      return true;
    }
    if (remember) {
      typed.add(line);
      // What the file kept (trimmed; nothing for `quit`): libedit's H_SETUNIQUE drops it when it is no new line.
      if (!typed.lines().empty()) history(recall, &event, H_ENTER, typed.lines().back().c_str());
      if (auto notice = typed.take_notice(); !notice.empty()) std::cerr << notice << "\n";
    }
    return true;
  }
};

ShellInput::ShellInput(cluster::Cluster& cluster, apiserver::Endpoint* endpoint,
                       std::map<std::string, std::vector<std::string>> extra_verbs)
    : cluster_(cluster), endpoint_(endpoint), plain_(std::cin), stdin_is_terminal_(isatty(STDIN_FILENO)) {
  // Edited only when both ends are the terminal: with stdout sent to a file the line is read plainly.
  if (stdin_is_terminal_ && isatty(STDOUT_FILENO)) editor_ = std::make_unique<Editor>(*this, std::move(extra_verbs));
  else if (endpoint_) reader_.emplace([endpoint] { endpoint->wake(); });
}

ShellInput::~ShellInput() = default;

bool ShellInput::next(const std::string& prompt, bool remember, std::string& line, std::string& error) {
  if (editor_) return editor_->next(prompt, remember, line, error);
  return next_plain(prompt, line, error);
}

bool ShellInput::next_plain(const std::string& prompt, std::string& line, std::string& error) {
  if (stdin_is_terminal_ && !prompt.empty()) std::cout << prompt << std::flush;
  if (!reader_) return plain_.next(line, error);
  std::optional<std::string> got;
  // Wait for a request or a line, whichever comes first (a line wakes the
  // endpoint): neither a stream of commands nor kubectl starves the other.
  do endpoint_->serve(std::chrono::milliseconds(20));
  while (!reader_->next(got, error, std::chrono::milliseconds(0)));
  if (!got) return false;
  line = std::move(*got);
  return true;
}

}  // namespace kvsim::sim::cli
