#pragma once
// Lines from stdin read on a thread of their own, so that a front end can
// answer API requests (--serve) while it waits for the user's next line. Read
// as commands::CommandInput reads them: a line past the cap is not returned.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace kvsim::sim::cli {

class LineReader {
 public:
  // Starts the reading thread; `on_line` runs on it after each line (to wake
  // a loop that waits on something else, the API endpoint) while this reader lives.
  explicit LineReader(std::function<void()> on_line = {});
  // The thread, blocked in getline, cannot be joined: it is left to end with
  // the process, holding only state shared with it, and calls on_line no more.
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // Waits up to `wait` for the next line. Returns false when none came; else
  // sets `line` (nullopt once stdin has ended) and `error` (CommandInput's
  // located refusal of a line past the cap, `line` then empty).
  bool next(std::optional<std::string>& line, std::string& error, std::chrono::milliseconds wait);

  struct Shared;

 private:
  std::shared_ptr<Shared> shared_;
};

}  // namespace kvsim::sim::cli
