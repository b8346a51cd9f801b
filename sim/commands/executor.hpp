#pragma once
// The command language shared by the shell, scenario timelines and labs:
// get, describe, apply -f, delete, start/stop/restart, advance, with the
// oc/kubectl/virtctl spellings accepted. One line in, printed text out.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/cluster/cluster.hpp"

namespace kvsim::sim::commands {

struct ConsoleAttachment;

struct Outcome {
  std::string output;  // what the command prints (ends with a newline when non-empty)
  std::string error;   // one line, "error: ..." style; empty on success
  bool ok() const { return error.empty(); }
};

class Executor {
 public:
  explicit Executor(cluster::Cluster& cluster) : cluster_(cluster) {}
  Outcome run(const std::string& line);
  // True while an interactive serial console has the input (`console VMI`).
  bool console_attached() const { return console_ != nullptr; }

 private:
  Outcome get(const std::vector<std::string>& args);
  Outcome describe(const std::vector<std::string>& args);
  Outcome apply(const std::vector<std::string>& args);
  Outcome remove(const std::vector<std::string>& args);
  Outcome lifecycle(const std::string& action, const std::vector<std::string>& args);
  Outcome advance(const std::vector<std::string>& args);

  // A split line's command (a leading oc, kubectl or virtctl dropped).
  Outcome dispatch(std::vector<std::string> words);
  // `A | B`: B reads A's output as `-f -` (the one pipe the command language has).
  Outcome pipe(const std::string& left, const std::string& right);
  // `out` after what the command writes to stderr (kubectl's "Warning: ..."
  // lines): shown before its output, never part of what a pipe hands on.
  Outcome with_stderr(std::string warnings, Outcome out);

  cluster::Cluster& cluster_;
  std::shared_ptr<ConsoleAttachment> console_;
  std::optional<std::string> stdin_;  // what `-f -` reads while a pipe runs
  // While a pipe's left side runs: what it writes to stderr, shown before the result.
  bool producing_for_pipe_ = false;
  std::string pipe_warnings_;
};

// Where an unquoted `|` splits `line`, or npos.
std::size_t unquoted_pipe(const std::string& line);
// Shell-like word splitting with single and double quotes.
std::vector<std::string> split_words(const std::string& line, std::string& error);
std::string help_text();
// Every first word Executor::run dispatches (help and quit included), for Tab
// completion. Kept beside run(): the scenario test "every verb Tab completes is
// one the shell runs" fails when the two part.
const std::vector<std::string_view>& command_verbs();

}  // namespace kvsim::sim::commands
