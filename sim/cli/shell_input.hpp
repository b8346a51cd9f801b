#pragma once
// Where the shell's commands come from (`kvsim shell`, `kvsim lab start
// --no-tui`), one a line:
// - on a terminal, edited with libedit (Debian's libedit, BSD-licensed): ↑/↓
//   through the history file the TUI's `:` prompt shares, ←/→, Home/End,
//   ^A/^E, ^U, ^W, ^K, and Tab completion from sim/commands/completion.hpp;
// - from a pipe or a file, read as before (commands::CommandInput): no
//   prompt, no history, byte for byte what scripts and tests rely on.
// With --serve the API is answered while the shell waits: on a terminal
// between keys, from a pipe by LineReader's thread.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/cli/line_reader.hpp"
#include "sim/cluster/cluster.hpp"
#include "sim/commands/command_input.hpp"

namespace kvsim::sim::apiserver {
class Endpoint;
}  // namespace kvsim::sim::apiserver

namespace kvsim::sim::cli {

class ShellInput {
 public:
  // `endpoint` (may be null) is served while waiting; `extra_verbs` are first
  // words beyond the command language's, for completion (`lab ...`).
  ShellInput(cluster::Cluster& cluster, apiserver::Endpoint* endpoint,
             std::map<std::string, std::vector<std::string>> extra_verbs = {});
  ~ShellInput();
  ShellInput(const ShellInput&) = delete;
  ShellInput& operator=(const ShellInput&) = delete;

  // The next line; false at the end of the input. On a terminal `prompt` is
  // shown (empty: none, as while a guest's console prints its own) and the
  // line is kept in the history when `remember`. A line past the cap sets
  // `error` (CommandInput's refusal) and leaves `line` empty.
  bool next(const std::string& prompt, bool remember, std::string& line, std::string& error);

  struct Editor;  // libedit's state, on a terminal

 private:
  bool next_plain(const std::string& prompt, std::string& line, std::string& error);

  cluster::Cluster& cluster_;
  apiserver::Endpoint* endpoint_;
  std::unique_ptr<Editor> editor_;
  std::optional<LineReader> reader_;  // serving from a pipe
  commands::CommandInput plain_;
  bool stdin_is_terminal_;
};

}  // namespace kvsim::sim::cli
