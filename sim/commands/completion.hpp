#pragma once
// Tab completion of a command line, the one source both prompts use (the
// shell's libedit and the TUI's `:` line): the verbs Executor::run knows,
// what each verb takes next (a kind with its short names, a subcommand), and
// the names of the objects of the kind already typed, read from the store.
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "sim/api/store.hpp"

namespace kvsim::sim::commands {

struct CompletionContext {
  const api::Store& store;
  std::string ns = "default";  // where a command without -n runs ("": all namespaces)
  // First words beyond the command language's, with the words each takes
  // next: `lab status|hint|...` in a lab, the TUI's `map` and `timeline`.
  std::map<std::string, std::vector<std::string>> extra_verbs = {};
};

struct Completion {
  std::size_t start = 0;                // where the word under completion begins
  std::string word;                     // what of it is typed: line[start, cursor)
  std::vector<std::string> candidates;  // sorted, unique, each beginning with `word`
  // What Tab inserts at the cursor: the rest the candidates share, and a
  // space after a sole candidate (none after a `kind/` that awaits a name).
  std::string insertion;
};

// Completes the word that ends at `cursor` (a byte index into `line`).
// Nothing to offer (inside a quote, a flag, a free argument): no candidates.
Completion complete(const std::string& line, std::size_t cursor, const CompletionContext& context);

// The candidates on one line, for a prompt to show when Tab adds nothing:
// "vm-a  vm-b  vm-c", cut to `width` columns with "(+N more)".
std::string list_candidates(const std::vector<std::string>& candidates, std::size_t width);

}  // namespace kvsim::sim::commands
