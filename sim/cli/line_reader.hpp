#pragma once
// Lines from stdin read on a thread of their own, so that a front end can
// answer API requests (--serve) while it waits for the user's next line.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>

namespace kvsim::sim::cli {

class LineReader {
 public:
  LineReader();  // starts the (detached) reading thread
  // Waits up to `wait` for the next line. Returns false when none came; else
  // sets `line` (nullopt once stdin has ended).
  bool next(std::optional<std::string>& line, std::chrono::milliseconds wait);

 private:
  void push(std::optional<std::string> line);
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::optional<std::string>> lines_;
};

}  // namespace kvsim::sim::cli
