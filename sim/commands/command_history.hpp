#pragma once
// The commands typed at a prompt, kept in one file across runs and shared
// by the shell and the TUI's `:` prompt: ↑ recalls a line typed yesterday in
// either. The file is plain text, one command a line, the newest last, at
// most kHistoryLines of them. It is written whole, aside and renamed (a
// crash mid-write leaves the previous file), under a lock (two sessions at
// once each keep their lines). On load anything that is not a command line
// (binary bytes, an over-long line, a last line cut without its newline) is
// skipped: a damaged file costs its damaged lines, never the run.
#include <cstddef>
#include <string>
#include <vector>

namespace kvsim::sim::commands {

inline constexpr std::size_t kHistoryLines = 1000;

// $KVSIM_HISTORY when set (empty: keep no file), else
// $XDG_STATE_HOME/kvsim/history, else ~/.local/state/kvsim/history; empty
// when none of them can be made (no HOME).
std::string default_history_path();

// The lines of a history file's text, the damaged ones skipped (counted in
// `skipped`), the newest `limit` kept.
std::vector<std::string> parse_history(const std::string& text, std::size_t& skipped,
                                       std::size_t limit = kHistoryLines);

class CommandHistory {
 public:
  // Reads `path` (empty: a history kept in memory only). A missing file is
  // an empty history; an unreadable or damaged one is said in notice().
  explicit CommandHistory(std::string path, std::size_t limit = kHistoryLines);

  const std::vector<std::string>& lines() const { return lines_; }
  // Remembers a line typed, without its trailing blanks (not an empty one,
  // nor one that ends the session, nor the same as the one before) and writes the file: the lines on disk now (another session's
  // too), then this one. Returns the write's error, or "".
  std::string add(const std::string& line);
  // What the user should know about the file: lines skipped on load, a
  // failed write. Empty when all is well; cleared by taking it.
  std::string take_notice();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::size_t limit_;
  std::vector<std::string> lines_;
  std::string notice_;
};

}  // namespace kvsim::sim::commands
